using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// An honest proof-of-work full node, in the order the protocol runs:
/// mine (an exponential race set by hash share and difficulty) → announce headers to peers →
/// peers request the blocks they lack → blocks (or compact blocks) cross the network at its real
/// bandwidth → validate (CPU per block and per transaction) → fork choice by most cumulative work,
/// reorganising if needed → relay. Attackers derive from it and change what they mine on and what
/// they publish.
/// </summary>
public class PowNode(PowSetup setup, int self) : INodeBehaviour
{
    protected readonly PowSetup Setup = setup;
    protected readonly PowOptions O = setup.Options;
    protected readonly int Me = self;

    private readonly Dictionary<PowBlock, long> _have = [];       // block → arrival (ns)
    private readonly Dictionary<PowBlock, long> _requested = [];  // block → request time (ns)
    private readonly List<PowBlock> _orphans = [];
    private readonly List<BlockArrival> _arrivals = [];
    private readonly Queue<(NodeId To, object Message, int Size)> _uploads = new();
    private SimTime _uploadFree;
    private bool _uploadTimerSet;
    private TimerId _mineTimer = TimerId.None;
    private double _timerRate;
    private long _sequence;
    private int _confirmedHeight;
    private long _txConfirmedEnd;
    private PaymentNotice? _payment;
    private readonly List<WatchedPayment> _watched = [];
    private const string TipKey = "pow.tip";
    private PowBlock?[]? _peerBest; // per peer (index in the sorted peer list): best block it is known to have

    /// <summary>This node's best chain.</summary>
    public PowBlock Tip { get; private set; } = setup.Genesis;
    /// <summary>Every block this node received (or mined), with its arrival time, in arrival order.</summary>
    public IReadOnlyList<BlockArrival> Arrivals => _arrivals;
    /// <summary>Balances by miner along this node's chain (kept by the client node only, else null).</summary>
    public long[]? Balances { get; private set; }
    public bool IsClient => Me == O.ClientNode;
    /// <summary>False for attackers.</summary>
    public virtual bool IsHonest => true;

    // ---- hooks for attackers ----

    /// <summary>The block this node mines on.</summary>
    protected virtual PowBlock MiningTip => Tip;
    /// <summary>Work a chain must reach before this node fetches it.</summary>
    protected virtual double ReferenceWork => Tip.ChainWork;
    /// <summary>Double-spend attempt a new block on <paramref name="parent"/> carries (attackers only).</summary>
    protected virtual int DoubleSpendTag(PowBlock parent) => 0;

    /// <summary>This node mined <paramref name="block"/>. Honest: adopt and announce at once.</summary>
    protected virtual void OnMined(INodeContext ctx, PowBlock block)
    {
        SetTip(ctx, block);
        Announce(ctx, block, 1, except: -1);
    }

    /// <summary>A valid block arrived from <paramref name="from"/>. Honest: most work wins; ties by <see cref="PowOptions.TieSwitchProbability"/>.</summary>
    protected virtual void OnReceived(INodeContext ctx, PowBlock block, int from)
    {
        var switchTo = block.ChainWork > Tip.ChainWork
            || (block.ChainWork == Tip.ChainWork && !ReferenceEquals(block, Tip) && ctx.Random.Chance(O.TieSwitchProbability));
        if (!switchTo) return;
        var fork = SetTip(ctx, block);
        Announce(ctx, block, block.Height - fork.Height, except: from);
    }

    // ---- start ----

    public void OnStart(INodeContext ctx)
    {
        _have[Setup.Genesis] = 0;
        if (IsClient) Balances = new long[Setup.NodeCount];
        // After a restart the chain comes back from disk (its blocks were validated before).
        if (ctx.Storage.TryGet<PowBlock>(TipKey, out var saved))
        {
            for (var b = saved; b.Height > 0; b = b.Parent!) _have[b] = ctx.Now.Nanos;
            Tip = saved;
            _confirmedHeight = Math.Max(0, saved.Height - O.ConfirmationDepth + 1);
            _txConfirmedEnd = saved.AncestorAt(_confirmedHeight).TxEnd;
            if (Balances is { } bal)
                for (var b = saved; b.Height > 0; b = b.Parent!) bal[b.Miner] += O.BlockRewardSat + b.FeesSat;
        }
        for (int i = 0; i < Setup.Steps.Count; i++)
            if (Setup.Steps[i].At > ctx.Now) ctx.SetTimer(Setup.Steps[i].At - ctx.Now, new HashStepTimer(i));
        Init(ctx);
        ScheduleMining(ctx, force: true);
    }

