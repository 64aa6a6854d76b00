using Lab.Consensus.Pow;
using Lab.Consensus.Common;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow.SimBlock;

/// <summary>
/// SimBlock's block relay, rule for rule (<c>simulator/src/main/java/simblock/node/Node.java</c> at
/// 5fc7f9f; see <see cref="SimBlockRules"/> for the constants). It runs on the kernel's
/// <c>simblock</c> network rules (a Pareto delay per message, no bandwidth charged by the kernel) and
/// times its own transfers as SimBlock does:
/// <list type="bullet">
/// <item>A node that adopts a block sends an inv to every neighbour, the one it came from included
/// (<c>sendInv</c>); inv and requests arrive after the link's delay + 10 ms.</item>
/// <item>An inv for a block that is neither a known orphan nor being downloaded is answered with a
/// request when the block has more work than the node's tip, or is not on the node's chain (SimBlock
/// fetches competing blocks too, to count them as orphans).</item>
/// <item>Requests queue at the sender, which uploads one block at a time: a transfer takes the link's
/// delay + size × 8 / min(sender region's upload, receiver region's download) in whole milliseconds
/// + 2 ms processing, and the sender's next upload starts only when the receiver has the block
/// (<c>BlockMessageTask.run</c> calls <c>sendNextBlockMessage</c> on the sender first).</item>
/// <item>Between two compact-block nodes the transfer is an 18 KB compact block; the receiver fails
/// to rebuild it with 13% (27% for churn nodes) and then requests the missing transactions, which
/// queue at the sender like a request and cost a fraction of the block drawn from SimBlock's table
/// for the sender's kind (SimBlock's <c>getFailedBlockSize</c> runs on the sender).</item>
/// <item>A block with more work than the tip is adopted at once, whether or not its parent arrived
/// (<c>receiveBlock</c>); a block off the node's chain with less work is recorded as an orphan. Both
/// count as the block's arrival at the node (<c>Simulator.arriveBlock</c>); a block the node skipped
/// because a descendant came first never arrives.</item>
/// </list>
/// Less than SimBlock's setup: the genesis block is known to every node at time zero (SimBlock relays
/// it from one node like any block before mining starts), and a message the lab's faults drop frees
/// the sender's upload after the transfer time instead of never (SimBlock has no loss).
/// </summary>
public sealed class SimBlockRelay(PowNode node) : BlockRelay(node)
{
    // Null until this node sees its first orphan: most nodes of a run never do, and an inv then skips the set.
    private HashSet<PowBlock>? _orphans;
    // Checked for most invs (while a block downloads its other neighbours announce it too); usually one entry.
    private InFlight _downloading;
    private readonly Queue<(NodeId Requester, PowBlock Block, bool Missing)> _uploads = new();
    private bool _sending;

    private PowSetup Setup => Node.Setup;
    private SimBlockRules Rules => Node.O.SimBlock;
    private SimBlockTopology Topology => Setup.SimBlock!;
    private int Me => Node.Me;

    /// <summary><c>Node.sendInv</c>: an inv to every neighbour.</summary>
    public override void Announce(INodeContext ctx, PowBlock tip, int headers, int except)
    {
        var peers = Setup.Peers.Neighbours(Me);
        if (peers.IsEmpty) return;
        var inv = new Inv(tip);
        // Counted once for the whole fan-out (the same whole-number totals as one count per message).
        CountSent(ctx, peers.Length, (long)peers.Length * Inv.SizeBytes);
        foreach (var p in peers)
            ctx.SendUncharged(new NodeId(p), inv, Inv.SizeBytes, Rules.ControlMessageDelay);
    }

