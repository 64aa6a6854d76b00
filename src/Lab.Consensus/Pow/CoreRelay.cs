using Lab.Consensus.Common;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// The lab's model of Bitcoin Core's block relay: announce headers to peers (BIP 130, the successor
/// of inv) → peers request the blocks they lack (getdata) → blocks or BIP 152 compact blocks cross
/// the network at its real bandwidth; blocks whose parent is missing wait as orphans. With
/// <see cref="PowOptions.SerialUpload"/> a node uploads one block at a time and requests queue.
/// </summary>
public sealed class CoreRelay(PowNode node) : BlockRelay(node)
{
    private readonly Dictionary<PowBlock, long> _have = [];       // block → arrival (ns)
    private readonly Dictionary<PowBlock, long> _requested = [];  // block → request time (ns)
    private readonly List<PowBlock> _orphans = [];
    private readonly Queue<(NodeId To, object Message, int Size)> _uploads = new();
    private SimTime _uploadFree;
    private bool _uploadTimerSet;
    private PowBlock?[]? _peerBest; // per peer (index in the sorted peer list): best block it is known to have

    private PowSetup Setup => Node.Setup;
    private PowOptions O => Node.O;
    private int Me => Node.Me;

    public override void OnStart(INodeContext ctx, PowBlock chain)
    {
        _have[Setup.Genesis] = 0;
        // After a restart the chain comes back from disk (its blocks were validated before).
        for (var b = chain; b.Height > 0; b = b.Parent!) _have[b] = ctx.Now.Nanos;
    }

    public override void Holds(INodeContext ctx, PowBlock block) => _have[block] = ctx.Now.Nanos;

    /// <summary>
    /// Announces a chain tip to every peer but <paramref name="except"/> and those known to have it
    /// already (Bitcoin Core keeps each peer's best known block and never announces what it has).
    /// </summary>
    public override void Announce(INodeContext ctx, PowBlock tip, int headers, int except)
    {
        var msg = new Announce(tip, headers);
        var size = msg.SizeBytes;
        var peers = Setup.Peers.Neighbours(Me);
        _peerBest ??= new PowBlock?[peers.Length];
        var sent = 0;
        for (int i = 0; i < peers.Length; i++)
        {
            var p = peers[i];
            if (p == except || Knows(_peerBest[i], tip)) continue;
            _peerBest[i] = tip;
            ctx.Send(new NodeId(p), msg, size);
            sent++;
        }
        // Protocol traffic counted once for the fan-out (the same whole-number totals as ProtocolTraffic.Send per message).
        if (sent == 0) return;
        ctx.Metrics.Add(StandardMetrics.ProtocolMessages, sent);
        ctx.Metrics.Add(StandardMetrics.ProtocolBytes, (long)sent * size);
    }

