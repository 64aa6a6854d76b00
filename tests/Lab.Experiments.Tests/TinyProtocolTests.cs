using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Ledger.Blocks;
using Lab.Ledger.Transactions;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;

namespace Lab.Experiments.Tests;

/// <summary>
/// The recipe in the <see cref="IModel"/> documentation, followed from outside the lab: a protocol written
/// here (one <see cref="ChainProtocol"/>, one replica, one <see cref="ChainModel"/>) and registered with one
/// line runs a plain experiment and the securities scenario, with the shared client, checkers and
/// standard metrics, and nothing else in the lab changed.
/// </summary>
public class TinyProtocolTests
{
    /// <summary>Replica 0 orders each request into its own block and sends it to the others; followers redirect clients.
    /// No fault tolerance and no catch-up: a follower that misses a block stays behind (fine on a reliable test network).</summary>
    private sealed class TinyProtocol : ChainProtocol
    {
        public override string Name => "tiny";
        public override FaultTolerance Tolerance => FaultTolerance.None;
        public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.LeaderReply;
        public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine) =>
            index => new TinyReplica(index == 0, replicas.Nodes, chain);
    }

    private sealed record TinyBlock(Block Block);

    private sealed class TinyReplica(bool leader, IReadOnlyList<NodeId> replicas, ChainOptions chain) : IBlockSource, ILeaderRole
    {
        private readonly ReplicaLedger _ledger = new(chain.StateMachine(), chain.ReplyBytes);
        private readonly Dictionary<TxId, long> _heights = [];
        private List<Block>? _blocks;

        public CommitLog? Commits => _blocks is null ? null : _ledger.Commits;
        public bool IsByzantine => false;
        public bool IsActingLeader => leader && _blocks is not null;
        public long Term => 0;
        public Block? BlockAt(long height) => _blocks is { } b && height >= 1 && height <= b.Count ? b[(int)height - 1] : null;

        public void OnStart(INodeContext ctx)
        {
            _ledger.OnStart(ctx);
            _blocks = ctx.Storage.GetOrAdd("tiny.blocks", () => new List<Block>());
            foreach (var b in _blocks) Apply(ctx, b, reply: false);
        }

        public void OnMessage(INodeContext ctx, NodeId from, object message)
        {
            switch (ClientRequest.TxOf(message) ?? message)   // a client's request is its transaction
            {
                case Transaction tx when !leader:
                    ctx.Send(from, new ClientReply(tx.Id, 0, false, replicas[0]), chain.ReplyBytes);
                    break;
                case Transaction tx when _heights.TryGetValue(tx.Id, out var h):
                    _ledger.ReplyCommitted(ctx, tx.Id, h);
                    break;
                case Transaction tx:
                    var block = new Block(_blocks!.Count + 1, _blocks.Count == 0 ? Block.Genesis.Hash : _blocks[^1].Hash, [tx], "n0");
                    _blocks.Add(block);
                    foreach (var peer in replicas.Where(p => p != ctx.Self)) ProtocolTraffic.Send(ctx, peer, new TinyBlock(block), block.SizeBytes);
                    Apply(ctx, block, reply: true);
                    break;
                case TinyBlock b when !leader && b.Block.Height == _blocks!.Count + 1:
                    _blocks.Add(b.Block);
                    Apply(ctx, b.Block, reply: false);
                    break;
            }
        }

        public void OnTimer(INodeContext ctx, object state) { }

        private void Apply(INodeContext ctx, Block block, bool reply)
        {
            _ledger.Apply(ctx, block, reply);
            foreach (var tx in block.Transactions) _heights[tx.Id] = block.Height;
        }
    }

    /// <summary>The model: a description, no keys of its own, the protocol.</summary>
    private sealed class TinyModel() : ChainModel(new TinyProtocol())
    {
        public override string Description => "a test protocol: one orderer, one transaction per block";
        public override IReadOnlyList<SchemaKey> Keys => [];
        public override ChainProtocol Protocol(RunContext context) => new TinyProtocol();
    }

    private static readonly ModelRegistry Registry = ModelRegistry.Default.With(new TinyModel());

    private static Lab.Reports.ExperimentResult Run(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("lab-tiny").FullName;
        try
        {
            var file = Path.Combine(dir, "e.yaml");
            File.WriteAllText(file, yaml);
            var d = new Diagnostics();
            var e = new ExperimentLoader(Registry).Load(file, [], d);
            Assert.True(e is not null, string.Join("\n", d.Sorted()));
            return new ExperimentRunner(Registry).Run(e!, parallel: 1);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_protocol_registered_from_a_test_runs_a_plain_experiment_with_the_standard_metrics()
    {
        var result = Run("""
            name: tiny-plain
            seed: 3
            duration: 3s
            warmup: 1s
            network: { latency: 5ms }
            chain: { protocol: tiny, nodes: 3 }
            workload: { clients: { count: 2 }, outstanding: 2 }
            """);
        var m = result.Points.Single().Replications.Single().Metrics;
        foreach (var (name, _) in StandardMetrics.Descriptions.Where(d => !d.Name.Contains('<') && d.Name != StandardMetrics.CommitLatency))
            Assert.True(m.Scalars.ContainsKey(name), $"{name} missing");
        // Closed loop, 2 clients × 2 outstanding: Little's law, about one round trip (10 ms) per transaction.
        Assert.InRange(m.Scalars[StandardMetrics.ThroughputTps] * m.Scalars[StandardMetrics.CommitLatencyMean], 3.6, 4.05);
        Assert.Equal(0, m.Scalars[StandardMetrics.OfferedTps]);
        Assert.Equal(0, m.Scalars[StandardMetrics.SafetyViolations] + m.Scalars[StandardMetrics.ValidityViolations]);
        // One transaction per block: every block but the few still on their way to a client at the end was a finality.
        Assert.InRange(m.Scalars[StandardMetrics.Decisions] - m.Counter(StandardMetrics.CommittedTx), 0, 4);
        Assert.Equal(2, m.Scalars[StandardMetrics.MessagesPerDecision]); // the block to each follower
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_securities_scenario_settles_on_a_protocol_registered_from_a_test()
    {
        var result = Run("""
            name: tiny-securities
            seed: 7
            start: 2026-06-01T00:00+08:00
            duration: 3d
            network: { preset: china-3-cities }
            institutions:
              brokers: { count: 4, regions: [shanghai, beijing, shenzhen] }
            chain: { protocol: tiny, nodes: 3 }
            scenario:
              kind: securities
              market: cn
              securities: 3
              trades: { count: 200, window: 1d }
            settlement: { regime: atomic-dvp }
            outputs: { series-bin: 10min }
            """);
        var m = result.Points.Single().Replications.Single().Metrics;
        Assert.InRange(m.Scalars["orders"], 100, 200); // in a market of four members some orders find no member to take the other side
        Assert.Equal(m.Scalars["orders"], m.Scalars["trades_executed"] + m.Scalars["trades_rejected"]);
        Assert.True(m.Scalars["trades_executed"] > 0);
        Assert.Equal(m.Scalars["trades_executed"], m.Scalars["trades_settled"]);
        Assert.True(m.Scalars[Quantile.Name("settlement_time_s", 0.5)] < 1, "DvP on the tiny chain settles within a round trip");
        Assert.Equal(1, m.Scalars["chain_replicas_agree"]);
        Assert.Equal(0, m.Scalars[StandardMetrics.SafetyViolations] + m.Scalars[StandardMetrics.ValidityViolations]);
        Assert.True(m.Scalars[StandardMetrics.Decisions] > 0);
    }
}
