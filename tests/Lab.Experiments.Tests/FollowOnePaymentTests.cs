using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

/// <summary>The cross-border report's "follow one payment", from a short run of the ready file.</summary>
public class FollowOnePaymentTests
{
    [Fact]
    public void The_same_payments_are_followed_in_both_worlds_each_step_in_its_banks_local_time()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "finance", "cross-border.yaml");
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, ["scenario.payments.count=200", "replications=1"], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var follow = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1).Follow;

        Assert.NotNull(follow);
        Assert.Equal("payment", follow.Noun);
        Assert.Equal(12, follow.Journeys.Count);
        var zones = new Dictionary<string, string> { ["bank-shanghai"] = "UTC+8", ["bank-hong-kong"] = "UTC+8", ["bank-bangkok"] = "UTC+7", ["bank-abu-dhabi"] = "UTC+4", ["bank-frankfurt"] = "UTC+2" };
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["correspondent", "multi-cbdc"], j.Lanes.Select(l => l.Variant));
            var (chain, ledger) = (j.Lanes[0].Steps, j.Lanes[1].Steps);
            // One payment: instructed at the same instant at the same bank in both worlds.
            Assert.Equal(chain[0].AtSeconds, ledger[0].AtSeconds);
            Assert.Equal(chain[0].Who, ledger[0].Who);
            Assert.StartsWith("The originator's instruction reaches", chain[0].What, StringComparison.Ordinal);
            foreach (var s in j.Lanes.SelectMany(l => l.Steps))
            {
                Assert.All(s.Who, w => Assert.Contains(w, follow.Institutions));
                Assert.EndsWith(zones[s.Who[0]], s.Local, StringComparison.Ordinal);
            }
            // Every pacs.008 that arrives was sent on by the bank before it, no later than it arrived.
            for (int k = 1; k < chain.Count; k++)
                if (chain[k].What.StartsWith("pacs.008 arrives", StringComparison.Ordinal))
                    Assert.Matches("sends pacs.008 on$", chain[k - 1].What);
            Assert.Contains(ledger, s => s.What.StartsWith("Final on the ledger", StringComparison.Ordinal) || s.What.StartsWith("The ledger's contract refuses", StringComparison.Ordinal));
        }
        // The default pick is the slowest to finish (short of three days): slower than the ledger by hours at least.
        var pick = follow.Journeys[0];
        Assert.NotEqual("", pick.Note);
        Assert.True(pick.Lanes[0].Steps[^1].AtSeconds - pick.Lanes[0].Steps[0].AtSeconds > 3600);
    }
}
