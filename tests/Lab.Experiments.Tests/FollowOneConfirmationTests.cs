using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Xunit.Abstractions;

namespace Lab.Experiments.Tests;

/// <summary>The bank-confirmation report's "follow one confirmation", from a short run of the ready file.</summary>
public class FollowOneConfirmationTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_requests_are_followed_on_paper_and_on_the_platform()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "bank-confirmations.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, ["replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("confirmation", follow.Noun);
        Assert.Equal(12, follow.Journeys.Count);
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["paper", "platform"], j.Lanes.Select(l => l.Variant));
            var (paper, chain) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // One request: sent by the same firm at the same instant on both channels.
            Assert.Equal((paper[0].AtSeconds, paper[0].Who[0]), (chain[0].AtSeconds, chain[0].Who[0]));
            Assert.StartsWith("firm", paper[0].Who[0], StringComparison.Ordinal);
            foreach (var s in j.Lanes.SelectMany(l => l.Steps))
            {
                Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                Assert.EndsWith("UTC+8", s.Local, StringComparison.Ordinal);
            }
            // A request the client withholds stops there on both channels; any other ends with the firm holding a reply.
            if (paper.Any(s => s.What.Contains("never signs", StringComparison.Ordinal)))
                Assert.Contains(chain, s => s.What.Contains("never signs", StringComparison.Ordinal));
        }
        var pick = follow.Journeys[0];
        foreach (var l in pick.Lanes) foreach (var s in l.Steps) output.WriteLine($"{l.Variant} | {s.Local} | {s.What} | {string.Join(",", s.Who)}");
        Assert.NotEqual("", pick.Note);
    }
}
