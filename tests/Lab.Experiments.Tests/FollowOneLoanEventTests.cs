using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Xunit.Abstractions;

namespace Lab.Experiments.Tests;

/// <summary>The ABS report's "follow one loan event", from a short run of the ready file.</summary>
public class FollowOneLoanEventTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_loan_events_are_followed_both_ways_and_the_default_pick_is_a_default_monthly_reporting_brings_late()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "abs.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file,
            ["scenario.pool.loans=300", "scenario.pool.periods=4", "scenario.pool.miss-rate=10%", "scenario.pool.cure-rate=20%", "scenario.pool.default-after=2", "scenario.traditional.reconcile-error=20%", "duration=160d", "replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("loan event", follow.Noun);
        Assert.Equal(12, follow.Journeys.Count);
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["traditional", "on-chain"], j.Lanes.Select(l => l.Variant));
            var (paper, chain) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // One event: it happens at the same instant in both worlds, its period ends and investors are paid on the same dates.
            Assert.Equal((paper[0].AtSeconds, paper[0].What), (chain[0].AtSeconds, chain[0].What));
            Assert.Equal(Step(paper, "The collection period ends").AtSeconds, Step(chain, "The collection period ends").AtSeconds);
            Assert.Equal(Step(paper, "Payment date").What, Step(chain, "Payment date").What);
            // Monthly reporting brings it to every party after the period's report and reconciliations; the chain within the hour's batch.
            var onChain = Step(chain, "Every party holds");
            if (paper.SingleOrDefault(s => s.What.StartsWith("Every party holds", StringComparison.Ordinal)) is { } known)
                Assert.True(known.AtSeconds > Step(paper, "The trustee computes").AtSeconds);
            else // a break in the last period: no later reconciliation finds it before the run ends
                Assert.Contains(paper, s => s.What.Contains("goes wrong unnoticed", StringComparison.Ordinal));
            Assert.InRange(onChain.AtSeconds - chain[0].AtSeconds, 0, 3600 + 60);
            Assert.True(Step(chain, "The servicer posts").AtSeconds <= onChain.AtSeconds);
            Assert.DoesNotContain(paper, s => s.Who.Contains("deal ledger"));
            Assert.All(j.Lanes.SelectMany(l => l.Steps), s =>
            {
                Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                Assert.EndsWith("UTC+8", s.Local, StringComparison.Ordinal);
            });
            Assert.All(j.Lanes, l => Assert.Equal(l.Steps.OrderBy(s => s.AtSeconds).Select(s => s.AtSeconds), l.Steps.Select(s => s.AtSeconds)));
        }
        var pick = follow.Journeys[0];
        foreach (var l in pick.Lanes) foreach (var s in l.Steps) output.WriteLine($"{l.Variant} | {s.Local} | {s.What} | {string.Join(",", s.Who)}");
        output.WriteLine(pick.Title + " — " + pick.Note);
        Assert.Contains("charged off", pick.Title, StringComparison.Ordinal);
        Assert.StartsWith("This default reaches every party's books ", pick.Note, StringComparison.Ordinal);
    }

    private static Lab.Reports.JourneyStep Step(IReadOnlyList<Lab.Reports.JourneyStep> steps, string starts) =>
        Assert.Single(steps, s => s.What.StartsWith(starts, StringComparison.Ordinal));
}
