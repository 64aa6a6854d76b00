using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Pow;

/// <summary>
/// One built proof-of-work world: the node specs to hand to a <see cref="Simulation"/>, the
/// observer that reads every node at the end, and <see cref="Summarise"/>, which adds the
/// chain-level metrics (propagation, stale rate, throughput, rewards, attack outcomes) to the result.
/// </summary>
public sealed class PowRun : ISimulationObserver
{
    private readonly NetworkSpec _network;
    private PowBlock? _mainTip;
    private long[]? _balances;
    private List<double>? _reach50, _reach90, _arrivalSample;
    private double _arrivalP50 = double.NaN, _arrivalP90 = double.NaN;
    private int _blocksSeen;
    private int _disagreeing;

    internal PowRun(PowSetup setup, IReadOnlyList<NodeSpec> nodes, NetworkSpec network)
    {
        Setup = setup;
        Nodes = nodes;
        _network = network;
    }

    public PowSetup Setup { get; }
    public IReadOnlyList<NodeSpec> Nodes { get; }
    /// <summary>Observers to add to the simulation (this run itself).</summary>
    public IReadOnlyList<ISimulationObserver> Observers => [this];

    /// <summary>The client node's chain at the end of the run, genesis first (after the run).</summary>
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

    /// <summary>Builds and runs the simulation, then summarises. <paramref name="options"/>' seed should be the build seed.</summary>
    public RunResult Run(SimulationOptions options)
    {
        var sim = new Simulation(options, _network, Nodes);
        foreach (var o in Observers) sim.AddObserver(o);
        var result = sim.Run();
        Summarise(result);
        return result;
    }

    public void OnBarrier(ISimulationView view) { }

    /// <summary>
    /// Stop predicate: every honest node that is up holds a chain at the target height, so nobody
    /// mines any more and the last block has spread (blocks still in flight are stale ones). Scans
    /// the nodes only once the client's chain is there.
    /// </summary>
    public bool Finished(ISimulationView view)
    {
        var target = Setup.Options.TargetHeight;
        if (view.StateOf(new NodeId(Setup.Options.ClientNode)) == NodeState.Up
            && ((PowNode)view.BehaviourOf(new NodeId(Setup.Options.ClientNode))).Tip.Height < target) return false;
        var cursorFixed = false;
        for (int i = _finishedScan; i < view.Directory.Count; i++)
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
                if (!cursorFixed) _finishedScan = i; // nodes before it are there already (with constant difficulty chains never get shorter)
                return false;
            }
        }
        return true;
    }

    private int _finishedScan;

    public void OnEnd(ISimulationView view)
    {
        var n = view.Directory.Count;
        var client = (PowNode)view.BehaviourOf(new NodeId(Setup.Options.ClientNode));
        _mainTip = client.Tip;
        _balances = client.Balances;
        // Agreement: every honest node holds the client's block at depth k (probabilistic finality).
        var finalHeight = _mainTip.Height - Setup.Options.ConfirmationDepth + 1;
        _disagreeing = 0;
        if (finalHeight > 0)
        {
            var final = _mainTip.AncestorAt(finalHeight);
            for (int i = 0; i < n; i++)
                if (view.BehaviourOf(new NodeId(i)) is PowNode { IsHonest: true } node && view.StateOf(new NodeId(i)) == NodeState.Up
                    && !node.Tip.Descends(final))
                    _disagreeing++;
        }
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

    /// <summary>Adds the chain-level scalars and samples to <paramref name="result"/>'s metrics.</summary>
    public void Summarise(RunResult result)
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
        m.Scalars[PowMetrics.FinalDifficulty] = tip.Difficulty;
        m.Scalars["nodes_disagreeing_on_final_block"] = _disagreeing;

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
        foreach (var name in new[] { PowMetrics.ConfirmationLatency, "tx_confirmation_latency_s" })
            if (m.Samples.TryGetValue(name, out var s)) AddPercentiles(m, name, [.. s]);

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