    /// <summary>Attackers set up their private state here.</summary>
    protected virtual void Init(INodeContext ctx) { }

    // ---- 1. mining race ----

    /// <summary>
    /// Draws the time to this miner's next block: exponential with rate share × hash factor ÷
    /// (difficulty × target interval). Mining is memoryless, so the draw survives a new tip and is
    /// redrawn only when the rate changes (a retarget or a hash-rate step).
    /// </summary>
    /// <summary>A mining delay this long (about a century) stands for "never": no run lasts that long.</summary>
    private const double NeverSeconds = 3.2e9;

    protected void ScheduleMining(INodeContext ctx, bool force)
    {
        var share = Setup.HashShare(Me);
        if (share <= 0) return;
        var parent = MiningTip;
        if (parent.Height >= O.TargetHeight)
        {
            ctx.CancelTimer(_mineTimer);
            _mineTimer = TimerId.None;
            return;
        }
        var rate = share * Setup.HashFactor(ctx.Now) / (Difficulty.Next(parent, O) * O.TargetInterval.TotalSeconds);
        if (!force && _mineTimer != TimerId.None && rate == _timerRate) return;
        ctx.CancelTimer(_mineTimer);
        _timerRate = rate;
        // A miner with a tiny share can draw a delay beyond 64-bit nanoseconds; past a century it never mines in any run anyway.
        _mineTimer = ctx.SetTimer(Duration.FromSeconds(Math.Min(ctx.Random.NextExponential(1 / rate), NeverSeconds)), MineTimer.Instance);
    }

    private void Mine(INodeContext ctx)
    {
        _mineTimer = TimerId.None;
        var parent = MiningTip;
        if (parent.Height >= O.TargetHeight) return;
        var txFrom = parent.TxEnd;
        var count = (int)Math.Clamp(Setup.TxArrived(ctx.Now) - txFrom, 0, Setup.MaxTxPerBlock);
        var size = O.FixedBlockSize ? O.MaxBlockBytes : O.HeaderBytes + count * O.TxBytes;
        var block = new PowBlock(((long)(Me + 1) << 32) | (uint)++_sequence, parent, Me, ctx.Now,
            Difficulty.Next(parent, O), Difficulty.Anchor(parent, O), txFrom, count, size, count * O.FeePerTxSat,
            payment: IncludesPayment(parent), doubleSpend: DoubleSpendTag(parent));
        ctx.Metrics.Add("blocks_mined");
        Accept(ctx, block);
        OnMined(ctx, block);
        ScheduleMining(ctx, force: false); // draws unless OnMined already did
    }

    // ---- 2. relay: announce → request → block ----

    /// <summary>
    /// Announces a chain tip to every peer but <paramref name="except"/> and those known to have it
    /// already (Bitcoin Core keeps each peer's best known block and never announces what it has).
    /// </summary>
    protected void Announce(INodeContext ctx, PowBlock tip, int headers, int except)
    {
        var msg = new Announce(tip, headers);
        var size = msg.SizeBytes;
        var peers = Setup.Peers.PeersOf(Me);
        _peerBest ??= new PowBlock?[peers.Count];
        for (int i = 0; i < peers.Count; i++)
        {
            var p = peers[i];
            if (p == except || Knows(_peerBest[i], tip)) continue;
            _peerBest[i] = tip;
            ctx.Send(new NodeId(p), msg, size);
        }
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
        if (ReferenceEquals(a.Tip, Tip)) return;
        PeerHas(from, a.Tip);
        if (_have.ContainsKey(a.Tip)) return;
        // Fetch only a chain with more work, or equal work when a tie could make this node switch.
        var wanted = a.Tip.ChainWork > ReferenceWork
            || (a.Tip.ChainWork == ReferenceWork && (O.TieSwitchProbability > 0 || WantsTies));
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
        ctx.Send(from, req, req.SizeBytes);
    }

