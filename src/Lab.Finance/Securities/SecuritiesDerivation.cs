using Lab.Consensus.Common;
using Lab.Finance.Securities.Clearing;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;

namespace Lab.Finance.Securities;

/// <summary>Turns a finished run into <see cref="SecuritiesResults"/> and writes its scalars, samples and series into the run's metrics.</summary>
internal static class SecuritiesDerivation
{
    // A trade final within this time of its scheduled money settlement is on time (messages and processing take seconds).
    private static readonly long LatenessGrace = Lab.Sim.Time.Duration.FromMinutes(30).Nanos;

    public static SecuritiesResults Derive(RunResult run, SecuritiesObserver observer, SecuritiesOptions options, MarketSetup setup, OnChainGenesis? genesis)
    {
        var trades = setup.Tape.Trades;
        var records = observer.Records ?? throw new InvalidOperationException("the securities observer saw no end of run: add it to the simulation");
        var rejectedAtEntry = observer.Rejected ?? new bool[trades.Count];
        var deferred = options.Settlement as DeferredNetSettlement;
        var onChain = options.Settlement is OnChainSettlement;
        var cur = setup.Names.Currency;
        var end = run.Stats.FinalTime.Nanos;

        int executed = 0, rejected = 0, settled = 0, failed = 0, boughtIn = 0, defaulted = 0;
        var times = new List<double>(trades.Count);
        var legTimes = new List<double>(trades.Count);
        var lateness = new List<double>();
        double traded = 0;
        var isExecuted = new bool[trades.Count];
        foreach (var t in trades)
        {
            var r = records[t.Index];
            if (rejectedAtEntry[t.Index] || r.Rejected) { rejected++; continue; }
            isExecuted[t.Index] = true;
            executed++;
            traded += t.Value / 100.0;
            if (r.Failed) failed++;
            if (r.BoughtIn) boughtIn++;
            if (r.Defaulted) defaulted++;
            if (r.SecuritiesDoneNs >= 0) legTimes.Add((r.SecuritiesDoneNs - t.ExecutedAtNs) / 1e9);
            if (r.FinalNs < 0) continue;
            settled++;
            times.Add((r.FinalNs - t.ExecutedAtNs) / 1e9);
            if (deferred is { Regime: var regime })
            {
                var T = setup.TradeDate(t.ExecutedAtNs);
                var scheduled = setup.At(setup.Calendar.SettlementDate(T, regime.CycleDays), regime.MoneyAt);
                lateness.Add(Math.Max(0, (r.FinalNs - scheduled - LatenessGrace) / 1e9));
            }
        }
        run.Metrics.Samples[SecuritiesMetrics.SettlementTime] = [.. times];
        run.Metrics.Samples[SecuritiesMetrics.SecuritiesLegTime] = [.. legTimes];
        if (lateness.Count > 0) run.Metrics.Samples[SecuritiesMetrics.Lateness] = [.. lateness];
        times.Sort();
        legTimes.Sort();

        // Notional exposure: +value at execution, −value when final; level at each bin end, and the exact peak.
        var bin = Math.Max(1, run.Metrics.SeriesBin.Nanos);
        var bins = (int)Math.Min(int.MaxValue - 1, end / bin + 1);
        var delta = new double[bins + 1];
        var events = new List<(long At, double Change)>(2 * trades.Count);
        foreach (var t in trades)
        {
            if (!isExecuted[t.Index]) continue;
            var v = t.Value / 100.0;
            events.Add((t.ExecutedAtNs, v));
            delta[Math.Min(bins, (int)(t.ExecutedAtNs / bin))] += v;
            var closed = records[t.Index].FinalNs;
            if (closed < 0) continue;
            events.Add((closed, -v));
            delta[Math.Min(bins, (int)(closed / bin))] -= v;
        }
        var exposure = new double[bins];
        double level = 0;
        for (int i = 0; i < bins; i++) { level += delta[i]; exposure[i] = Math.Max(0, level); }
        // Settlements before executions at equal times: an atomic settlement never counts as exposure.
        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Change.CompareTo(b.Change));
        double peak = 0; level = 0;
        foreach (var (_, change) in events) { level += change; peak = Math.Max(peak, level); }

        // Replacement cost: the CCP's samples (end of day and intraday checks), carried forward to every bin.
        var replacement = new double[bins];
        double replacementPeak = 0, uncollateralisedPeak = 0;
        if (observer.Ccp is { } ccp)
        {
            var samples = ccp.ExposureSamples;
            int k = 0;
            double current = 0;
            for (int i = 0; i < bins; i++)
            {
                var binEnd = (long)(i + 1) * bin;
                while (k < samples.Count && samples[k].At < binEnd) current = samples[k++].Replacement / 100.0;
                replacement[i] = current;
            }
            replacementPeak = samples.Count == 0 ? 0 : samples.Max(x => x.Replacement) / 100.0;
            uncollateralisedPeak = samples.Count == 0 ? 0 : samples.Max(x => x.Uncollateralised) / 100.0;
        }

