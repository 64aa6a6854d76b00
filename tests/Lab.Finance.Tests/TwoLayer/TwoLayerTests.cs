using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Consensus.Raft;
using Lab.Consensus.Workload;
using Lab.Finance.Chain;
using Lab.Finance.Evidence;
using Lab.Finance.Securities;
using Lab.Finance.TwoLayer;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.TwoLayer;

public class TwoLayerTests
{
    private static SimTime At(double seconds) => SimTime.Zero + Duration.FromSeconds(seconds);

    private static Block BlockOf(long height, params RegionalTrade[] trades) =>
        new(height, Hash.Zero, [.. trades.Select((t, i) => new Transaction(new TxId(height * 100 + i), "east-exchange", t, 256, SimTime.Zero))], "east-n0");

    private static RegionalTrade Trade(int index, int buyer = 0, int seller = 1, long value = 1000) => new(index, buyer, seller, 0, 10, value);

    [Fact]
    public void Staleness_is_the_age_of_the_first_block_the_view_lacks_on_a_hand_made_timeline()
    {
        IReadOnlyList<SimTime> commits = [At(1), At(2), At(5)];
        Assert.Equal(Duration.FromSeconds(0.5), Staleness.Of(At(1.5), 0, commits));   // lacks height 1, committed at 1 s
        Assert.Equal(Duration.FromSeconds(2), Staleness.Of(At(3), 0, commits));       // still lacks height 1
        Assert.Equal(Duration.FromSeconds(1), Staleness.Of(At(3), 1, commits));       // lacks height 2, committed at 2 s
        Assert.Equal(Duration.Zero, Staleness.Of(At(3), 2, commits));                 // height 3 is not committed until 5 s
        Assert.Equal(Duration.FromSeconds(1), Staleness.Of(At(6), 2, commits));
        Assert.Equal(Duration.Zero, Staleness.Of(At(6), 3, commits));
        Assert.Equal(Duration.Zero, Staleness.Of(At(0.5), 0, commits));               // nothing committed yet
    }

    private sealed record Fired;

    /// <summary>Fires the anchorer's timers due at <paramref name="at"/> (each once).</summary>
    private static void Fire(Anchorer a, ManualNodeContext ctx, SimTime at, HashSet<TimerId> fired)
    {
        ctx.Now = at;
        foreach (var t in ctx.Timers.Where(t => t.At == at && fired.Add(t.Id)).ToList()) a.OnTimer(ctx, t.State);
    }

    [Fact]
    public void The_anchorer_anchors_once_per_interval_that_brought_blocks_and_the_root_covers_headers_and_transactions()
    {
        // Node 0: the regulator chain's only replica; node 1: the business chain's feed replica; node 2: the anchorer.
        var ctx = new ManualNodeContext(nodes: 3, self: 2);
        var log = new AnchorLog();
        var tracker = new FinalityTracker(FinalityRule.LeaderReply, [new NodeId(0)], TransactionSigning.Free);
        var anchorer = new Anchorer(0, "east", Duration.FromSeconds(10), tracker, Duration.FromMicros(1), log);
        var fired = new HashSet<TimerId>();
        anchorer.OnStart(ctx);
        var b1 = BlockOf(1, Trade(0));
        var b2 = BlockOf(2, Trade(1), Trade(2));
        var b3 = BlockOf(3, Trade(3));
        ctx.Now = At(1); anchorer.OnMessage(ctx, new NodeId(1), new BlockFeed(0, b1, At(0.99)));
        ctx.Now = At(3); anchorer.OnMessage(ctx, new NodeId(1), new BlockFeed(0, b2, At(2.99)));
        anchorer.OnMessage(ctx, new NodeId(1), new BlockFeed(0, b1, At(0.99)));         // a restarted feed re-sends: ignored
        Fire(anchorer, ctx, At(10), fired);
        ctx.Now = At(12); anchorer.OnMessage(ctx, new NodeId(1), new BlockFeed(0, b3, At(11.99)));
        Fire(anchorer, ctx, At(20), fired);
        Fire(anchorer, ctx, At(30), fired);                                             // nothing new: no anchor
        Fire(anchorer, ctx, At(40), fired);

        var requests = ctx.Sent.Select(s => Lab.Consensus.Common.ClientRequest.TxOf(s.Message)).OfType<Transaction>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(2, log.Submitted);
        Assert.All(requests, r => Assert.Equal(Anchorer.AnchorBytes, r.SizeBytes));
        var first = (EvidenceBatch)((ContractCall)requests[0].Payload!).Arguments!;
        var item = Assert.Single(first.Items);
        Assert.Equal("east/1-2", item.Id);
        Assert.Equal(MerkleTree.Root(AnchorLeaves.Of([b1, b2])), item.Hash);
        Assert.Equal(5, AnchorLeaves.Of([b1, b2]).Count);                               // two headers, three transactions
        Assert.Equal("east/3-3", ((EvidenceBatch)((ContractCall)requests[1].Payload!).Arguments!).Items[0].Id);

        // The regulator chain answers: the first anchor is final at 10.5 s.
        ctx.Now = At(10.5);
        anchorer.OnMessage(ctx, new NodeId(0), new ClientReply(requests[0].Id, 7, true));
        var record = Assert.Single(log.Anchors);
        // Submitted after hashing its five leaves (1 µs each).
        Assert.Equal((1L, 2L, At(10) + Duration.FromMicros(5), At(10.5)), (record.From, record.To, record.SubmittedAt, record.FinalAt));
    }

