using Lab.Consensus.Common;
using Lab.Ledger.Transactions;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// One proof-of-work run as the chain contract hosts it (<see cref="ProtocolRun"/>): it places the
/// nodes (<see cref="PowLayout"/>), moves what gateways received into the pool between windows,
/// stops the run once every honest node holds the target height, judges it, and adds the pow_
/// metrics.
/// <list type="bullet">
/// <item>Safety (proof of work's view): a block that was k deep on an honest node is never taken
/// back, and at the end the final blocks of all honest nodes that are up lie on one chain. When the
/// run has an attacker, a reversal is the attack's measured result (<see cref="PowMetrics.FinalBlocksReverted"/>
/// and a <see cref="PowMetrics.FinalityReversedFinding"/> note), not a violation.</item>
/// <item>Validity, on every block final on an honest node: each transaction was submitted by its
/// client with this content, none appears twice on the observer's chain, and none a gateway reported
/// final is missing from it at the end.</item>
/// <item>Decisions: the observer's final blocks. Availability: time after warm-up with no honest
/// miner up. Proof of work elects no leader (each block's miner is drawn by the mining race), so
/// <c>leader_elections</c> is 0.</item>
/// </list>
/// </summary>
public sealed class PowRun : ProtocolRun
{
    private readonly ChainSite _site;
    private readonly List<SafetyViolation> _safety = [];
    private readonly List<SafetyViolation> _validity = [];
    private PowBlock? _mainTip;
    private long[]? _balances;
    private List<double>? _reach50, _reach90, _arrivalSample;
    private double _arrivalP50 = double.NaN, _arrivalP90 = double.NaN;
    private int _blocksSeen;
    private int _finishedScan;
    private int _upMiner;
    private SimTime _lastBarrier;
    private bool _available = true;
    private long _unavailableNanos;
    private long _reverted;

    public PowRun(PowSetup setup, ChainSite site)
    {
        Setup = setup;
        _site = site;
    }

    public PowSetup Setup { get; }

    /// <summary>The observer's chain at the end of the run, genesis first (after the run).</summary>
    public IReadOnlyList<PowBlock> MainChain
    {
        get
        {
            var list = new List<PowBlock>();
            for (var b = _mainTip ?? throw new InvalidOperationException("the run has not ended"); b is not null; b = b.Parent) list.Add(b);
            list.Reverse();
            return list;
        }
    }

    public override int? RegionOf(int replica) => Setup.Region(replica);
    public override IReadOnlyList<SafetyViolation> SafetyViolations => _safety;
    public override IReadOnlyList<SafetyViolation> ValidityViolations => _validity;
    public override long Decisions => _mainTip is null ? 0 : Math.Max(0, _mainTip.Height - Setup.Options.ConfirmationDepth + 1);
    public override double UnavailableSeconds => _unavailableNanos / 1e9;
    public override bool PerReplicaScalars => false;

    public override void OnBarrier(ISimulationView view)
    {
        // What gateways took from clients in this window becomes visible to miners after the relay delay.
        List<Receipt>? receipts = null;
        for (int g = 0; g < Setup.Gateways; g++)
            if (view.StateOf(new NodeId(g)) == NodeState.Up && view.BehaviourOf(new NodeId(g)) is PowNode node && node.TakeReceipts() is { } taken)
                (receipts ??= []).AddRange(taken);
        if (receipts is not null) Setup.Pool.Admit(receipts, view.Now);
        Measure(view);
    }

    /// <summary>Availability: time after warm-up with no honest miner up (checked between windows).</summary>
    private void Measure(ISimulationView view)
    {
        var now = view.Now;
        if (!_available)
        {
            var start = SimTime.Max(_lastBarrier, _site.MeasureFrom);
            if (now > start) _unavailableNanos += (now - start).Nanos;
        }
        _lastBarrier = now;
        _available = IsMinerUp(view, _upMiner);
        if (_available) return;
        for (int i = 0; i < Setup.NodeCount && !_available; i++)
            if (IsMinerUp(view, i)) { _upMiner = i; _available = true; }
    }