        var days = Math.Max(1, setup.Tape.TradingDays.Count);
        var dailyValue = traded / days;
        var sheet = options.Orders.BalanceSheet;
        var runYears = end / (365.0 * 86_400e9);
        double[] committed;
        double marginPeak = 0, fundPeak = 0, debitPeak = 0, creditPeak, creditCost, borrowCost = 0, penalties = 0, netting;
        double failValueRate = 0;
        IReadOnlyList<WaterfallOutcome> waterfalls = [];
        if (observer.Ccp is { } c)
        {
            committed = c.PeakCommitted.Select(x => x / 100.0).ToArray();
            (var margin, var fund) = c.RiskPeaks;
            marginPeak = margin / 100.0;
            fundPeak = fund / 100.0;
            debitPeak = c.PeakDebit.Sum() / 100.0;
            var (gross, net) = c.Netting;
            netting = gross == 0 ? 0 : 1 - (double)net / gross;
            var (fv, dv) = c.FailValue;
            failValueRate = dv == 0 ? 0 : (double)fv / dv;
            penalties = c.Book.PenaltiesCharged / 100.0;
            waterfalls = c.Waterfalls;
            creditPeak = observer.Bank?.PeakDrawn.Sum() / 100.0 ?? 0;
            creditCost = observer.Bank?.CreditCost.Sum() / 100.0 ?? 0;
            if (observer.Csd is { } csd)
                borrowCost = csd.Borrowed.Sum(b => b.Quantity * (double)b.Price * sheet.BorrowFee * (end - b.AtNs) / (365.0 * 86_400e9)) / 100.0;
        }
        else
        {
            committed = PrefundingNeeded(trades, isExecuted, setup, options.Settlement as OnChainSettlement);
            creditPeak = observer.Gateway?.PeakDrawn.Sum() / 100.0 ?? 0;
            creditCost = observer.Gateway?.CreditCost.Sum() / 100.0 ?? 0;
            if (genesis is not null)
                for (int k = 0; k < genesis.Borrowed.Count; k++)
                    if (genesis.Borrowed[k] > 0) borrowCost += genesis.Borrowed[k] * (double)setup.Prices.InitialMinor(k % setup.Securities) * sheet.BorrowFee * runYears / 100.0;
            netting = options.Settlement is OnChainSettlement { NettingWindow.Nanos: > 0 } w ? WindowNetting(trades, isExecuted, setup, w) : 0;
        }
        var buyInCost = run.Metrics.Counter(SecuritiesMetrics.Money(SecuritiesMetrics.BuyInCost, cur));
        var fundingCost = committed.Sum() * sheet.FundingRate * runYears + creditCost + borrowCost + penalties + buyInCost;

        // Throughput while the chain is in use: committed transactions over the series bins that saw commits.
        double tps = 0, peakTps = 0;
        if (run.Metrics.Series.TryGetValue(StandardMetrics.CommittedTx, out var committedTx))
        {
            var binS = run.Metrics.SeriesBin.TotalSeconds;
            var active = committedTx.Count(x => x > 0);
            if (active > 0) tps = committedTx.Sum() / (active * binS);
            peakTps = committedTx.DefaultIfEmpty(0).Max() / binS;
        }
        var (violations, agree) = onChain ? observer.ChainAudit() : (0, true);