    public override bool OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Announce a: OnAnnounce(ctx, from, a); return true;
            case GetBlocks g: OnGetBlocks(ctx, from, g); return true;
            case BlockMessage b: OnBlock(ctx, from, b.Block, compact: false); return true;
            case CompactBlockMessage c: OnBlock(ctx, from, c.Block, compact: true); return true;
            default: return false;
        }
    }

    public override bool OnTimer(INodeContext ctx, object state)
    {
        if (state is not UploadTimer) return false;
        OnUploadTimer(ctx);
        return true;
    }

    private static bool Knows(PowBlock? best, PowBlock block) =>
        best is not null && best.Height >= block.Height && ReferenceEquals(best.AncestorAt(block.Height), block);

    private void PeerHas(NodeId peer, PowBlock block)
    {
        var i = Setup.Peers.IndexOfPeer(Me, peer.Value);
        if (i < 0) return; // not a peer (e.g. a payment from afar)
        _peerBest ??= new PowBlock?[Setup.Peers.PeersOf(Me).Count];
        if (_peerBest[i] is not { } best || block.ChainWork > best.ChainWork) _peerBest[i] = block;
    }

    private void OnAnnounce(INodeContext ctx, NodeId from, Announce a)
    {
        // Most announcements come after the block became our tip and was relayed: nothing to learn.
        if (ReferenceEquals(a.Tip, Node.Tip)) return;
        PeerHas(from, a.Tip);
        if (_have.ContainsKey(a.Tip)) return;
        // Fetch only a chain with more work, or equal work when a tie could make this node switch.
        var reference = Node.ReferenceWorkForRelay;
        var wanted = a.Tip.ChainWork > reference
            || (a.Tip.ChainWork == reference && (O.TieSwitchProbability > 0 || Node.WantsTiesForRelay));
        if (!wanted) return;
        List<PowBlock>? missing = null;
        var now = ctx.Now.Nanos;
        for (var b = a.Tip; !_have.ContainsKey(b); b = b.Parent!)
        {
            if (_requested.TryGetValue(b, out var at) && now - at < O.RequestTimeout.Nanos) continue;
            (missing ??= []).Add(b);
        }
        if (missing is null) return;
        missing.Reverse();
        foreach (var b in missing) _requested[b] = now;
        var req = new GetBlocks(missing, O.CompactBlocks);
        ProtocolTraffic.Send(ctx, from, req, req.SizeBytes);
    }

    private void OnGetBlocks(INodeContext ctx, NodeId from, GetBlocks g)
    {
        foreach (var b in g.Blocks)
        {
            if (!_have.ContainsKey(b)) continue; // never had it (cannot happen for honest peers)
            if (g.Compact)
            {
                var m = new CompactBlockMessage(b);
                Upload(ctx, from, m, m.SizeBytes(O.HeaderBytes));
            }
            else Upload(ctx, from, new BlockMessage(b), b.SizeBytes);
            PeerHas(from, b);
        }
    }

    /// <summary>With <see cref="PowOptions.SerialUpload"/> the node's uplink carries one block at a time; the rest wait.</summary>
    private void Upload(INodeContext ctx, NodeId to, object message, int size)
    {
        if (!O.SerialUpload) { ProtocolTraffic.Send(ctx, to, message, size); return; }
        if (_uploads.Count == 0 && ctx.Now >= _uploadFree) { SendNow(ctx, to, message, size); return; }
        _uploads.Enqueue((to, message, size));
        if (!_uploadTimerSet) { _uploadTimerSet = true; ctx.SetTimer(_uploadFree - ctx.Now, UploadTimer.Instance); }
    }

    private void SendNow(INodeContext ctx, NodeId to, object message, int size)
    {
        ProtocolTraffic.Send(ctx, to, message, size);
        _uploadFree = ctx.Now + Setup.TransmissionTime(Me, to.Value, size);
    }

    private void OnUploadTimer(INodeContext ctx)
    {
        _uploadTimerSet = false;
        while (_uploads.Count > 0 && ctx.Now >= _uploadFree)
        {
            var (to, m, s) = _uploads.Dequeue();
            SendNow(ctx, to, m, s);
        }
        if (_uploads.Count > 0) { _uploadTimerSet = true; ctx.SetTimer(_uploadFree - ctx.Now, UploadTimer.Instance); }
    }

    private void OnBlock(INodeContext ctx, NodeId from, PowBlock block, bool compact)
    {
        _requested.Remove(block);
        if (_have.ContainsKey(block)) { ctx.Metrics.Add(PowMetrics.DuplicateBlocks); return; }
        if (compact && ctx.Random.Chance(O.CompactMissRate))
        {
            // BIP 152: transactions missing from the mempool; fall back to the full block.
            ctx.Metrics.Add(PowMetrics.CompactBlockMisses);
            _requested[block] = ctx.Now.Nanos;
            var req = new GetBlocks([block], false);
            ProtocolTraffic.Send(ctx, from, req, req.SizeBytes);
            return;
        }
        // Validate before relaying: the node is busy meanwhile, later events queue.
        ctx.ChargeCpu(O.BlockValidation + O.TxValidation * block.TxCount);
        if (!_have.ContainsKey(block.Parent!)) { _orphans.Add(block); return; }
        Connect(ctx, block, from.Value);
        // Children that waited for this block.
        for (int i = 0; i < _orphans.Count; i++)
        {
            var o = _orphans[i];
            if (!_have.ContainsKey(o.Parent!)) continue;
            _orphans.RemoveAt(i);
            Connect(ctx, o, from.Value);
            i = -1;
        }
    }

    private void Connect(INodeContext ctx, PowBlock block, int from)
    {
        if (_have.ContainsKey(block)) return;
        Node.Connect(ctx, block, from);
    }

    private sealed class UploadTimer { public static readonly UploadTimer Instance = new(); }
}
