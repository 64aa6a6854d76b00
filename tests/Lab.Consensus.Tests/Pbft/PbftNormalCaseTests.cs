using Lab.Consensus.Byzantine;
using Lab.Consensus.Pbft;
using Lab.Consensus.Tests.Byzantine;
using Lab.Ledger.Batching;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pbft;

public class PbftNormalCaseTests
{
    private static readonly Duration D = BftRun.D;

    private static BftRun OneRequest(int n = 4) =>
        BftRun.Create(new PbftProtocol(new PbftOptions { Costs = AuthenticationCosts.Free, Block = new BlockOptions { MaxTransactions = 1, BatchTimeout = Duration.Zero } }), n,
            BftRun.OneRequest, NetworkSpec.Constant(D), Duration.FromSeconds(1)).Run();

    [Fact]
    public void Replicas_commit_exactly_3d_after_the_primary_sends_the_pre_prepare()
    {
        var run = OneRequest();
        // The request reaches the primary at d, which sends the pre-prepare at once.
        var prePrepareSent = SimTime.Zero + D;
        for (int r = 0; r < 4; r++)
        {
            var log = run.Log(r);
            Assert.Equal(1, log.Count);
            Assert.Equal(prePrepareSent + D * 3, log[0].At);
        }
    }

    [Fact]
    public void The_client_accepts_f_plus_1_matching_replies_5d_after_sending()
    {
        var run = OneRequest();
        var latency = Assert.Single(run.Latencies);
        Assert.Equal((D * 5).TotalSeconds, latency, 9);
    }

    [Fact]
    public void One_request_with_four_replicas_costs_3_pre_prepares_9_prepares_12_commits_and_4_replies()
    {
        // Replicas record their own prepare/commit locally instead of sending it to themselves.
        var run = OneRequest();
        Assert.Equal(3, run.Count(nameof(PrePrepare)));
        Assert.Equal(9, run.Count(nameof(Prepare)));
        Assert.Equal(12, run.Count(nameof(Commit)));
        Assert.Equal(4, run.Result!.Metrics.Counter("committed_tx") == 1 ? 4 : -1);
        Assert.Equal(24, run.Result.Metrics.Counter("protocol_messages"));
        // Replies: the kernel counts every message; 1 request + 24 protocol messages + 4 replies.
        Assert.Equal(1 + 24 + 4, run.Result.Stats.MessagesSent);
    }

    [Fact]
    public void Seven_replicas_follow_the_quadratic_count()
    {
        var run = OneRequest(7);
        Assert.Equal(6, run.Count(nameof(PrePrepare)));
        Assert.Equal(6 * 6, run.Count(nameof(Prepare)));
        Assert.Equal(7 * 6, run.Count(nameof(Commit)));
        Assert.Equal(0.05, Assert.Single(run.Latencies), 9);
    }

    [Fact]
    public void A_steady_load_commits_every_request_with_batching_and_checkpoints()
    {
        var options = new PbftOptions { CheckpointInterval = 8, WatermarkWindow = 16, Block = new BlockOptions { MaxTransactions = 10, BatchTimeout = Duration.FromMillis(5) } };
        var run = BftRun.Create(new PbftProtocol(options), 4, BftRun.Load(200, clients: 4, stopAt: 4), NetworkSpec.Constant(D), Duration.FromSeconds(5)).Run();
        var submitted = run.Result!.Metrics.Counter("submitted_tx");
        Assert.True(submitted > 2000);
        Assert.Equal(submitted, run.Result.Metrics.Counter("committed_tx"));
        Assert.Equal(0, run.Metrics["safety_violations"]);
        var replica = run.Replica<PbftReplica>(1);
        // Checkpoints became stable and the log was collected up to them.
        Assert.True(replica.LowWatermark > 0);
        Assert.True(replica.LastExecuted - replica.LowWatermark < 16);
        Assert.True(run.Metrics["messages_per_decision"] > 0);
    }
}

public class PbftAuthenticationCostTests
{
    [Fact]
    public void Signature_costs_add_to_latency_along_the_critical_path()
    {
        // Critical path of one request, sign s = 1 ms, verify v = 2 ms: the primary verifies the client's
        // signature (v) and signs the pre-prepare (s); a backup verifies it and the request inside (2v)
        // and signs its prepare (s); one more prepare makes 2f with its own (v), it signs its commit (s);
        // two more commits make 2f+1 with its own (2v); it executes and replies. 3s + 6v = 15 ms on top
        // of the 5d = 50 ms of the free case.
        var costs = new AuthenticationCosts { Sign = Duration.FromMillis(1), Verify = Duration.FromMillis(2), HashPerKilobyte = Duration.Zero };
        var run = BftRun.Create(new PbftProtocol(new PbftOptions { Costs = costs, Block = new BlockOptions { MaxTransactions = 1, BatchTimeout = Duration.Zero } }), 4,
            BftRun.OneRequest, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(1)).Run();
        var latency = Assert.Single(run.Latencies);
        Assert.Equal(0.050 + 0.015, latency, 9);
        Assert.True(run.Metrics["cpu_utilisation_max"] > 0);
    }
}
