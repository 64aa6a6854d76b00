using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Xunit.Abstractions;

namespace Lab.Experiments.Tests;

/// <summary>The supply-chain report's "follow one payable", from a short run of the ready file.</summary>
public class FollowOnePayableTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_payables_are_followed_on_paper_and_on_vouchers_from_the_core_up_the_tiers()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "supply-chain.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, ["scenario.payables.count=40", "replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("payable", follow.Noun);
        Assert.Equal("Beijing time (UTC+8)", follow.Zone);
        Assert.Equal(12, follow.Journeys.Count);
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["paper", "vouchers"], j.Lanes.Select(l => l.Variant));
            var (paper, chain) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // The same payable to the same tier-1 supplier: accepted on paper at issue, confirmed on chain moments later.
            Assert.StartsWith("The core accepts a commercial bill of ", paper[0].What, StringComparison.Ordinal);
            Assert.StartsWith("The core confirms the payable as a voucher of ", chain[0].What, StringComparison.Ordinal);
            Assert.Equal(paper[0].Who, chain[0].Who.Take(2));
            Assert.InRange(chain[0].AtSeconds - paper[0].AtSeconds, 0, 60);
            // The same holders up the same path.
            Assert.Equal(paper.Where(s => s.What.Contains(" a receivable of ", StringComparison.Ordinal)).Select(s => s.Who[1]),
                chain.Where(s => s.What.Contains(" splits its voucher ", StringComparison.Ordinal)).Select(s => s.Who[1]));
            foreach (var l in j.Lanes)
            {
                Assert.True(l.Steps.Select(s => s.AtSeconds).SequenceEqual(l.Steps.Select(s => s.AtSeconds).Order()));
                foreach (var s in l.Steps)
                {
                    Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                    Assert.EndsWith("UTC+8", s.Local, StringComparison.Ordinal);
                }
            }
            // On chain a piece is discounted at most once.
            Assert.True(chain.Count(s => s.What.Contains(" discounts ", StringComparison.Ordinal)) <= chain.Count(s => s.What.Contains(" asks ", StringComparison.Ordinal)));
        }
        var pick = follow.Journeys[0];
        output.WriteLine(pick.Title);
        foreach (var l in pick.Lanes) foreach (var s in l.Steps) output.WriteLine($"{l.Variant} | {s.Local} | {s.What} | {string.Join(",", s.Who)}");
        output.WriteLine(pick.Note);
        Assert.NotEqual("", pick.Note);
    }
}
