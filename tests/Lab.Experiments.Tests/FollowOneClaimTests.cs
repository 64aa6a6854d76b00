using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Xunit.Abstractions;

namespace Lab.Experiments.Tests;

/// <summary>The insurance report's "follow one claim", from a short run of the ready file.</summary>
public class FollowOneClaimTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_claims_are_followed_on_paper_and_on_chain_from_the_same_visit_to_payment()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "insurance-claims.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, ["scenario.visits.count=200", "replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("claim", follow.Noun);
        Assert.Equal(12, follow.Journeys.Count);
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["paper", "on-chain"], j.Lanes.Select(l => l.Variant));
            var (paper, chain) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // One visit: it ends at the same instant at the same hospital in both processes.
            Assert.Equal((paper[0].AtSeconds, paper[0].Who[0]), (chain[0].AtSeconds, chain[0].Who[0]));
            Assert.StartsWith("hospital", paper[0].Who[0], StringComparison.Ordinal);
            Assert.Equal("The customer files the claim on paper", paper[1].What);
            foreach (var s in j.Lanes.SelectMany(l => l.Steps))
            {
                Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                Assert.EndsWith("UTC+8", s.Local, StringComparison.Ordinal);
            }
            // On chain the claim is filed or refused right after the commission passes it on; refused ones go to paper.
            Assert.Contains("recognises an insured customer", chain[1].What, StringComparison.Ordinal);
            Assert.Matches("^The (data-exchange files the claim|contract refuses)", chain[2].What);
            if (chain[2].What.StartsWith("The contract refuses", StringComparison.Ordinal))
                Assert.Contains(chain, s => s.What == "The customer files the claim on paper after the refusal");
            // Paid at most once, last, in both.
            foreach (var l in j.Lanes)
                Assert.True(l.Steps.Count(s => s.What.Contains(" pays ", StringComparison.Ordinal)) <= 1 && !l.Steps.SkipLast(1).Any(s => s.What.Contains(" pays ", StringComparison.Ordinal)));
        }
        var pick = follow.Journeys[0];
        foreach (var l in pick.Lanes) foreach (var s in l.Steps) output.WriteLine($"{l.Variant} | {s.Local} | {s.What} | {string.Join(",", s.Who)}");
        output.WriteLine(pick.Note);
        Assert.NotEqual("", pick.Note);
    }
}