    [Fact]
    public void An_inclusion_proof_verifies_against_the_anchored_root_and_a_tampered_trade_fails()
    {
        var commits = new CommitTimes();
        var blocks = new[] { BlockOf(1), BlockOf(2, Trade(0), Trade(1)), BlockOf(3, Trade(2)) };
        for (int h = 0; h < blocks.Length; h++) commits.Record(h + 1, At(h + 1), blocks[h]);
        var root = MerkleTree.Root(AnchorLeaves.Of(blocks));
        var anchor = new AnchorRecord(0, "east/1-3", 1, 3, root, 5, At(10), At(11), Anchorer.AnchorBytes);

        // The regulator chain holds the root as evidence: run the evidence contract as the regulator chain's replicas do.
        var rt = new ContractRuntime(new Membership().Add("east-anchorer", EvidenceContract.RecorderRole), [new EvidenceContract()], new Dictionary<string, string>());
        var store = new Transaction(new TxId(1), "east-anchorer", EvidenceContract.Store(new EvidenceItem(anchor.Id, root, "anchor", "east heights 1-3")), 200, SimTime.Zero);
        Assert.True(rt.Apply(new Block(1, Hash.Zero, [store], "regulator-n0"), new ManualNodeContext(nodes: 1))[0].Accepted);

        var ok = AnchorProof.Check(anchor, commits, rt.State.Get);
        Assert.True(ok.Verified);
        Assert.True(ok.TamperDetected);

        // By hand: the second trade's leaf is index 3 (header 1, header 2, trade 0, trade 1).
        var tx = blocks[1].Transactions[1];
        var proof = MerkleTree.Prove(AnchorLeaves.Of(blocks), 3);
        var verifier = new EvidenceVerifier(root);
        Assert.True(verifier.Includes(tx.Hash, proof));
        var tampered = tx with { Payload = Trade(1, value: 1001) };
        Assert.False(verifier.Includes(tampered.Hash, proof));

        // A root the regulator chain does not hold proves nothing.
        var wrong = anchor with { Id = "east/1-2" };
        Assert.False(AnchorProof.Check(wrong, commits, rt.State.Get).Verified);
    }

