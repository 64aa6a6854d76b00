using Lab.Sim.Metrics;
using System.Security.Cryptography;
using System.Text;
using Lab.Consensus.Pow;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

public class PowProtocolTests
{
    /// <summary>60 nodes in three regions, 535 KB blocks at a 60 s interval: forks happen.</summary>
    private static (PowRun Run, RunResult Result) SmallBitcoin(ExecutionMode mode, bool compact = false, double miss = 0.3, ulong seed = 7)
    {
        var options = PowTestWorld.Bitcoin(nodes: 60, blocks: 30) with
        {
            TargetInterval = Duration.FromSeconds(60),
            CompactBlocks = compact,
            CompactMissRate = miss,
            TxPerSecond = 40,
            TxValidation = Duration.FromMicros(20),
        };
        var run = PowWorld.Build(options, PowTestWorld.ThreeRegions(), null, seed);
        return (run, run.Run(new SimulationOptions { Seed = seed, Mode = mode }));
    }

    private static string Fingerprint(RunResult r)
    {
        var sb = new StringBuilder();
        sb.Append($"{r.Stats.EventsProcessed} {r.Stats.MessagesSent} {r.Stats.BytesSent} {r.Stats.FinalTime.Nanos}\n");
        foreach (var (k, v) in r.Metrics.Counters) sb.Append($"{k}={v:R}\n");
        foreach (var (k, v) in r.Metrics.Scalars) sb.Append($"{k}={v:R}\n");
        foreach (var (k, v) in r.Metrics.Samples) sb.Append($"{k}:{string.Join(",", v.Select(x => x.ToString("R")))}\n");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    [Fact]
    public void Sequential_and_actor_runs_are_identical()
    {
        var seq = Fingerprint(SmallBitcoin(ExecutionMode.Sequential, compact: true).Result);
        Assert.Equal(seq, Fingerprint(SmallBitcoin(ExecutionMode.Sequential, compact: true).Result));
        Assert.Equal(seq, Fingerprint(SmallBitcoin(ExecutionMode.Actors, compact: true).Result));
        Assert.NotEqual(seq, Fingerprint(SmallBitcoin(ExecutionMode.Sequential, compact: true, seed: 8).Result));
    }

    [Fact]
    public void Every_node_ends_on_the_same_chain_and_every_main_chain_block_reaches_90_percent()
    {
        var (run, r) = SmallBitcoin(ExecutionMode.Sequential);
        Assert.Equal(30, r.Metrics.Scalars[PowMetrics.BlocksMainChain]);
        Assert.Equal(StopReason.Idle, r.Stats.StoppedBy);
        Assert.True(r.Metrics.Samples[PowMetrics.BlockReach90].Length >= 30);
        // A miner has about 16 peers, so 90% of 60 nodes is at least two hops of 0.43 s uploads away.
        Assert.True(r.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach90, 0.5)] > 0.86, $"reach90 p50 {r.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach90, 0.5)]}");
        Assert.True(r.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach50, 0.5)] < r.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach90, 0.5)]);
        Assert.Equal(30 * 59, r.Metrics.Samples[PowMetrics.BlockArrival].Length);
    }

    [Fact]
    public void Compact_blocks_carry_fewer_bytes_and_misses_fall_back_to_full_blocks()
    {
        var full = SmallBitcoin(ExecutionMode.Sequential).Result;
        var compact = SmallBitcoin(ExecutionMode.Sequential, compact: true, miss: 0.3).Result;
        var perfect = SmallBitcoin(ExecutionMode.Sequential, compact: true, miss: 0).Result;
        Assert.True(compact.Stats.BytesSent < full.Stats.BytesSent / 2, $"compact {compact.Stats.BytesSent} vs full {full.Stats.BytesSent}");
        Assert.True(compact.Metrics.Counter(PowMetrics.CompactBlockMisses) > 0);
        Assert.Equal(0, perfect.Metrics.Counter(PowMetrics.CompactBlockMisses));
        Assert.True(perfect.Stats.BytesSent < compact.Stats.BytesSent);
        Assert.True(perfect.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach90, 0.5)] < full.Metrics.Scalars[Quantile.Name(PowMetrics.BlockReach90, 0.5)]);
    }

    [Fact]
    public void Rewards_and_fees_follow_the_main_chain_through_reorganisations()
    {
        // Slow links and a short interval: many forks and reorganisations.
        var options = PowTestWorld.Race(8, Duration.FromSeconds(10), 300) with { TxPerSecond = 50, MaxBlockBytes = 80 + 250 * 400, FeePerTxSat = 1000 };
        var (run, r) = PowTestWorld.Run(options, Duration.FromSeconds(0.5), seed: 4);
        Assert.True(r.Metrics.Counter(PowMetrics.Reorgs) > 10, $"only {r.Metrics.Counter(PowMetrics.Reorgs)} reorgs");
        Assert.True(r.Metrics.Counter(PowMetrics.TxReturnedToMempool) > 0);
        var chain = run.MainChain.Skip(1).ToList();
        var expected = chain.Sum(b => options.BlockRewardSat + b.FeesSat) / 1e8;
        Assert.Equal(expected, r.Metrics.Scalars[PowMetrics.MinerRewardTotal], 6);
        Assert.Equal(1.0, r.Metrics.Samples[PowMetrics.MinerRewardShare].Sum(), 9);
        Assert.Equal(1.0, r.Metrics.Samples[PowMetrics.MinerHashShare].Sum(), 9);
        // The chain holds a gapless prefix of the transaction sequence.
        for (int i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].TxEnd, chain[i].TxFrom);
    }

    [Fact]
    public void Throughput_is_the_arrival_rate_below_capacity_and_the_capacity_above_it()
    {
        var below = PowTestWorld.Race(4, Duration.FromSeconds(600), 400) with { TxPerSecond = 2 };          // capacity 2,139 tx / 600 s ≈ 3.6 tps
        var above = PowTestWorld.Race(4, Duration.FromSeconds(600), 400) with { TxPerSecond = 20 };
        var rb = PowTestWorld.Run(below, Duration.FromMillis(1), seed: 1).Result.Metrics.Scalars;
        var ra = PowTestWorld.Run(above, Duration.FromMillis(1), seed: 1).Result.Metrics.Scalars;
        Assert.InRange(rb[PowMetrics.ChainTps], 1.9, 2.0);
        var capacity = (535_000 - 80) / 250 / ra[PowMetrics.MeanBlockInterval];
        Assert.Equal(capacity, ra[PowMetrics.ChainTps], 6);
    }

    [Fact]
    public void A_block_is_final_after_k_confirmations_about_k_minus_one_intervals_after_it_is_mined()
    {
        // With k = 6 and 600 s blocks, the 5 blocks on top take 5 × 600 s on average.
        var options = PowTestWorld.Race(4, Duration.FromSeconds(600), 1500) with { ConfirmationDepth = 6, TxPerSecond = 1 };
        var r = PowTestWorld.Run(options, Duration.FromMillis(1), seed: 6).Result;
        var latency = r.Metrics.Samples[PowMetrics.ConfirmationLatency];
        Assert.InRange(latency.Average(), 3000 * 0.9, 3000 * 1.1);
        // Clients wait longer: a transaction first waits for a block.
        Assert.True(r.Metrics.Scalars[Quantile.Name("tx_confirmation_latency_s", 0.5)] > r.Metrics.Scalars[Quantile.Name(PowMetrics.ConfirmationLatency, 0.5)]);
    }

    [Fact]
    public void A_crashed_node_catches_up_with_the_chain_after_restarting()
    {
        var options = PowTestWorld.Race(6, Duration.FromSeconds(60), 60);
        var run = PowWorld.Build(options, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(20)), null, 3);
        var faults = new[]
        {
            new Lab.Sim.Faults.ScheduledFault(SimTime.Zero + Duration.FromMinutes(10),
                new Lab.Sim.Faults.Crash(new Lab.Sim.Faults.NamedNodes(["n3"])), Duration.FromMinutes(20)),
        };
        var sim = new Simulation(new SimulationOptions { Seed = 3 }, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(20)), run.Nodes, faults);
        var tips = new List<PowBlock>();
        sim.AddObserver(run);
        sim.AddObserver(new TipCollector(tips));
        var r = sim.Run();
        run.Summarise(r);
        Assert.Equal(60, r.Metrics.Scalars[PowMetrics.BlocksMainChain]);
        Assert.All(tips, t => Assert.Same(tips[0], t));
    }

    private sealed class TipCollector(List<PowBlock> tips) : Lab.Sim.Faults.ISimulationObserver
    {
        public void OnBarrier(Lab.Sim.Faults.ISimulationView view) { }
        public void OnEnd(Lab.Sim.Faults.ISimulationView view)
        {
            for (int i = 0; i < view.Directory.Count; i++) tips.Add(((PowNode)view.BehaviourOf(new Lab.Sim.Nodes.NodeId(i))).Tip);
        }
    }
}