        var results = new SecuritiesResults
        {
            Variant = options.Settlement is DeferredNetSettlement d2 ? $"{d2.Regime.Name} ({d2.Label})" : options.Settlement.Label,
            OnChain = onChain,
            Currency = cur,
            Orders = trades.Count,
            Executed = executed,
            Rejected = rejected,
            Settled = settled,
            Failed = failed,
            BoughtIn = boughtIn,
            Defaulted = defaulted,
            Unsettled = executed - settled,
            SettlementTimesS = [.. times],
            SecuritiesLegTimesS = [.. legTimes],
            LatenessS = [.. lateness],
            ExposureNotional = exposure,
            ExposurePeak = peak,
            ExposureReplacement = replacement,
            ReplacementPeak = replacementPeak,
            UncollateralisedPeak = uncollateralisedPeak,
            LiquidityCommitted = committed,
            LiquidityCommittedDays = dailyValue == 0 ? 0 : committed.Sum() / dailyValue,
            MarginPeak = marginPeak,
            ClearingFundPeak = fundPeak,
            SettlementDebitPeak = debitPeak,
            CreditDrawnPeak = creditPeak,
            FacilityPeak = observer.Bank?.FacilityPeak / 100.0 ?? 0,
            FundingCost = fundingCost,
            BorrowCost = borrowCost,
            Penalties = penalties,
            BuyInCost = buyInCost,
            TradedValue = traded,
            NettingEfficiency = netting,
            FailRateValue = failValueRate,
            DefaultLoss = waterfalls.Sum(w => w.Loss) / 100.0,
            Waterfalls = waterfalls,
            MemberDefaults = waterfalls.Count,
            ThroughputActiveTps = tps,
            ThroughputPeakTps = peakTps,
            ConservationViolations = violations,
            LockedButRefused = (long)run.Metrics.Counter(SecuritiesMetrics.LockedButRefused),
            ReplicasAgree = onChain ? agree : null,
            MemberNames = Enumerable.Range(0, setup.Members).Select(setup.Names.Member).ToArray(),
            Timeline = Timeline(trades, records, isExecuted),
        };
        foreach (var (k, v) in results.Scalars()) run.Metrics.Scalars[k] = v;
        run.Metrics.Series[SecuritiesMetrics.Money(SecuritiesMetrics.ExposureNotional, cur)] = exposure;
        run.Metrics.Series[SecuritiesMetrics.Money(SecuritiesMetrics.ExposureReplacement, cur)] = replacement;
        return results;
    }

    /// <summary>
    /// Cash each member had to hold on chain before its purchases: per local day, the peak of its running purchases
    /// minus sales in execution order (sale proceeds are reusable once final, within a second), peak over days;
    /// with a netting window, the same over the window nets. What it held beyond this was idle prefunding.
    /// </summary>
    internal static double[] PrefundingNeeded(IReadOnlyList<Trade> trades, bool[] executed, MarketSetup setup, OnChainSettlement? settlement)
    {
        var m = setup.Members;
        var peak = new long[m];
        var run = new long[m];       // the day's running purchases − sales
        var dayPeak = new long[m];
        var pending = new long[m];   // the open window's nets
        var window = settlement?.NettingWindow.Nanos ?? 0;
        var day = DateOnly.MinValue;
        long group = long.MinValue;
        void Raise(int i) { if (run[i] > dayPeak[i]) dayPeak[i] = run[i]; }
        void FlushWindow()
        {
            for (int i = 0; i < m; i++) { run[i] += pending[i]; pending[i] = 0; Raise(i); }
        }
        void FlushDay()
        {
            FlushWindow();
            for (int i = 0; i < m; i++) { peak[i] = Math.Max(peak[i], dayPeak[i]); run[i] = 0; dayPeak[i] = 0; }
        }
        foreach (var t in trades)
        {
            if (!executed[t.Index]) continue;
            var d = setup.LocalDate(t.ExecutedAtNs);
            if (d != day) { FlushDay(); day = d; group = long.MinValue; }
            if (window == 0)
            {
                // Gross: the purchase needs the cash at entry; the seller's proceeds count from then on.
                run[t.Buyer] += t.Value;
                Raise(t.Buyer);
                run[t.Seller] -= t.Value;
                continue;
            }
            var g = (t.ExecutedAtNs - setup.Clock.MidnightNanos(d, setup.Calendar)) / window;
            if (g != group) { FlushWindow(); group = g; }
            pending[t.Buyer] += t.Value;
            pending[t.Seller] -= t.Value;
        }
        FlushDay();
        return peak.Select(x => x / 100.0).ToArray();
    }

    private static double WindowNetting(IReadOnlyList<Trade> trades, bool[] executed, MarketSetup setup, OnChainSettlement w)
    {
        long gross = 0, netPaid = 0;
        var net = new Dictionary<int, long>();
        (long, long) key = (long.MinValue, long.MinValue);
        void Flush()
        {
            foreach (var v in net.Values) if (v < 0) netPaid -= v;
            net.Clear();
        }
        foreach (var t in trades)
        {
            if (!executed[t.Index]) continue;
            var date = setup.LocalDate(t.ExecutedAtNs);
            var k = (date.DayNumber, (t.ExecutedAtNs - setup.Clock.MidnightNanos(date, setup.Calendar)) / w.NettingWindow.Nanos);
            if (k != key) { Flush(); key = k; }
            gross += t.Value;
            net[t.Buyer] = net.GetValueOrDefault(t.Buyer) - t.Value;
            net[t.Seller] = net.GetValueOrDefault(t.Seller) + t.Value;
        }
        Flush();
        return gross == 0 ? 0 : 1 - (double)netPaid / gross;
    }

    private static List<TradeTimeline> Timeline(IReadOnlyList<Trade> trades, TradeRecord[] records, bool[] executed, int sample = 200)
    {
        var step = Math.Max(1, trades.Count / sample);
        var list = new List<TradeTimeline>();
        for (int i = 0; i < trades.Count; i += step)
        {
            if (!executed[i]) continue;
            var r = records[i];
            var t = trades[i];
            static double? S(long ns) => ns >= 0 ? ns / 1e9 : null;
            list.Add(new TradeTimeline(i, t.ExecutedAtNs / 1e9, S(r.FinalNs), r.Failed)
            {
                Buyer = t.Buyer, Seller = t.Seller,
                AffirmedS = t.Kind == TradeKind.Block ? S(t.AffirmedAtNs) : null,
                NovatedS = S(r.NovatedAtNs), NettedS = S(r.NettedAtNs), SubmittedS = S(r.SubmittedAtNs), DeliveredS = S(r.SecuritiesDoneNs),
            });
        }
        return list;
    }
}