    [Fact]
    public void The_position_ledger_conserves_refuses_self_trades_and_only_the_feed_replica_feeds()
    {
        var commits = new CommitTimes();
        var readers = new[] { new NodeId(5), new NodeId(6) };
        var feed = new PositionLedger(0, 3, 2, Duration.FromMicros(30), new NodeId(0), readers, commits);
        var other = new PositionLedger(0, 3, 2, Duration.FromMicros(30), new NodeId(0), readers, commits);
        var block = BlockOf(1, Trade(0, buyer: 0, seller: 1), Trade(1, buyer: 2, seller: 2), new RegionalTrade(2, 2, 0, 1, 5, 700));
        var feedCtx = new ManualNodeContext(nodes: 7, self: 0) { Now = At(4) };
        var otherCtx = new ManualNodeContext(nodes: 7, self: 1) { Now = At(4) };
        var outcomes = feed.Apply(block, feedCtx);
        other.Apply(block, otherCtx);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Accepted));
        Assert.Equal((10L, -10L, -1000L + 700L, 1000L), (feed.Position(0, 0), feed.Position(1, 0), feed.Cash(0), feed.Cash(1))); // member 0 bought for 1,000, sold for 700
        Assert.Equal((-5L, 5L), (feed.Position(0, 1), feed.Position(2, 1)));
        Assert.True(feed.Conserved());
        Assert.Equal(readers, feedCtx.Sent.Select(s => s.To));
        // The commit time a reader gets is when the block was applied: after its three trades' 30 µs each of contract CPU.
        Assert.All(feedCtx.Sent, s => Assert.Equal(At(4) + Duration.FromMicros(90), ((BlockFeed)s.Message).CommittedAt));
        Assert.Empty(otherCtx.Sent);
        Assert.Equal(1, commits.Count);
    }

    private static LayerChain Layer(string name, bool regulator, ChainProtocol protocol, string region, Duration? every = null) =>
        new(name, regulator, new SettlementChain(protocol, new ChainOptions { Nodes = 4, Placement = [region] }), every ?? Duration.FromSeconds(10));

    [Fact]
    public void Several_chains_keep_disjoint_node_ids_and_each_chain_is_checked_on_its_own_replicas()
    {
        var net = TestWorlds.ChinaThreeCities();
        var market = TestWorlds.Small(new OnChainSettlement(), trades: 300) with { Orders = TestWorlds.Small(new OnChainSettlement()).Orders with { Trades = 300, Securities = 6 } };
        var options = new TwoLayerOptions
        {
            Chains = [Layer("east", false, new PbftProtocol(new PbftOptions()), "shanghai"), Layer("south", false, new RaftProtocol(new RaftOptions
            {
                // Slow heartbeats: the week's nights are quiet (default heartbeats would cost seconds of events here).
                Heartbeat = Duration.FromSeconds(5), ElectionTimeoutMin = Duration.FromSeconds(15), ElectionTimeoutMax = Duration.FromSeconds(30),
            }), "shenzhen"),
                      Layer("reg", true, new PbftProtocol(new PbftOptions()), "beijing")],
            RegulatorRegion = "beijing",
            QueryEvery = Duration.FromSeconds(30),
        };
        var end = SecuritiesWorld.SuggestedEnd(market);
        var spec = TwoLayerWorld.Build(market, options, net, 7, end);
        Assert.Equal(["east-n0", "east-n1", "east-n2", "east-n3", "south-n0", "south-n1", "south-n2", "south-n3", "reg-n0", "reg-n1", "reg-n2", "reg-n3",
            "east-exchange", "east-anchorer", "south-exchange", "south-anchorer", TwoLayerWorld.RegulatorView], spec.Nodes.Select(n => n.Name));
        Assert.Equal([0, 1, 2, 3], spec.Worlds[0].ReplicaNodes.Select(n => n.Value));
        Assert.Equal([4, 5, 6, 7], spec.Worlds[1].ReplicaNodes.Select(n => n.Value));
        Assert.Equal([8, 9, 10, 11], spec.Worlds[2].ReplicaNodes.Select(n => n.Value));

        var sim = new Simulation(new SimulationOptions { Seed = 7, EndTime = end, SeriesBin = Duration.FromMinutes(10) }, net, spec.Nodes);
        foreach (var o in spec.Observers) sim.AddObserver(o);
        var run = sim.Run();
        var found = TwoLayerResults.Derive(run, spec);
        Assert.Empty(found.Violations);
        // Each chain's checker saw its own chain only: its highest height is its own replicas' log length.
        for (int c = 0; c < 2; c++)
        {
            Assert.True(spec.Commits[c].Count > 0);
            Assert.Equal(spec.Commits[c].Count, spec.Worlds[c].Agreement.HighestHeight);
        }
        Assert.True(spec.Worlds[2].Agreement.HighestHeight > 0);
        Assert.NotEqual(spec.Commits[0].Count, spec.Commits[1].Count); // different chains, different heights
        // Every trade of the tape is on exactly one business chain, and every business block ends up anchored.
        var onChains = Enumerable.Range(0, 2).Sum(c => Enumerable.Range(1, spec.Commits[c].Count).Sum(h => spec.Commits[c].BlockAt(h).Transactions.Count));
        Assert.Equal(spec.Setup.Tape.Trades.Count, onChains);
        Assert.Equal(0, run.Metrics.Scalars["unanchored_blocks.east"]);
        Assert.Equal(run.Metrics.Scalars["anchor_tx.east"], run.Metrics.Scalars[TwoLayerMetrics.ProofsVerified] - run.Metrics.Scalars["anchor_tx.south"]);
    }

    [Fact]
    public void A_chain_checker_with_a_scope_ignores_another_chain_at_the_same_heights()
    {
        // Two single-replica chains side by side commit different blocks at height 1: unscoped, that is a conflict.
        var net = TestWorlds.ChinaThreeCities();
        var solo = new Lab.Consensus.Solo.SoloProtocol(new Lab.Consensus.Solo.SoloOptions());
        var options = new ChainOptions { Nodes = 1, Placement = ["shanghai"] };
        var a = ChainWorld.Build(solo, options, WorkloadOptions.None, net, new ChainSlot(0, "a-"));
        var b = ChainWorld.Build(solo, options, WorkloadOptions.None, net, new ChainSlot(1, "b-"));
        Assert.Equal((0, "a-n0"), (a.ReplicaNodes[0].Value, a.Nodes[0].Name));
        Assert.Equal((1, "b-n0"), (b.ReplicaNodes[0].Value, b.Nodes[0].Name));
        Assert.Equal((1, 1), (a.Agreement.Scope!.Value.Count, b.Agreement.Scope!.Value.First));
        Assert.Null(ChainWorld.Build(solo, options, WorkloadOptions.None, net).Agreement.Scope); // a single chain: every node, as before
    }
}
