using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Evidence;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.TwoLayer;

/// <summary>An anchor the regulator chain committed: business chain <paramref name="Chain"/>'s heights
/// <paramref name="From"/>..<paramref name="To"/> under <paramref name="Root"/> (<see cref="AnchorLeaves"/>), stored
/// as evidence <paramref name="Id"/>, final at the anchorer at <paramref name="FinalAt"/>.</summary>
public sealed record AnchorRecord(int Chain, string Id, long From, long To, Hash Root, int Leaves, SimTime SubmittedAt, SimTime FinalAt, int Bytes);

/// <summary>What one anchorer did, written by it alone during the run and read after it.</summary>
public sealed class AnchorLog
{
    public List<AnchorRecord> Anchors { get; } = [];
    /// <summary>Anchor transactions submitted (resends not counted).</summary>
    public int Submitted { get; set; }
    /// <summary>Anchors the regulator chain refused (e.g. an id stored twice).</summary>
    public int Refused { get; set; }
}

/// <summary>The leaves an anchor's root covers: for each block in height order its header hash, then its transactions' hashes.</summary>
public static class AnchorLeaves
{
    public static List<Hash> Of(IEnumerable<Block> blocks)
    {
        var leaves = new List<Hash>();
        foreach (var b in blocks)
        {
            leaves.Add(b.Hash);
            foreach (var tx in b.Transactions) leaves.Add(tx.Hash);
        }
        return leaves;
    }

    /// <summary>The evidence id of an anchor: <c>chain/from-to</c>.</summary>
    public static string Id(string chain, long from, long to) => string.Create(CultureInfo.InvariantCulture, $"{chain}/{from}-{to}");
}

/// <summary>
/// Anchors one business chain on the regulator chain (issue 14 §4): reads the chain's committed blocks from its feed
/// replica (<see cref="BlockFeed"/>), and every <paramref name="every"/>, if blocks arrived since the last anchor, submits
/// one transaction to the regulator chain that stores the RFC 9162 Merkle root over them (<see cref="AnchorLeaves"/>:
/// block headers and transactions) as a piece of evidence (<see cref="EvidenceContract"/>, kind <c>anchor</c>) — a real
/// transaction, ordered and executed by the regulator chain's consensus. It resends until final.
/// <para>Less than reality: its buffer and in-flight anchors live in memory (a crash loses the blocks not yet anchored).</para>
/// </summary>
public sealed class Anchorer(int chain, string chainName, Duration every, FinalityTracker client, Duration cpuPerLeaf, AnchorLog log) : ITransactionSource
{
    /// <summary>Bytes of an anchor transaction: the 32-byte root, the last block's 80-byte header, and about 88 bytes of
    /// id, metadata and framing (assumption).</summary>
    public const int AnchorBytes = 200;

    private sealed record Tick;
    private sealed record Pending(long From, long To, Hash Root, int Leaves);

    private readonly List<BlockFeed> _buffer = [];
    private readonly Dictionary<Lab.Ledger.Transactions.TxId, Pending> _inFlight = [];
    private long _held;

    public SubmissionLog? Submissions => client.Submissions;

    public void OnStart(INodeContext ctx)
    {
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        ctx.SetTimer(every, new Tick());
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is BlockFeed f)
        {
            if (f.Block.Height != _held + 1) return; // a re-sent height after the feed replica restarted
            _held = f.Block.Height;
            _buffer.Add(f);
            return;
        }
        client.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is not Tick) { client.OnTimer(ctx, state); return; }
        ctx.SetTimer(every, new Tick());
        if (_buffer.Count == 0) return;
        var leaves = AnchorLeaves.Of(_buffer.Select(b => b.Block));
        var root = MerkleTree.Root(leaves);
        ctx.ChargeCpu(Duration.FromNanos(cpuPerLeaf.Nanos * leaves.Count));
        var from = _buffer[0].Block.Height;
        var to = _buffer[^1].Block.Height;
        var id = AnchorLeaves.Id(chainName, from, to);
        var meta = string.Create(CultureInfo.InvariantCulture, $"{chainName} heights {from}-{to}, {leaves.Count} leaves, last block {_buffer[^1].Block.Hash.Short}");
        var tx = client.Submit(ctx, AnchorBytes, EvidenceContract.Store(new EvidenceItem(id, root, "anchor", meta)));
        _inFlight[tx.Id] = new Pending(from, to, root, leaves.Count);
        log.Submitted++;
        _buffer.Clear();
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_inFlight.Remove(f.Tx.Id, out var p)) return;
        if (!f.Outcome.Accepted) { log.Refused++; return; }
        log.Anchors.Add(new AnchorRecord(chain, AnchorLeaves.Id(chainName, p.From, p.To), p.From, p.To, p.Root, p.Leaves, f.SubmittedAt, f.FinalAt, f.Tx.SizeBytes));
    }
}
