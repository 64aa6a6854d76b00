using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Xunit.Abstractions;

namespace Lab.Experiments.Tests;

/// <summary>The warehouse-receipt report's "follow one lot", from a short run of the ready file.</summary>
public class FollowOneLotTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_lots_are_followed_in_both_registries_and_the_default_shows_banks_funding_what_the_contract_refuses()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "warehouse-receipts.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, ["scenario.lots.count=60", "scenario.lots.window=20d", "duration=140d", "replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("lot", follow.Noun);
        Assert.Equal(12, follow.Journeys.Count);
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["separate-registries", "on-chain"], j.Lanes.Select(l => l.Variant));
            var (paper, chain) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // One lot: it arrives at the same instant at the same warehouse in both worlds, and the owner applies to the same banks at the same times.
            Assert.Equal(paper[0].AtSeconds, chain[0].AtSeconds);
            Assert.Equal(paper[0].Who[0], chain[0].Who[0]);
            Assert.Equal(paper.Where(s => s.What.StartsWith("The owner applies", StringComparison.Ordinal)).Select(s => (s.AtSeconds, s.What)),
                chain.Where(s => s.What.StartsWith("The owner applies", StringComparison.Ordinal)).Select(s => (s.AtSeconds, s.What)));
            foreach (var s in j.Lanes.SelectMany(l => l.Steps))
            {
                Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                Assert.EndsWith("UTC+8", s.Local, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(paper, s => s.Who.Contains("receipt ledger"));
        }
        var pick = follow.Journeys[0];
        foreach (var l in pick.Lanes) foreach (var s in l.Steps) output.WriteLine($"{l.Variant} | {s.Local} | {s.What} | {string.Join(",", s.Who)}");
        Assert.StartsWith("The same goods back ", pick.Note, StringComparison.Ordinal);
        Assert.True(pick.Lanes[0].Steps.Count(s => s.What.Contains(" lends ", StringComparison.Ordinal)) >= 2);
        Assert.Contains(pick.Lanes[1].Steps, s => s.What.StartsWith("The receipt contract refuses", StringComparison.Ordinal));
    }
}
