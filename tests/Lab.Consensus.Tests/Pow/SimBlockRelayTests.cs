using Lab.Consensus.Common;
using Lab.Consensus.Pow;
using Lab.Consensus.Pow.SimBlock;
using Lab.Consensus.Workload;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

/// <summary>
/// SimBlock's relay timed exactly: three fully meshed nodes, one miner (n0), 50 ms one-way links and
/// 10 Mbit/s up and down, one 535,000-byte block. Inv and requests take 50 + 10 ms; a block takes
/// 50 ms + 535,000 × 8 / 10,000 = 428 ms + 2 ms processing; n0 uploads to one requester at a time and
/// starts the next upload when the previous one has arrived.
/// </summary>
public class SimBlockRelayTests
{
    private static double[] ArrivalDelays(SimBlockRules rules)
    {
        var options = new PowOptions
        {
            Miners = 1,
            FullMesh = true,
            TargetHeight = 1,
            RetargetWindow = 0,
            MaxBlockBytes = 535_000,
            FixedBlockSize = true,
            Relay = PowRelay.SimBlock,
            SimBlock = rules,
        };
        var network = NetworkSpec.Constant(Duration.FromMillis(50)) with { Upload = [Bandwidth.Mbps(10)], Download = [Bandwidth.Mbps(10)] };
        var run = PowTestWorld.Run(options, nodes: 3, network, seed: 1);
        return [.. run.Result.Metrics.Samples[PowMetrics.BlockArrival].Select(x => Math.Round(x, 6)).Order()];
    }

    [Fact]
    public void Full_blocks_go_to_one_requester_after_the_other()
    {
        // n1: 60 (inv) + 60 (request) + 480 = 0.600 s; n2's upload starts when n1 has the block: + 480 = 1.080 s.
        var delays = ArrivalDelays(SimBlockRules.Current with { CbrUsageRate = 0 });
        Assert.Equal([0.600, 1.080], delays);
    }

    [Fact]
    public void Compact_blocks_between_compact_nodes_take_18_KB()
    {
        // 18,000 × 8 / 10,000 = 14.4 → 14 ms (SimBlock divides whole numbers) + 2 ms: 0.186 s, then 0.186 + 0.066.
        var delays = ArrivalDelays(SimBlockRules.Current with { CbrUsageRate = 1, ChurnNodeRate = 0, CbrFailureRateControl = 0 });
        Assert.Equal([0.186, 0.252], delays);
    }

    [Fact]
    public void A_failed_compact_block_refetches_one_percent_behind_the_senders_queue()
    {
        // Both compact blocks fail (rate 1). n1's request for the missing part reaches n0 at 0.246 s while
        // n0 uploads to n2 (until 0.252 s); 5,350 bytes take 4 + 2 ms: n1 at 0.252 + 0.056 = 0.308 s. n2's
        // request reaches n0 at 0.312 s, when n0 is idle: 0.368 s.
        var delays = ArrivalDelays(SimBlockRules.Current with { CbrUsageRate = 1, ChurnNodeRate = 0, CbrFailureRateControl = 1 });
        Assert.Equal([0.308, 0.368], delays);
    }