    /// <summary>Attackers fetch equal-work chains too (they track the public chain exactly).</summary>
    protected virtual bool WantsTies => false;

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
        if (!O.SerialUpload) { ctx.Send(to, message, size); return; }
        if (_uploads.Count == 0 && ctx.Now >= _uploadFree) { SendNow(ctx, to, message, size); return; }
        _uploads.Enqueue((to, message, size));
        if (!_uploadTimerSet) { _uploadTimerSet = true; ctx.SetTimer(_uploadFree - ctx.Now, UploadTimer.Instance); }
    }

    private void SendNow(INodeContext ctx, NodeId to, object message, int size)
    {
        ctx.Send(to, message, size);
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
        if (_have.ContainsKey(block)) { ctx.Metrics.Add("duplicate_blocks_received"); return; }
        if (compact && ctx.Random.Chance(O.CompactMissRate))
        {
            // BIP 152: transactions missing from the mempool; fall back to the full block.
            ctx.Metrics.Add("compact_block_misses");
            _requested[block] = ctx.Now.Nanos;
            var req = new GetBlocks([block], false);
            ctx.Send(from, req, req.SizeBytes);
            return;
        }
        // 3. Validate before relaying: the node is busy meanwhile, later events queue.
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
        Accept(ctx, block);
        OnReceived(ctx, block, from);
    }

    private void Accept(INodeContext ctx, PowBlock block)
    {
        _have[block] = ctx.Now.Nanos;
        if (O.RecordArrivals) _arrivals.Add(new BlockArrival(block, ctx.Now));
    }

    protected bool Has(PowBlock block) => _have.ContainsKey(block);

    // ---- 4. fork choice: switch to a new tip, reorganising ----

    /// <summary>Makes <paramref name="newTip"/> this node's chain; returns the fork point with the old chain.</summary>
    protected PowBlock SetTip(INodeContext ctx, PowBlock newTip)
    {
        var old = Tip;
        var fork = ReferenceEquals(newTip.Parent, old) ? old : PowBlock.ForkPoint(old, newTip);
        Tip = newTip;
        ctx.Storage.Put(TipKey, newTip);
        var depth = old.Height - fork.Height;
        if (depth > 0)
        {
            ctx.Metrics.Add("reorgs");
            ctx.Metrics.Sample("reorg_depth_blocks", depth);
        }
        // k-confirmation finality at this node.
        var k = O.ConfirmationDepth;
        if (fork.Height < _confirmedHeight)
        {
            ctx.Metrics.Add("final_blocks_reverted", _confirmedHeight - fork.Height);
            if (IsClient)
                ctx.Metrics.Note("finality-violation", $"{_confirmedHeight - fork.Height} block(s) with {k} confirmations reverted by a reorganisation to {newTip}");
            _confirmedHeight = fork.Height;
        }
        while (_confirmedHeight < newTip.Height - k + 1)
        {
            _confirmedHeight++;
            var b = newTip.AncestorAt(_confirmedHeight);
            ctx.Metrics.Sample("confirmation_latency_s", (ctx.Now - b.MinedAt).TotalSeconds);
            if (IsClient) ConfirmTransactions(ctx, b);
        }
        if (IsClient) UpdateClientView(ctx, old, fork, newTip);
        ScheduleMining(ctx, force: false);
        return fork;
    }

    /// <summary>Client latency: transaction arrival → its block k deep (first time only).</summary>
    private void ConfirmTransactions(INodeContext ctx, PowBlock b)
    {
        for (var i = Math.Max(b.TxFrom, _txConfirmedEnd); i < b.TxEnd; i++)
            ctx.Metrics.Sample("tx_confirmation_latency_s", (ctx.Now - Setup.TxArrival(i)).TotalSeconds);
        _txConfirmedEnd = Math.Max(_txConfirmedEnd, b.TxEnd);
    }

    private void UpdateClientView(INodeContext ctx, PowBlock old, PowBlock fork, PowBlock newTip)
    {
        // Rewards follow the chain: a reorganisation takes them back from the stale branch.
        for (var b = old; b.Height > fork.Height; b = b.Parent!) Balances![b.Miner] -= O.BlockRewardSat + b.FeesSat;
        for (var b = newTip; b.Height > fork.Height; b = b.Parent!) Balances![b.Miner] += O.BlockRewardSat + b.FeesSat;
        // Disconnected blocks' transactions go back to the mempool (Bitcoin Core's DisconnectTip);
        // those the new branch does not include stay there, unconfirmed again.
        if (old.TxEnd > fork.TxEnd) ctx.Metrics.Add("txs_returned_to_mempool", old.TxEnd - fork.TxEnd);
        if (old.TxEnd > newTip.TxEnd) ctx.Metrics.Add("txs_unconfirmed_by_reorg", old.TxEnd - newTip.TxEnd);
        WatchPayments(ctx, newTip);
    }

    // ---- double-spend bookkeeping: honest miners include the payment, the merchant watches it ----

    private int IncludesPayment(PowBlock parent)
    {
        if (_payment is not { } p || parent.Height < p.ForkHeight) return 0;
        for (var b = parent; b.Height > p.ForkHeight; b = b.Parent!)
            if (b.Payment == p.Attempt || b.DoubleSpend == p.Attempt) return 0;
        return p.Attempt;
    }

    private void WatchPayments(INodeContext ctx, PowBlock tip)
    {
        for (int i = 0; i < _watched.Count; i++)
        {
            var w = _watched[i];
            PowBlock? paid = null, spent = null;
            for (var b = tip; b.Height > w.ForkHeight; b = b.Parent!)
            {
                if (b.Payment == w.Attempt) paid = b;
                if (b.DoubleSpend == w.Attempt) spent = b;
            }
            if (!w.Accepted && paid is not null && tip.Height - paid.Height + 1 >= O.ConfirmationDepth)
            {
                w.Accepted = true;
                ctx.Metrics.Add("payments_accepted");
            }
            if (w.Accepted && spent is not null)
            {
                ctx.Metrics.Add("double_spend_successes");
                ctx.Metrics.Note("double-spend", $"payment {w.Attempt} accepted after {O.ConfirmationDepth} confirmations was reversed by the attacker's branch");
                _watched.RemoveAt(i--);
            }
            else if (tip.Height - w.ForkHeight > 4 * (O.ConfirmationDepth + ((O.Attack as DoubleSpendAttack)?.GiveUpBehind ?? 0)))
                _watched.RemoveAt(i--);
        }
    }

    // ---- dispatch ----

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Announce a: OnAnnounce(ctx, from, a); break;
            case GetBlocks g: OnGetBlocks(ctx, from, g); break;
            case BlockMessage b: OnBlock(ctx, from, b.Block, compact: false); break;
            case CompactBlockMessage c: OnBlock(ctx, from, c.Block, compact: true); break;
            case PaymentNotice p:
                _payment = p;
                if (IsClient) _watched.Add(new WatchedPayment(p.Attempt, p.ForkHeight));
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case MineTimer: Mine(ctx); break;
            case UploadTimer: OnUploadTimer(ctx); break;
            case HashStepTimer: ScheduleMining(ctx, force: true); break;
        }
    }

    private sealed class MineTimer { public static readonly MineTimer Instance = new(); }
    private sealed class UploadTimer { public static readonly UploadTimer Instance = new(); }
    private sealed record HashStepTimer(int Index);

    private sealed class WatchedPayment(int attempt, int forkHeight)
    {
        public int Attempt { get; } = attempt;
        public int ForkHeight { get; } = forkHeight;
        public bool Accepted { get; set; }
    }
}

/// <summary>When a node first held a block.</summary>
public readonly record struct BlockArrival(PowBlock Block, SimTime At);