    public override bool OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Inv inv: OnInv(ctx, from, inv.Block); return true;
            case BlockRequest r: Enqueue(ctx, from, r.Block, missing: false); return true;
            case MissingTransactionsRequest m: Enqueue(ctx, from, m.Block, missing: true); return true;
            case CompactBlock c: OnCompactBlock(ctx, from, c.Block); return true;
            case SimBlockTransfer t:
                _downloading.Remove(t.Block);
                Receive(ctx, t.Block, from);
                return true;
            default: return false;
        }
    }

    public override bool OnTimer(INodeContext ctx, object state)
    {
        if (state is not UploadDone) return false;
        SendNext(ctx);
        return true;
    }

    private void OnInv(INodeContext ctx, NodeId from, PowBlock block)
    {
        // Most invs name a block already on this node's chain: that test is cheap and needs no set lookup, so it goes first.
        var tip = Node.Tip;
        if (block.ChainWork <= tip.ChainWork && OnSameChain(block, tip)) return;
        if (_downloading.Contains(block) || IsOrphan(block)) return;
        Send(ctx, from, new BlockRequest(block), BlockRequest.SizeBytes, Rules.ControlMessageDelay);
        _downloading.Add(block);
    }

    private void Enqueue(INodeContext ctx, NodeId requester, PowBlock block, bool missing)
    {
        _uploads.Enqueue((requester, block, missing));
        if (!_sending) SendNext(ctx);
    }

    /// <summary><c>Node.sendNextBlockMessage</c>.</summary>
    private void SendNext(INodeContext ctx)
    {
        if (_uploads.Count == 0) { _sending = false; return; }
        var (to, block, missing) = _uploads.Dequeue();
        object message;
        long bytes;
        if (missing)
        {
            message = new SimBlockTransfer(block);
            bytes = MissingBytes(ctx, block);
        }
        else if (Topology.UsesCompactBlocks[to.Value] && Topology.UsesCompactBlocks[Me])
        {
            message = new CompactBlock(block);
            bytes = Rules.CompactBlockBytes;
        }
        else
        {
            message = new SimBlockTransfer(block);
            bytes = block.SizeBytes;
        }
        // Whole milliseconds, as SimBlock divides: bytes × 8 / (bits per second / 1000).
        var delay = Duration.FromMillis(bytes * 8 / Setup.SimBlockBitsPerMilli(Me, to.Value)) + Rules.Processing;
        var arrival = Send(ctx, to, message, checked((int)bytes), delay);
        _sending = true;
        ctx.SetTimer((arrival ?? ctx.Now + delay) - ctx.Now, UploadDone.Instance);
    }

    /// <summary><c>Node.getFailedBlockSize</c>: a fraction of the block drawn from the table for this (the sending) node's kind.</summary>
    private long MissingBytes(INodeContext ctx, PowBlock block)
    {
        var table = Topology.IsChurnNode[Me] ? SimBlockRules.RefetchFractionsChurn : SimBlockRules.RefetchFractionsControl;
        var fraction = table[ctx.Random.Next(table.Count)];
        return (long)(block.SizeBytes * fraction); // single precision, as SimBlock's long × float
    }

    private void OnCompactBlock(INodeContext ctx, NodeId from, PowBlock block)
    {
        var failureRate = Topology.IsChurnNode[Me] ? Rules.CbrFailureRateChurn : Rules.CbrFailureRateControl;
        if (ctx.Random.NextDouble() > failureRate)
        {
            _downloading.Remove(block);
            Receive(ctx, block, from);
            return;
        }
        ctx.Metrics.Add(PowMetrics.CompactBlockMisses);
        Send(ctx, from, new MissingTransactionsRequest(block), MissingTransactionsRequest.SizeBytes, Rules.ControlMessageDelay);
    }

    /// <summary><c>Node.receiveBlock</c>.</summary>
    private void Receive(INodeContext ctx, PowBlock block, NodeId from)
    {
        var tip = Node.Tip;
        if (block.ChainWork > tip.ChainWork)
        {
            if (!OnSameChain(tip, block)) AddOrphans(tip, block);
            Node.Connect(ctx, block, from.Value);
        }
        else if (!IsOrphan(block) && !OnSameChain(block, tip))
        {
            AddOrphans(block, tip);
            Node.RecordArrival(ctx, block);
        }
    }

    /// <summary><c>Node.addOrphans</c>: marks the blocks of <paramref name="orphan"/>'s branch down to the fork with <paramref name="valid"/>'s as orphans and <paramref name="valid"/>'s as not.</summary>
    private void AddOrphans(PowBlock orphan, PowBlock valid)
    {
        var orphans = _orphans ??= [];
        while (!ReferenceEquals(orphan, valid))
        {
            orphans.Add(orphan);
            orphans.Remove(valid);
            if (orphan.Height > valid.Height) orphan = orphan.Parent!;
            else if (orphan.Height == valid.Height) { orphan = orphan.Parent!; valid = valid.Parent!; }
            else valid = valid.Parent!;
        }
    }

    private bool IsOrphan(PowBlock block) => _orphans is { } o && o.Contains(block);

    /// <summary><c>Block.isOnSameChainAs</c>: one block descends from the other.</summary>
    private static bool OnSameChain(PowBlock a, PowBlock b) => a.Descends(b) || b.Descends(a);

    /// <summary>Sends as SimBlock times it (the kernel charges no bandwidth) and counts it as protocol traffic.</summary>
    private static SimTime? Send(INodeContext ctx, NodeId to, object message, int sizeBytes, Duration delay)
    {
        CountSent(ctx, 1, sizeBytes);
        return ctx.SendUncharged(to, message, sizeBytes, delay);
    }

    /// <summary>Counts <paramref name="messages"/> sent messages of <paramref name="bytes"/> in all as protocol traffic (also those the network then drops).</summary>
    private static void CountSent(INodeContext ctx, int messages, long bytes)
    {
        ctx.Metrics.Add(StandardMetrics.ProtocolMessages, messages);
        ctx.Metrics.Add(StandardMetrics.ProtocolBytes, bytes);
    }

    private sealed class UploadDone { public static readonly UploadDone Instance = new(); }

    /// <summary>
    /// The blocks this node requested and has not received yet (SimBlock's <c>downloadingBlocks</c>), a
    /// set by block id as <see cref="PowBlock.Equals"/> defines it. Held in the relay itself: one or two
    /// blocks are in flight at a time, and a field compare costs less than hashing into arrays elsewhere in memory.
    /// </summary>
    private struct InFlight
    {
        private PowBlock? _first;
        private List<PowBlock>? _more;

        public readonly bool Contains(PowBlock block)
        {
            if (_first is { } f && f.Id == block.Id) return true;
            if (_more is null) return false;
            foreach (var b in _more)
                if (b.Id == block.Id) return true;
            return false;
        }

        /// <summary>Adds a block not in the set (the caller checked).</summary>
        public void Add(PowBlock block)
        {
            if (_first is null) _first = block;
            else (_more ??= []).Add(block);
        }

        public void Remove(PowBlock block)
        {
            if (_first is { } f && f.Id == block.Id)
            {
                _first = null;
                if (_more is { Count: > 0 } more) { _first = more[^1]; more.RemoveAt(more.Count - 1); }
            }
            else _more?.Remove(block);
        }
    }
}
