using Lab.Consensus.Common;
using Lab.Consensus.Pow;
using Lab.Ledger.Transactions;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

/// <summary>
/// Proof of work's safety view and validity check: a block k deep on an honest node is never taken
/// back unless an attacker runs (then the reversal is the attack's result), and every final block
/// holds only transactions their clients submitted.
/// </summary>
public class PowSafetyTests
{
    [Fact]
    public void An_honest_run_has_no_violation_and_its_final_blocks_hold_only_submitted_transactions()
    {
        var options = PowTestWorld.Race(Duration.FromSeconds(60), 60) with { TxRelayDelay = Duration.FromSeconds(1) };
        var run = PowTestWorld.Run(options, nodes: 5, Duration.FromMillis(200), seed: 2, PowTestWorld.Clients(1));
        Assert.Empty(run.World.Violations);
        Assert.Equal(0, run.Scalars[StandardMetrics.SafetyViolations]);
        Assert.Equal(0, run.Scalars[StandardMetrics.ValidityViolations]);
        Assert.True(run.Pow.MainChain[^1].TxEnd > 1000, "the chain carried the clients' transactions");
    }

    [Fact]
    public void A_fabricated_transaction_in_a_final_block_is_a_validity_violation()
    {
        // A gateway passes on a transaction in client c0's name that c0 never submitted (sequence 999,999).
        var options = PowTestWorld.Race(Duration.FromSeconds(60), 30);
        var forged = new Transaction(TxId.For(new NodeId(5), 999_999), "c0", null, 250, SimTime.Zero);
        var run = PowTestWorld.Run(options, nodes: 5, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(20)), seed: 3, PowTestWorld.Clients(1),
            before: pow => pow.Setup.Pool.Admit([new Receipt(forged, 0, SimTime.Zero)], SimTime.Zero));
        var v = Assert.Single(run.Pow.ValidityViolations);
        Assert.Contains("never submitted", v.Description);
        Assert.Contains(forged.Id.ToString(), v.Description);
        Assert.Equal(1, run.Scalars[StandardMetrics.ValidityViolations]);
        Assert.Equal(0, run.Scalars[StandardMetrics.SafetyViolations]);
    }

    [Fact]
    public void A_partition_longer_than_k_blocks_takes_back_final_blocks_and_that_is_a_safety_violation()
    {
        // Two halves mine apart for an hour (about 30 blocks each side at a 60 s interval, k = 3); after
        // the heal the side with less work takes back blocks that were 3 deep.
        var options = PowTestWorld.Race(Duration.FromSeconds(60), 120) with { ConfirmationDepth = 3 };
        var split = new ScheduledFault(SimTime.Zero + Duration.FromMinutes(10),
            new Partition([new NamedNodes(["n0", "n1", "n2"]), new NamedNodes(["n3", "n4", "n5"])]), Duration.FromHours(1));
        var run = PowTestWorld.Run(options, nodes: 6, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(20)), seed: 4, faults: [split]);
        Assert.True(run.Scalars[StandardMetrics.SafetyViolations] > 0);
        Assert.Contains(run.World.Violations, v => v.Description.Contains("took back") && v.At > SimTime.Zero + Duration.FromMinutes(70));
        Assert.Contains(run.Result.Metrics.Findings, f => f.Kind == StandardMetrics.SafetyFinding);
        Assert.True(run.Scalars[PowMetrics.FinalBlocksReverted] >= 3);
    }

    [Fact]
    public void With_an_attacker_a_final_block_taken_back_is_the_attacks_result_not_a_violation()
    {
        // A double spender with 30% of the hash power against merchants waiting one confirmation succeeds often.
        var options = PowTestWorld.Race(Duration.FromSeconds(600), 600) with
        {
            ConfirmationDepth = 1,
            Attack = new DoubleSpendAttack { HashShare = 0.3, GiveUpBehind = 7 },
        };
        var run = PowTestWorld.Run(options, nodes: 3, Duration.FromMillis(1), seed: 5);
        Assert.True(run.Result.Metrics.Counter(PowMetrics.DoubleSpendSuccesses) > 0);
        Assert.True(run.Scalars[PowMetrics.FinalBlocksReverted] > 0);
        Assert.Equal(0, run.Scalars[StandardMetrics.SafetyViolations]);
        Assert.Contains(run.Result.Metrics.Findings, f => f.Kind == PowMetrics.FinalityReversedFinding);
    }
}