    [Fact]
    public void An_inv_for_a_competing_block_with_less_work_is_still_fetched_and_counted_as_an_orphan()
    {
        var (node, ctx, setup) = Single();
        var a = Child(setup.Genesis, miner: 1, id: 1);
        var b = Child(setup.Genesis, miner: 2, id: 2);
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(a));
        Assert.Same(a, node.Tip);
        ctx.Sent.Clear();
        node.OnMessage(ctx, new NodeId(2), new Inv(b));
        Assert.IsType<BlockRequest>(Assert.Single(ctx.Sent).Message);
        // The same inv again: already downloading, no second request.
        node.OnMessage(ctx, new NodeId(1), new Inv(b));
        Assert.Single(ctx.Sent);
        node.OnMessage(ctx, new NodeId(2), new SimBlockTransfer(b));
        Assert.Same(a, node.Tip); // first seen wins a tie
        Assert.Equal([a, b], node.Arrivals.Select(x => x.Block));
        // Known as an orphan now: its inv is ignored.
        ctx.Sent.Clear();
        node.OnMessage(ctx, new NodeId(1), new Inv(b));
        Assert.Empty(ctx.Sent);
    }

    [Fact]
    public void A_block_with_more_work_is_adopted_before_its_parent_arrives_and_the_parent_never_counts()
    {
        var (node, ctx, setup) = Single();
        var a = Child(setup.Genesis, miner: 1, id: 1);
        var c = Child(a, miner: 1, id: 2);
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(c));
        Assert.Same(c, node.Tip);
        // An inv to every neighbour, the sender included.
        Assert.Equal([new NodeId(1), new NodeId(2)], ctx.Sent.Where(s => s.Message is Inv).Select(s => s.To).Order());
        node.OnMessage(ctx, new NodeId(2), new SimBlockTransfer(a));
        Assert.Equal([c], node.Arrivals.Select(x => x.Block));
    }

    [Fact]
    public void An_inv_for_a_block_on_the_nodes_chain_is_not_requested()
    {
        var (node, ctx, setup) = Single();
        var a = Child(setup.Genesis, miner: 1, id: 1);
        var c = Child(a, miner: 1, id: 2);
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(a));
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(c));
        ctx.Sent.Clear();
        node.OnMessage(ctx, new NodeId(2), new Inv(c));             // the tip
        node.OnMessage(ctx, new NodeId(2), new Inv(a));             // its parent
        node.OnMessage(ctx, new NodeId(2), new Inv(setup.Genesis)); // genesis
        Assert.Empty(ctx.Sent);
        // A block off the chain with less work is still fetched (SimBlock counts it as an orphan).
        node.OnMessage(ctx, new NodeId(2), new Inv(Child(setup.Genesis, miner: 2, id: 3)));
        Assert.IsType<BlockRequest>(Assert.Single(ctx.Sent).Message);
    }

    [Fact]
    public void Several_blocks_in_flight_are_each_requested_once_until_they_arrive()
    {
        var (node, ctx, setup) = Single();
        var a = Child(setup.Genesis, miner: 1, id: 1);
        var b = Child(setup.Genesis, miner: 2, id: 2);
        var c = Child(a, miner: 1, id: 3);
        int Requests() => ctx.Sent.Count(s => s.Message is BlockRequest);
        node.OnMessage(ctx, new NodeId(1), new Inv(a));
        node.OnMessage(ctx, new NodeId(2), new Inv(b));
        node.OnMessage(ctx, new NodeId(1), new Inv(c));
        Assert.Equal(3, Requests());
        // The other peer announces the same three: all are in flight, none is requested again.
        foreach (var x in new[] { a, b, c }) node.OnMessage(ctx, new NodeId(2), new Inv(x));
        Assert.Equal(3, Requests());
        // a arrives first; b and c are still in flight.
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(a));
        node.OnMessage(ctx, new NodeId(2), new Inv(b));
        node.OnMessage(ctx, new NodeId(2), new Inv(c));
        Assert.Equal(3, Requests());
        // b arrives (an orphan: a came first), then c (adopted); none of them is fetched again.
        node.OnMessage(ctx, new NodeId(2), new SimBlockTransfer(b));
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(c));
        Assert.Same(c, node.Tip);
        foreach (var x in new[] { a, b, c }) node.OnMessage(ctx, new NodeId(2), new Inv(x));
        Assert.Equal(3, Requests());
        Assert.Equal([a, b, c], node.Arrivals.Select(x => x.Block));
        // A new block is requested as usual.
        node.OnMessage(ctx, new NodeId(2), new Inv(Child(c, miner: 2, id: 4)));
        Assert.Equal(4, Requests());
    }

    [Fact]
    public void Every_inv_of_a_fan_out_counts_as_protocol_traffic()
    {
        var (node, ctx, setup) = Single();
        node.OnMessage(ctx, new NodeId(1), new SimBlockTransfer(Child(setup.Genesis, miner: 1, id: 1)));
        node.OnMessage(ctx, new NodeId(1), new Inv(Child(setup.Genesis, miner: 2, id: 2)));
        // Two invs (to n1 and n2) and one request.
        Assert.Equal(3, ctx.Sent.Count);
        var m = RunMetrics.Merge(Duration.FromSeconds(1), [ctx.Metrics]);
        Assert.Equal(3, m.Counter(StandardMetrics.ProtocolMessages));
        Assert.Equal(2 * Inv.SizeBytes + BlockRequest.SizeBytes, m.Counter(StandardMetrics.ProtocolBytes));
    }

    private static (PowNode Node, ManualNodeContext Ctx, PowSetup Setup) Single()
    {
        var options = new PowOptions { Miners = 1, FullMesh = true, Relay = PowRelay.SimBlock };
        var protocol = new PowProtocol(options);
        var world = ChainWorld.Build(protocol, new ChainOptions { Nodes = 3 }, WorkloadOptions.None, NetworkSpec.Constant(Duration.FromMillis(50)), keySeed: 1);
        var ctx = new ManualNodeContext(nodes: 3, self: 0);
        var node = (PowNode)world.Nodes[0].Factory();
        node.OnStart(ctx);
        return (node, ctx, protocol.Run!.Setup);
    }

    private static PowBlock Child(PowBlock parent, int miner, long id) =>
        new(id, parent, miner, parent.MinedAt + Duration.FromSeconds(1), 1, SimTime.Zero, 0, 0, 535_000, 0);
}
