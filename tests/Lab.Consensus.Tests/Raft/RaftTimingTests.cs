using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Ledger.Batching;
using Lab.Ledger.Transactions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

public class RaftTimingTests
{
    /// <summary>Sends one transaction to every replica at a set time and records when the commit reply arrives.</summary>
    private sealed class Probe(IReadOnlyList<NodeId> replicas, SimTime sendAt) : ITransactionSource
    {
        public SubmissionLog? Submissions { get; private set; }
        public SimTime? CommittedReplyAt { get; private set; }
        public long Height { get; private set; }

        public void OnStart(INodeContext ctx)
        {
            Submissions = SubmissionLog.Of(ctx);
            ctx.SetTimer(sendAt - ctx.Now, "send");
        }

        public void OnTimer(INodeContext ctx, object state)
        {
            var tx = new Transaction(Submissions!.NextId(ctx.Self), "probe", null, 100, ctx.Now);
            Submissions.Record(tx);
            foreach (var r in replicas) ctx.Send(r, new ClientRequest(tx), 132);
        }

        public void OnMessage(INodeContext ctx, NodeId from, object message)
        {
            if (message is ClientReply { Committed: true } reply && CommittedReplyAt is null)
            {
                CommittedReplyAt = ctx.Now;
                Height = reply.Height;
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    public void With_constant_delay_d_the_leader_commits_2d_after_appending_and_the_client_learns_it_4d_after_sending(int dMillis)
    {
        var d = Duration.FromMillis(dMillis);
        var chain = Harness.FreeChain with { Block = new BlockOptions { MaxTransactions = 1 } };
        var replicas = Enumerable.Range(0, 5).Select(i => new NodeId(i)).ToList();
        var sendAt = Harness.At(2);
        var nodes = replicas.Select(r => new NodeSpec($"n{r.Value}", 0, "replica", () => new RaftReplica(new RaftOptions(), chain, replicas))).ToList();
        Probe? probe = null;
        nodes.Add(new NodeSpec("probe", 0, "client", () => probe = new Probe(replicas, sendAt)));
        var leader = new Capture<RaftReplica?>(v => replicas.Select(r => v.BehaviourOf(r)).OfType<RaftReplica>().SingleOrDefault(x => x.Role == RaftRole.Leader));
        var sim = new Simulation(new SimulationOptions { Seed = 3, EndTime = Harness.At(3) }, NetworkSpec.Constant(d), nodes);
        sim.AddObserver(leader);
        sim.Run();

        var l = leader.AtEnd!;
        Assert.NotNull(probe!.CommittedReplyAt);
        var block = l.Log[(int)probe.Height - 1];
        Assert.Single(block.Block.Transactions);
        // The request reaches the leader at send + d and the leader appends it at once (max-tx 1)...
        var committedAt = l.Commits![(int)probe.Height - 1].At;
        // ...so "commit exactly 2d after append" means commit at send + 3d (append, replicate d, ack d).
        Assert.Equal(sendAt + d * 3, committedAt);
        Assert.Equal(sendAt + d * 4, probe.CommittedReplyAt);
    }
}
