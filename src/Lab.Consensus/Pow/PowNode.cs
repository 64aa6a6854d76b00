using Lab.Consensus.Common;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// An honest proof-of-work full node, in the order the protocol runs:
/// mine (an exponential race set by hash share and difficulty) → relay the block to peers (the
/// run's <see cref="BlockRelay"/>: the lab's Bitcoin Core model or SimBlock's rules) → fork choice
/// by most cumulative work, reorganising if needed → k-confirmation finality. Attackers derive from
/// it and change what they mine on and what they publish.
/// <para>A node is also a client's gateway (<see cref="PowSetup.IsGateway"/>): it takes
/// <see cref="ClientRequest"/>s into the run's <see cref="TxPool"/> and replies with a
/// <see cref="ClientReply"/> reporting k confirmations when the transaction's block is k deep on its
/// chain. A final block that a reorganisation takes back is recorded (<see cref="Reversals"/>): the
/// run's safety view.</para>
/// </summary>
public class PowNode : INodeBehaviour
{
    /// <summary>What every node of the run shares.</summary>
    protected internal readonly PowSetup Setup;
    /// <summary>The run's options (<see cref="PowSetup.Options"/>).</summary>
    protected internal readonly PowOptions O;
    /// <summary>This node's index.</summary>
    protected internal readonly int Me;

    private readonly BlockRelay _relay;
    private readonly List<BlockArrival> _arrivals;
    private TimerId _mineTimer = TimerId.None;
    private double _timerRate;
    private long _sequence;
    private int _confirmedHeight;
    private PaymentNotice? _payment;
    private List<Receipt> _receipts = [];
    private readonly List<FinalityReversal> _reversals = [];
    private readonly List<WatchedPayment> _watched = [];
    private const string TipKey = "pow.tip";

    public PowNode(PowSetup setup, int self)
    {
        Setup = setup;
        O = setup.Options;
        Me = self;
        Tip = setup.Genesis;
        // The relay first: allocated right after this node, it shares its cache lines (every message goes through both).
        _relay = O.Relay == PowRelay.SimBlock ? new SimBlock.SimBlockRelay(this) : new CoreRelay(this);
        // Sized up front for the target height and some stale blocks: growing thousands of lists by doubling cost more than the arrivals themselves.
        _arrivals = new List<BlockArrival>(O.RecordArrivals ? Math.Min(O.TargetHeight + O.TargetHeight / 8 + 4, 1024) : 0);
    }

