using Lab.Consensus.Common;
using Lab.Sim.Kernel;

namespace Lab.Finance.Securities;

/// <summary>Turns a finished run into <see cref="SecuritiesResults"/> and writes its scalars and series into the run's metrics.</summary>
internal static class SecuritiesDerivation
{
    public static SecuritiesResults Derive(RunResult run, SecuritiesObserver observer, SecuritiesOptions options, TradeTape tape, MarketNames names, Func<Trade, long> dayOf)
    {
        var trades = tape.Trades;
        var settledAt = observer.SettledAtNs ?? throw new InvalidOperationException("the securities observer saw no end of run: add it to the simulation");
        var failed = observer.FailedOnce!;
        var cancelled = observer.CancelledAtNs!;
        var times = new List<double>(trades.Count);
        long failCount = 0; double failValue = 0, totalValue = 0, failShares = 0, totalShares = 0;
        foreach (var t in trades)
        {
            totalValue += t.Value;
            totalShares += t.Quantity;
            if (settledAt[t.Index] >= 0) times.Add((settledAt[t.Index] - t.ExecutedAtNs) / 1e9);
            if (failed[t.Index]) { failCount++; failValue += t.Value; failShares += t.Quantity; }
        }
        times.Sort();

        // Exposure: +value at execution, −value at settlement; level at each bin end, and the exact peak.
        var bin = Math.Max(1, run.Metrics.SeriesBin.Nanos);
        var bins = (int)Math.Min(int.MaxValue - 1, run.Stats.FinalTime.Nanos / bin + 1);
        var delta = new double[bins + 1];
        var events = new List<(long At, double Change)>(2 * trades.Count);
        foreach (var t in trades)
        {
            var v = t.Value / 100.0;
            events.Add((t.ExecutedAtNs, v));
            delta[Math.Min(bins, (int)(t.ExecutedAtNs / bin))] += v;
            var closed = settledAt[t.Index] >= 0 ? settledAt[t.Index] : cancelled[t.Index];
            if (closed >= 0)
            {
                events.Add((closed, -v));
                delta[Math.Min(bins, (int)(closed / bin))] -= v;
            }
        }
        var exposure = new double[bins];
        double level = 0;
        for (int i = 0; i < bins; i++) { level += delta[i]; exposure[i] = Math.Max(0, level); }
        // Settlements before executions at equal times: an atomic settlement never counts as exposure.
        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Change.CompareTo(b.Change));
        double peak = 0; level = 0;
        foreach (var (_, change) in events) { level += change; peak = Math.Max(peak, level); }

        // Liquidity: trade by trade, per day (T+n), and under this run's own grouping.
        var days = Math.Max(1, tape.TradingDays.Count);
        var gross = LiquidityAnalysis.CashNeeds(trades, names.Members, dayOf, t => t.Index, days);
        var net = LiquidityAnalysis.CashNeeds(trades, names.Members, dayOf, _ => 0, days);
        Func<Trade, long> group = options.Settlement switch
        {
            OnChainSettlement { NettingWindow.Nanos: > 0 } c => t => t.ExecutedAtNs / c.NettingWindow.Nanos,
            OnChainSettlement => t => t.Index,
            _ => _ => 0,
        };
        var own = LiquidityAnalysis.CashNeeds(trades, names.Members, dayOf, group, days);
        // Trade-by-trade settlement nets nothing by definition (and would cost one netting per trade).
        var efficiency = options.Settlement is OnChainSettlement { NettingWindow.Nanos: 0 } ? 0 : NettingEfficiency(trades, names, dayOf, group);

        var onChain = options.Settlement is OnChainSettlement;
        // Throughput while the chain is in use: committed transactions over the series bins that saw
        // commits (nights and weekends excluded), and the busiest bin.
        double tps = 0, peakTps = 0;
        if (run.Metrics.Series.TryGetValue(StandardMetrics.CommittedTx, out var committed))
        {
            var binS = run.Metrics.SeriesBin.TotalSeconds;
            var active = committed.Count(x => x > 0);
            if (active > 0) tps = committed.Sum() / (active * binS);
            peakTps = committed.DefaultIfEmpty(0).Max() / binS;
        }
        var (violations, agree) = onChain ? observer.ChainAudit() : (0, true);

        var results = new SecuritiesResults
        {
            Variant = options.Settlement.Label,
            OnChain = onChain,
            Trades = trades.Count,
            Settled = times.Count,
            SettlementTimesS = [.. times],
            ExposureCny = exposure,
            ExposurePeakCny = peak,
            LiquidityNeededGrossCny = gross.Peak.Select(x => x / 100.0).ToArray(),
            LiquidityNeededNetCny = net.Peak.Select(x => x / 100.0).ToArray(),
            LiquidityNeededCny = own.Peak.Select(x => x / 100.0).ToArray(),
            PurchasesPeakCny = LiquidityAnalysis.PurchasesPeak(trades, names.Members, dayOf, days).Select(x => x / 100.0).ToArray(),
            NettingEfficiency = efficiency,
            FailRate = trades.Count == 0 ? 0 : (double)failCount / trades.Count,
            FailRateValue = totalValue == 0 ? 0 : failValue / totalValue,
            FailRateShares = totalShares == 0 ? 0 : failShares / totalShares,
            RejectedPrefunding = (long)run.Metrics.Counter(SecuritiesMetrics.RejectedPrefunding),
            ThroughputActiveTps = tps,
            ThroughputPeakTps = peakTps,
            ConservationViolations = violations,
            ReplicasAgree = onChain ? agree : null,
            MemberNames = Enumerable.Range(0, names.Members).Select(names.Member).ToArray(),
            Timeline = Timeline(trades, settledAt, failed, onChain),
        };
        foreach (var (k, v) in results.Scalars()) run.Metrics.Scalars[k] = v;
        run.Metrics.Series[SecuritiesMetrics.Exposure] = exposure;
        return results;
    }

    private static List<TradeTimeline> Timeline(IReadOnlyList<Trade> trades, long[] settledAt, bool[] failed, bool onChain, int sample = 200)
    {
        var step = Math.Max(1, trades.Count / sample);
        var list = new List<TradeTimeline>();
        for (int i = 0; i < trades.Count; i += step)
        {
            var t = trades[i];
            list.Add(new TradeTimeline(t.Index, t.ExecutedAtNs / 1e9, onChain ? null : t.AffirmedAtNs / 1e9,
                settledAt[i] >= 0 ? settledAt[i] / 1e9 : null, failed[i]));
        }
        return list;
    }

    /// <summary>1 − Σ net cash paid per group / Σ gross value, groups within days.</summary>
    internal static double NettingEfficiency(IReadOnlyList<Trade> trades, MarketNames names, Func<Trade, long> dayOf, Func<Trade, long> group)
    {
        long gross = 0, netPaid = 0;
        var batch = new List<Trade>();
        (long, long) key = (long.MinValue, long.MinValue);
        void Flush()
        {
            if (batch.Count == 0) return;
            var n = MultilateralNetting.Net(batch, names.Members, names.Securities);
            gross += n.GrossValue; netPaid += n.NetCashPaid;
            batch.Clear();
        }
        foreach (var t in trades)
        {
            var k = (dayOf(t), group(t));
            if (k != key) { Flush(); key = k; }
            batch.Add(t);
        }
        Flush();
        return gross == 0 ? 0 : 1 - (double)netPaid / gross;
    }
}