    private bool IsMinerUp(ISimulationView view, int i) =>
        Setup.HashShare(i) > 0 && view.StateOf(new NodeId(i)) == NodeState.Up && view.BehaviourOf(new NodeId(i)) is PowNode { IsHonest: true };

    /// <summary>
    /// Stop predicate: every honest node that is up holds a chain at the target height, so nobody
    /// mines any more and the last block has spread (blocks still in flight are stale ones). Scans
    /// the nodes only once the observer's chain is there.
    /// </summary>
    public override bool Finished(ISimulationView view)
    {
        var target = Setup.Options.TargetHeight;
        var observer = new NodeId(Setup.Options.ObserverNode);
        if (view.StateOf(observer) == NodeState.Up && ((PowNode)view.BehaviourOf(observer)).Tip.Height < target) return false;
        var cursorFixed = false;
        for (int i = _finishedScan; i < Setup.NodeCount; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) != NodeState.Up)
            {
                // A node that is down does not hold the run, but it may restart behind: scan it again next time.
                if (!cursorFixed) { _finishedScan = i; cursorFixed = true; }
                continue;
            }
            if (view.BehaviourOf(node) is PowNode { IsHonest: true } p && p.Tip.Height < target)
            {
                if (!cursorFixed) _finishedScan = i; // nodes before it are there already (their chains only grow)
                return false;
            }
        }
        return true;
    }

    public override void OnEnd(ISimulationView view)
    {
        OnBarrier(view);
        var n = Setup.NodeCount;
        var observer = (PowNode)view.BehaviourOf(new NodeId(Setup.Options.ObserverNode));
        _mainTip = observer.Tip;
        _balances = observer.Balances;
        JudgeSafety(view);
        JudgeValidity(view);
        var onMain = new HashSet<long>();
        for (var b = _mainTip; b is not null; b = b.Parent) onMain.Add(b.Id);

        // Arrival delay of every block at every node, grouped by block in exact-size arrays (a
        // 6,000-node run of 1,000 blocks has 6 million of them), blocks in id order.
        var counts = new SortedDictionary<long, int>();
        for (int i = 0; i < n; i++)
            if (view.BehaviourOf(new NodeId(i)) is PowNode node)
                foreach (var a in node.Arrivals)
                    if (a.Block.Height > 0) counts[a.Block.Id] = counts.GetValueOrDefault(a.Block.Id) + 1;
        var delays = new Dictionary<long, (double[] Values, int Filled)>(counts.Count);
        foreach (var (id, count) in counts) delays[id] = (new double[count], 0);
        for (int i = 0; i < n; i++)
        {
            if (view.BehaviourOf(new NodeId(i)) is not PowNode node) continue;
            foreach (var a in node.Arrivals)
            {
                if (a.Block.Height == 0) continue;
                var (values, filled) = delays[a.Block.Id];
                values[filled] = (a.At - a.Block.MinedAt).TotalSeconds;
                delays[a.Block.Id] = (values, filled + 1);
            }
        }
        _blocksSeen = counts.Count;
        _reach50 = []; _reach90 = [];
        int need50 = (int)Math.Ceiling(0.5 * n), need90 = (int)Math.Ceiling(0.9 * n);
        var pooledCount = 0;
        foreach (var (id, count) in counts)
            if (onMain.Contains(id)) pooledCount += count - 1;
        var pooled = new double[pooledCount];
        var at = 0;
        foreach (var id in counts.Keys)
        {
            var values = delays[id].Values;
            Array.Sort(values);
            if (values.Length >= need50) _reach50.Add(values[need50 - 1]);
            if (values.Length >= need90) _reach90.Add(values[need90 - 1]);
            if (!onMain.Contains(id)) continue;
            Array.Copy(values, 1, pooled, at, values.Length - 1); // the miner's own zero is not a propagation
            at += values.Length - 1;
        }
        // SimBlock's own statistic: percentiles over every (main-chain block, node) arrival, exact.
        Array.Sort(pooled);
        _arrivalP50 = Quantile.OfSorted(pooled, 0.5);
        _arrivalP90 = Quantile.OfSorted(pooled, 0.9);
        // The full CDF, thinned by a fixed stride beyond 200,000 points.
        var stride = Math.Max(1, pooled.Length / 200_000);
        _arrivalSample = stride == 1 ? [.. pooled] : [.. pooled.Where((_, i) => i % stride == 0)];
    }

    private PowBlock FinalBlock(PowBlock tip) => tip.AncestorAt(Math.Max(0, tip.Height - Setup.Options.ConfirmationDepth + 1));

    /// <summary>Final blocks taken back on honest nodes, and honest nodes whose final blocks are on different chains at the end.</summary>
    private void JudgeSafety(ISimulationView view)
    {
        var attacked = Setup.Options.Attack is not null;
        var observerFinal = FinalBlock(_mainTip!);
        var firstDisagreement = -1;
        var disagreeing = 0;
        for (int i = 0; i < Setup.NodeCount; i++)
        {
            var node = new NodeId(i);
            if (view.BehaviourOf(node) is not PowNode { IsHonest: true } p) continue;
            foreach (var r in p.Reversals)
            {
                var blocks = r.HighestFinal.Height - r.Fork.Height;
                _reverted += blocks;
                var text = $"height {r.Fork.Height + 1}: {view.Directory.Name(node)} took back {blocks} block(s) that were {Setup.Options.ConfirmationDepth} deep " +
                           $"({r.HighestFinal.Hash.Short} at height {r.HighestFinal.Height}) for a chain ending at {r.NewTip.Hash.Short}, at {r.At}";
                if (attacked) continue; // the attack's measured result, reported in AddMetrics
                _safety.Add(new SafetyViolation(r.Fork.Height + 1, node, r.Fork.Hash, node, r.NewTip.Hash, r.At, text));
            }
            if (view.StateOf(node) != NodeState.Up) continue;
            var final = FinalBlock(p.Tip);
            if (!final.Descends(observerFinal) && !observerFinal.Descends(final))
            {
                disagreeing++;
                if (firstDisagreement < 0) firstDisagreement = i;
            }
        }
        if (disagreeing > 0)
        {
            var other = (PowNode)view.BehaviourOf(new NodeId(firstDisagreement));
            var theirs = FinalBlock(other.Tip);
            var fork = PowBlock.ForkPoint(theirs, observerFinal);
            _safety.Add(new SafetyViolation(fork.Height + 1, new NodeId(Setup.Options.ObserverNode), observerFinal.Hash, new NodeId(firstDisagreement), theirs.Hash, view.Now,
                $"height {fork.Height + 1}: at the end {disagreeing} honest node(s), the first {view.Directory.Name(new NodeId(firstDisagreement))}, hold final block {theirs.Hash.Short} " +
                $"on a chain without {view.Directory.Name(new NodeId(Setup.Options.ObserverNode))}'s final block {observerFinal.Hash.Short}"));
        }
        _safety.Sort((a, b) => a.At.Nanos.CompareTo(b.At.Nanos));
    }

    /// <summary>Looks inside every block final on an honest node: only submitted transactions, none twice, none lost.</summary>
    private void JudgeValidity(ISimulationView view)
    {
        var pool = Setup.Pool;
        var observerFinal = FinalBlock(_mainTip!);
        var inspected = new HashSet<long>();
        var checkedTx = new HashSet<long>();
        for (int i = 0; i < Setup.NodeCount; i++)
        {
            if (view.BehaviourOf(new NodeId(i)) is not PowNode { IsHonest: true } p) continue;
            for (var b = FinalBlock(p.Tip); b.Height > 0 && inspected.Add(b.Id); b = b.Parent!)
                for (var t = b.TxFrom; t < b.TxEnd; t++)
                    if (checkedTx.Add(t)) CheckSubmitted(view, pool[t].Tx, b, new NodeId(i));
        }
        // On one chain each transaction once (each chain holds a prefix of the pool, so this guards the model itself).
        var seen = new HashSet<TxId>();
        for (var b = observerFinal; b.Height > 0; b = b.Parent!)
            for (var t = b.TxFrom; t < b.TxEnd; t++)
                if (!seen.Add(pool[t].Tx.Id))
                    _validity.Add(new SafetyViolation(b.Height, new NodeId(Setup.Options.ObserverNode), b.Hash, new NodeId(Setup.Options.ObserverNode), pool[t].Tx.Hash, b.MinedAt,
                        $"height {b.Height}: {pool[t].Tx.Id} is on the observer's chain twice"));
        // Lost: a transaction a gateway reported final must still be on the final chain.
        for (int g = 0; g < Setup.Gateways; g++)
        {
            if (view.BehaviourOf(new NodeId(g)) is not PowNode gateway) continue;
            foreach (var (id, at) in gateway.ReportedFinal)
                if (pool.IndexOf(id) is not { } index || index >= observerFinal.TxEnd)
                    _validity.Add(new SafetyViolation(observerFinal.Height, new NodeId(g), default, new NodeId(Setup.Options.ObserverNode), observerFinal.Hash, at,
                        $"{id}: {view.Directory.Name(new NodeId(g))} reported it final at {at}, and it is not on the final chain at the end"));
        }
        _validity.Sort((a, b) => a.At.Nanos.CompareTo(b.At.Nanos));
    }

    private void CheckSubmitted(ISimulationView view, Transaction tx, PowBlock block, NodeId holder)
    {
        var client = tx.Id.Client;
        var submitted = client.Value >= 0 && client.Value < view.Directory.Count
            && view.BehaviourOf(client) is ITransactionSource { Submissions: { } subs }
            && subs.Find(tx.Id.Sequence) is { } original && original.SameContent(tx);
        if (!submitted)
            _validity.Add(new SafetyViolation(block.Height, holder, block.Hash, holder, tx.Fingerprint, block.MinedAt,
                $"height {block.Height}: {tx.Id} was never submitted by its client, a fabricated transaction (in block {block.Hash.Short}, final on {view.Directory.Name(holder)})"));
    }

    /// <summary>Adds the pow_ scalars and samples to <paramref name="result"/>'s metrics.</summary>
    public override void AddMetrics(RunResult result)
    {
        var m = result.Metrics;
        var o = Setup.Options;
        var tip = _mainTip ?? throw new InvalidOperationException("the run has not ended");
        var mined = m.Counter(PowMetrics.BlocksMined);
        m.Scalars[PowMetrics.BlocksMined] = mined;
        m.Scalars[PowMetrics.BlocksMainChain] = tip.Height;
        m.Scalars[PowMetrics.BlocksPropagated] = _blocksSeen;
        m.Scalars[PowMetrics.StaleBlocks] = mined - tip.Height;
        m.Scalars[PowMetrics.StaleRate] = mined > 0 ? (mined - tip.Height) / mined : 0;
        m.Scalars[PowMetrics.MeanBlockInterval] = tip.Height > 0 ? tip.MinedAt.Seconds / tip.Height : 0;
        m.Scalars[PowMetrics.ChainTps] = tip.MinedAt.Nanos > 0 ? tip.TxEnd / tip.MinedAt.Seconds : 0;
        var pool = Setup.Pool;
        if (tip.MinedAt.Nanos > 0 && pool.Count > 0)
        {
            double payload = 0;
            for (var b = tip; b.Height > 0; b = b.Parent!) payload += b.SizeBytes - o.HeaderBytes;
            var meanTx = (double)pool.BytesOf(0, pool.Count) / pool.Count;
            m.Scalars[PowMetrics.CapacityTps] = payload / meanTx / tip.MinedAt.Seconds;
        }
        m.Scalars[PowMetrics.FinalDifficulty] = tip.Difficulty;
        m.Scalars[PowMetrics.FinalBlocksReverted] = _reverted;
        if (o.Attack is not null && _reverted > 0)
            m.Findings.Add(new Finding(result.Stats.FinalTime, PowMetrics.FinalityReversedFinding,
                $"{_reverted} block(s) that were {o.ConfirmationDepth} deep on honest nodes were taken back while the attacker ran (the attack's result, not a failed run)"));

        var chain = MainChain;
        var intervals = new double[chain.Count - 1];
        for (int i = 1; i < chain.Count; i++) intervals[i - 1] = (chain[i].MinedAt - chain[i - 1].MinedAt).TotalSeconds;
        m.Samples[PowMetrics.BlockInterval] = intervals;

        m.Samples[PowMetrics.BlockReach50] = [.. _reach50!];
        m.Samples[PowMetrics.BlockReach90] = [.. _reach90!];
        m.Samples[PowMetrics.BlockArrival] = [.. _arrivalSample!];
        AddPercentiles(m, PowMetrics.BlockReach50, [.. _reach50!]);
        AddPercentiles(m, PowMetrics.BlockReach90, [.. _reach90!]);
        if (!double.IsNaN(_arrivalP50))
        {
            // Exact over every arrival, not over the thinned sample.
            m.Scalars[Quantile.Name(PowMetrics.BlockArrival, 0.5)] = _arrivalP50;
            m.Scalars[Quantile.Name(PowMetrics.BlockArrival, 0.9)] = _arrivalP90;
        }
        if (m.Samples.TryGetValue(PowMetrics.ConfirmationLatency, out var confirmation)) AddPercentiles(m, PowMetrics.ConfirmationLatency, [.. confirmation]);

        // Incentives: reward share against hash share, per miner, from the client's ledger view.
        var rewards = _balances ?? new long[Setup.NodeCount];
        double totalReward = rewards.Sum(x => (double)x);
        var hash = new List<double>();
        var reward = new List<double>();
        for (int i = 0; i < Setup.NodeCount; i++)
        {
            if (Setup.HashShare(i) <= 0) continue;
            hash.Add(Setup.HashShare(i));
            reward.Add(totalReward > 0 ? rewards[i] / totalReward : 0);
        }
        m.Samples[PowMetrics.MinerHashShare] = [.. hash];
        m.Samples[PowMetrics.MinerRewardShare] = [.. reward];
        m.Scalars[PowMetrics.MinerRewardTotal] = totalReward / 1e8;

        if (o.Attack is { } attack)
        {
            var attackerBlocks = chain.Count(b => b.Miner == 0);
            m.Scalars[PowMetrics.AttackerHashShare] = attack.HashShare;
            m.Scalars[PowMetrics.AttackerRewardShare] = totalReward > 0 ? rewards[0] / totalReward : 0;
            // Eyal & Sirer's relative revenue: the pool's share of the main chain's blocks.
            m.Scalars[PowMetrics.AttackerBlockShare] = tip.Height > 0 ? (double)attackerBlocks / tip.Height : 0;
        }
        if (o.Attack is DoubleSpendAttack)
        {
            var attempts = m.Counter(PowMetrics.DoubleSpendAttempts);
            m.Scalars[PowMetrics.DoubleSpendAttempts] = attempts;
            m.Scalars[PowMetrics.AttackerSuccessRate] = attempts > 0 ? m.Counter(PowMetrics.DoubleSpendSuccesses) / attempts : 0;
        }
    }

    /// <summary>Median and p90 of <paramref name="values"/> as scalars named by <see cref="Quantile.Name"/>.</summary>
    private static void AddPercentiles(RunMetrics m, string sample, double[] values)
    {
        if (values.Length == 0) return;
        Array.Sort(values);
        m.Scalars[Quantile.Name(sample, 0.5)] = Quantile.OfSorted(values, 0.5);
        m.Scalars[Quantile.Name(sample, 0.9)] = Quantile.OfSorted(values, 0.9);
    }
}