    /// <summary>This node's best chain.</summary>
    public PowBlock Tip { get; private set; }
    /// <summary>Every block this node received (or mined), with its arrival time, in arrival order.</summary>
    public IReadOnlyList<BlockArrival> Arrivals => _arrivals;
    /// <summary>Balances by miner along this node's chain (kept by the observer node only, else null).</summary>
    public long[]? Balances { get; private set; }
    /// <summary>Whether this node's chain defines the run's chain-level metrics (<see cref="PowOptions.ObserverNode"/>).</summary>
    public bool IsObserver => Me == O.ObserverNode;
    /// <summary>Blocks that were final (k deep) on this node and that a reorganisation took back.</summary>
    public IReadOnlyList<FinalityReversal> Reversals => _reversals;
    /// <summary>Transactions this gateway reported final to their clients, and when (kept on its disk, so restarts keep it).</summary>
    public IReadOnlyList<(TxId Tx, SimTime At)> ReportedFinal => _reportedFinal ?? [];
    private List<(TxId Tx, SimTime At)>? _reportedFinal;
    private const string ReportedKey = "pow.reported-final";
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
        if (IsObserver) Balances = new long[Setup.NodeCount];
        if (ctx.Storage.TryGet<List<(TxId, SimTime)>>(ReportedKey, out var reported)) _reportedFinal = reported;
        // After a restart the chain comes back from disk (its blocks were validated before).
        if (ctx.Storage.TryGet<PowBlock>(TipKey, out var saved))
        {
            Tip = saved;
            _confirmedHeight = Math.Max(0, saved.Height - O.ConfirmationDepth + 1);
            if (Balances is { } bal)
                for (var b = saved; b.Height > 0; b = b.Parent!) bal[b.Miner] += O.BlockRewardSat + b.FeesSat;
        }
        _relay.OnStart(ctx, Tip);
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
        // The oldest transactions every miner can see that this chain lacks, as many as fit.
        var pool = Setup.Pool;
        var txFrom = parent.TxEnd;
        var count = pool.Fitting(txFrom, pool.VisibleAt(ctx.Now), O.MaxBlockBytes - O.HeaderBytes);
        var size = O.FixedBlockSize ? O.MaxBlockBytes : O.HeaderBytes + checked((int)pool.BytesOf(txFrom, txFrom + count));
        var block = new PowBlock(((long)(Me + 1) << 32) | (uint)++_sequence, parent, Me, ctx.Now,
            Difficulty.Next(parent, O), Difficulty.Anchor(parent, O), txFrom, count, size, count * O.FeePerTxSat,
            payment: IncludesPayment(parent), doubleSpend: DoubleSpendTag(parent));
        ctx.Metrics.Add(PowMetrics.BlocksMined);
        Accept(ctx, block);
        OnMined(ctx, block);
        ScheduleMining(ctx, force: false); // draws unless OnMined already did
    }

    // ---- 2. relay (see BlockRelay) ----

    /// <summary>Tells peers about a new best chain ending at <paramref name="tip"/> (through the relay).</summary>
    protected void Announce(INodeContext ctx, PowBlock tip, int headers, int except) => _relay.Announce(ctx, tip, headers, except);

    /// <summary>Work a chain must reach before this node fetches it (the relay asks).</summary>
    internal double ReferenceWorkForRelay => ReferenceWork;
    /// <summary>Whether this node fetches equal-work chains too (the relay asks).</summary>
    internal bool WantsTiesForRelay => WantsTies;

    /// <summary>Attackers fetch equal-work chains too (they track the public chain exactly).</summary>
    protected virtual bool WantsTies => false;

    /// <summary>The relay delivers a valid block from <paramref name="from"/>: the node holds it, then fork choice.</summary>
    internal void Connect(INodeContext ctx, PowBlock block, int from)
    {
        Accept(ctx, block);
        OnReceived(ctx, block, from);
    }

    /// <summary>The block reached this node without becoming part of its chain (SimBlock counts such an arrival).</summary>
    internal void RecordArrival(INodeContext ctx, PowBlock block)
    {
        if (O.RecordArrivals) _arrivals.Add(new BlockArrival(block, ctx.Now));
    }

    private void Accept(INodeContext ctx, PowBlock block)
    {
        _relay.Holds(ctx, block);
        RecordArrival(ctx, block);
    }

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
            ctx.Metrics.Add(PowMetrics.Reorgs);
            ctx.Metrics.Sample(PowMetrics.ReorgDepth, depth);
        }
        // k-confirmation finality at this node.
        var k = O.ConfirmationDepth;
        if (fork.Height < _confirmedHeight)
        {
            // The safety view counts honest nodes only: an attacker that abandons its own private branch reverts nothing anyone relied on.
            if (IsHonest)
            {
                ctx.Metrics.Add(PowMetrics.FinalBlocksReverted, _confirmedHeight - fork.Height);
                _reversals.Add(new FinalityReversal(old.AncestorAt(_confirmedHeight), fork, newTip, ctx.Now));
            }
            _confirmedHeight = fork.Height;
        }
        while (_confirmedHeight < newTip.Height - k + 1)
        {
            _confirmedHeight++;
            var b = newTip.AncestorAt(_confirmedHeight);
            if (IsObserver) ctx.Metrics.Sample(PowMetrics.ConfirmationLatency, (ctx.Now - b.MinedAt).TotalSeconds);
            if (Setup.IsGateway(Me)) ReplyFinal(ctx, b);
        }
        if (IsObserver) UpdateObserverView(ctx, old, fork, newTip);
        ScheduleMining(ctx, force: false);
        return fork;
    }

    // ---- 5. clients: take their transactions, report k confirmations ----

    /// <summary>A client's transaction (or its retry): into the pool at the next window's end; answered at
    /// once if it is already final here (the first reply was lost or the client restarted).</summary>
    private void OnClientRequest(INodeContext ctx, NodeId from, Transaction tx)
    {
        var pool = Setup.Pool;
        if (pool.IndexOf(tx.Id) is { } index)
        {
            var final = Tip.AncestorAt(_confirmedHeight);
            if (index < final.TxEnd)
            {
                var b = final;
                while (b.Parent is { } p && p.TxEnd > index) b = p;
                Reply(ctx, pool[index].Tx, b);
            }
            return;
        }
        _receipts.Add(new Receipt(tx, Me, ctx.Now));
    }

    /// <summary>Block <paramref name="b"/> just became k deep here: reply for the transactions this gateway took in.</summary>
    private void ReplyFinal(INodeContext ctx, PowBlock b)
    {
        var pool = Setup.Pool;
        for (var i = b.TxFrom; i < b.TxEnd; i++)
            if (pool[i].Gateway == Me) Reply(ctx, pool[i].Tx, b);
    }

    private void Reply(INodeContext ctx, Transaction tx, PowBlock b)
    {
        (_reportedFinal ??= ctx.Storage.GetOrAdd(ReportedKey, () => new List<(TxId, SimTime)>())).Add((tx.Id, ctx.Now));
        ctx.Send(tx.Id.Client, new ClientReply(tx.Id, b.Height, Committed: true, Confirmations: Tip.Height - b.Height + 1), ReplyBytes);
    }

    /// <summary>Bytes of a reply to a client (as a Raft or BFT reply: id, height, status).</summary>
    private const int ReplyBytes = 100;

    /// <summary>What clients handed this gateway since the last window (null if nothing: this runs after every window); the run moves them into the pool.</summary>
    internal List<Receipt>? TakeReceipts()
    {
        if (_receipts.Count == 0) return null;
        var taken = _receipts;
        _receipts = [];
        return taken;
    }

    private void UpdateObserverView(INodeContext ctx, PowBlock old, PowBlock fork, PowBlock newTip)
    {
        // Rewards follow the chain: a reorganisation takes them back from the stale branch.
        for (var b = old; b.Height > fork.Height; b = b.Parent!) Balances![b.Miner] -= O.BlockRewardSat + b.FeesSat;
        for (var b = newTip; b.Height > fork.Height; b = b.Parent!) Balances![b.Miner] += O.BlockRewardSat + b.FeesSat;
        // Disconnected blocks' transactions go back to the mempool (Bitcoin Core's DisconnectTip);
        // those the new branch does not include stay there, unconfirmed again.
        if (old.TxEnd > fork.TxEnd) ctx.Metrics.Add(PowMetrics.TxReturnedToMempool, old.TxEnd - fork.TxEnd);
        if (old.TxEnd > newTip.TxEnd) ctx.Metrics.Add(PowMetrics.TxUnconfirmedByReorg, old.TxEnd - newTip.TxEnd);
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
                ctx.Metrics.Add(PowMetrics.PaymentsAccepted);
            }
            if (w.Accepted && spent is not null)
            {
                ctx.Metrics.Add(PowMetrics.DoubleSpendSuccesses);
                ctx.Metrics.Note(PowMetrics.DoubleSpendFinding, $"payment {w.Attempt} accepted after {O.ConfirmationDepth} confirmations was reversed by the attacker's branch");
                _watched.RemoveAt(i--);
            }
            else if (tip.Height - w.ForkHeight > 4 * (O.ConfirmationDepth + ((O.Attack as DoubleSpendAttack)?.GiveUpBehind ?? 0)))
                _watched.RemoveAt(i--);
        }
    }

    // ---- dispatch ----

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_relay.OnMessage(ctx, from, message)) return;
        if (ClientRequest.TxOf(message) is { } request) { OnClientRequest(ctx, from, request); return; }
        if (message is PaymentNotice p)
        {
            _payment = p;
            if (IsObserver) _watched.Add(new WatchedPayment(p.Attempt, p.ForkHeight));
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_relay.OnTimer(ctx, state)) return;
        switch (state)
        {
            case MineTimer: Mine(ctx); break;
            case HashStepTimer: ScheduleMining(ctx, force: true); break;
        }
    }

    private sealed class MineTimer { public static readonly MineTimer Instance = new(); }
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

/// <summary>At <paramref name="At"/> a node switched to <paramref name="NewTip"/>, disconnecting blocks above
/// <paramref name="Fork"/> up to <paramref name="HighestFinal"/>, which was k deep.</summary>
public sealed record FinalityReversal(PowBlock HighestFinal, PowBlock Fork, PowBlock NewTip, SimTime At);
