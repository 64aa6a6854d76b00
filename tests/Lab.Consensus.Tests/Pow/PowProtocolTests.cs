using System.Security.Cryptography;
using System.Text;
using Lab.Consensus.Common;
using Lab.Consensus.Pow;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

public class PowProtocolTests
{
    /// <summary>60 nodes in three regions, 535 KB blocks at a 60 s interval with clients at 40 tx/s: forks happen.</summary>
    private static PowTestRun SmallBitcoin(ExecutionMode mode, bool compact = false, double miss = 0.3, ulong seed = 7)
    {
        var options = PowTestWorld.Bitcoin(blocks: 30) with
        {
            TargetInterval = Duration.FromSeconds(60),
            CompactBlocks = compact,
            CompactMissRate = miss,
            TxValidation = Duration.FromMicros(20),
        };
        return PowTestWorld.Run(options, nodes: 60, PowTestWorld.ThreeRegions(), seed, PowTestWorld.Clients(40), mode);
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
        var run = SmallBitcoin(ExecutionMode.Sequential);
        var s = run.Scalars;
        Assert.Equal(30, s[PowMetrics.BlocksMainChain]);
        Assert.Equal(StopReason.Predicate, run.Result.Stats.StoppedBy);
        Assert.True(run.Result.Metrics.Samples[PowMetrics.BlockReach90].Length >= 30);
        // A miner has about 16 peers, so 90% of 60 nodes is at least two hops of 0.43 s uploads away.
        Assert.True(s[Quantile.Name(PowMetrics.BlockReach90, 0.5)] > 0.86, $"reach90 p50 {s[Quantile.Name(PowMetrics.BlockReach90, 0.5)]}");
        Assert.True(s[Quantile.Name(PowMetrics.BlockReach50, 0.5)] < s[Quantile.Name(PowMetrics.BlockReach90, 0.5)]);
        Assert.Equal(30 * 59, run.Result.Metrics.Samples[PowMetrics.BlockArrival].Length);
        Assert.Equal(0, s[StandardMetrics.SafetyViolations]);
        Assert.Equal(0, s[StandardMetrics.ValidityViolations]);
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
        var options = PowTestWorld.Race(Duration.FromSeconds(10), 300) with { MaxBlockBytes = 80 + 250 * 400, FeePerTxSat = 1000, TxRelayDelay = Duration.FromSeconds(1) };
        var run = PowTestWorld.Run(options, nodes: 8, Duration.FromSeconds(0.5), seed: 4, PowTestWorld.Clients(50));
        var r = run.Result;
        Assert.True(r.Metrics.Counter(PowMetrics.Reorgs) > 10, $"only {r.Metrics.Counter(PowMetrics.Reorgs)} reorgs");
        Assert.True(r.Metrics.Counter(PowMetrics.TxReturnedToMempool) > 0);
        var chain = run.Pow.MainChain.Skip(1).ToList();
        var expected = chain.Sum(b => options.BlockRewardSat + b.FeesSat) / 1e8;
        Assert.Equal(expected, r.Metrics.Scalars[PowMetrics.MinerRewardTotal], 6);
        Assert.Equal(1.0, r.Metrics.Samples[PowMetrics.MinerRewardShare].Sum(), 9);
        Assert.Equal(1.0, r.Metrics.Samples[PowMetrics.MinerHashShare].Sum(), 9);
        // The chain holds a gapless prefix of the transaction pool.
        for (int i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].TxEnd, chain[i].TxFrom);
        Assert.True(chain[^1].TxEnd > 1000);
    }

    [Fact]
    public void Throughput_is_the_offered_rate_below_capacity_and_the_capacity_above_it()
    {
        // Capacity: (20,000 − 80) / 250 = 79 transactions per 60 s block, about 1.3 tx/s.
        var options = PowTestWorld.Race(Duration.FromSeconds(60), 150) with { MaxBlockBytes = 20_000 };
        var below = PowTestWorld.Run(options, nodes: 4, Duration.FromMillis(1), seed: 1, PowTestWorld.Clients(0.5)).Scalars;
        var above = PowTestWorld.Run(options, nodes: 4, Duration.FromMillis(1), seed: 1, PowTestWorld.Clients(5)).Scalars;
        Assert.InRange(below[PowMetrics.ChainTps], 0.47, 0.5);
        // Full blocks but the few mined before 79 transactions had reached the miners (the first seconds).
        var capacity = 79 / above[PowMetrics.MeanBlockInterval];
        Assert.InRange(above[PowMetrics.ChainTps], 0.99 * capacity, capacity);
        // What clients saw final: the run ends with the last k − 1 blocks (5 of 150) not yet final.
        Assert.InRange(above[StandardMetrics.ThroughputTps], 0.95 * capacity, capacity);
        Assert.InRange(below[StandardMetrics.ThroughputTps], 0.95 * 0.5, 0.5);
    }

    [Fact]
    public void Clients_call_a_transaction_final_when_their_gateway_reports_k_confirmations()
    {
        // k = 6 and 600 s blocks: a block is k deep about 5 × 600 s after it is mined. A transaction
        // reaches the miners 10 s after its gateway (the relay delay), then waits 600 s on average for
        // a block (mining is memoryless): 3,610 s in all.
        var options = PowTestWorld.Race(Duration.FromSeconds(600), 1500) with { ConfirmationDepth = 6 };
        var run = PowTestWorld.Run(options, nodes: 4, Duration.FromMillis(1), seed: 6, PowTestWorld.Clients(0.2));
        var m = run.Result.Metrics;
        Assert.InRange(m.Samples[PowMetrics.ConfirmationLatency].Average(), 3000 * 0.9, 3000 * 1.1);
        // ±10%: the mean over ~1,500 blocks of a sum of six 600 s exponentials has a standard error of ~40 s.
        Assert.InRange(m.Samples[StandardMetrics.CommitLatency].Average(), 3610 * 0.9, 3610 * 1.1);
        // Clients saw final exactly what is final on the chain (the last block's replies may still be in flight).
        var final = run.Pow.MainChain[^6];
        Assert.InRange(m.Counter(StandardMetrics.CommittedTx), final.Parent!.TxEnd, final.TxEnd);
        Assert.Equal(0, m.Counter(StandardMetrics.AbandonedTx));
        Assert.Equal(0, run.Scalars[StandardMetrics.ValidityViolations]);
    }

    [Fact]
    public void Proof_of_work_reports_the_standard_metric_set()
    {
        var s = SmallBitcoin(ExecutionMode.Sequential).Scalars;
        string[] standard =
        [
            StandardMetrics.ThroughputTps, StandardMetrics.OfferedTps, StandardMetrics.CommitLatencyMean, StandardMetrics.MessagesTotal,
            StandardMetrics.BytesTotal, StandardMetrics.MessagesPerDecision, StandardMetrics.BytesPerDecision, StandardMetrics.LeaderElections,
            StandardMetrics.UnavailableSeconds, StandardMetrics.CpuUtilisationMax, StandardMetrics.SafetyViolations, StandardMetrics.ValidityViolations,
            .. StandardMetrics.LatencyPercentiles.Select(p => Quantile.Name(StandardMetrics.CommitLatency, p)),
        ];
        foreach (var name in standard) Assert.True(s.ContainsKey(name), $"{name} missing");
        Assert.Equal(40, s[StandardMetrics.OfferedTps]);
        Assert.Equal(0, s[StandardMetrics.LeaderElections]);
        Assert.Equal(0, s[StandardMetrics.UnavailableSeconds]);
        Assert.True(s[StandardMetrics.MessagesPerDecision] > 60, $"{s[StandardMetrics.MessagesPerDecision]} relay messages per final block among 60 nodes");
        Assert.DoesNotContain(s.Keys, k => k.StartsWith(StandardMetrics.CpuUtilisationNodePrefix + "n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_crashed_node_catches_up_with_the_chain_after_restarting()
    {
        var options = PowTestWorld.Race(Duration.FromSeconds(60), 60);
        var faults = new[] { new ScheduledFault(SimTime.Zero + Duration.FromMinutes(10), new Crash(new NamedNodes(["n3"])), Duration.FromMinutes(20)) };
        var run = PowTestWorld.Run(options, nodes: 6, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(20)), seed: 3, faults: faults);
        Assert.Equal(60, run.Scalars[PowMetrics.BlocksMainChain]);
        Assert.Equal(0, run.Scalars[StandardMetrics.SafetyViolations]);
    }
}
