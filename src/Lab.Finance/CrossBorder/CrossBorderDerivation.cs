using Lab.Sim.Kernel;
using Lab.Sim.Metrics;

namespace Lab.Finance.CrossBorder;

/// <summary>The figures of one run (also written into its metrics).</summary>
public sealed record CrossBorderResults
{
    public int Payments { get; init; }
    public double ReceivingBankWithinHour { get; init; }
    public double BeneficiaryWithinHour { get; init; }
    public double BeyondTwoDays { get; init; }
    public double Failed { get; init; }
    public double Returned { get; init; }
    public double Unfinished { get; init; }
    public double CostPerPaymentUsd { get; init; }
    public double LiquidityUsd { get; init; }
    public double InFlightPeakUsd { get; init; }
    public long ConservationViolations { get; init; }
    public bool? ReplicasAgree { get; init; }
    /// <summary>On the ledger with privacy: cells of the who-can-read matrix that break <see cref="CrossBorderPrivacy.Expected"/>.</summary>
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];
}

/// <summary>Turns the payment log of a run into metrics: time distributions, shares, cost, liquidity, exposure, timeline.</summary>
public static class CrossBorderDerivation
{
    /// <summary>Payments sampled for the timeline chart: about as many as it shows legibly.</summary>
    public const int TimelinePayments = 30;
    /// <summary>Payments recorded step by step for the report's "follow one payment".</summary>
    public const int FollowedPayments = 40;

    public static CrossBorderResults Derive(RunResult run, CrossBorderOptions options, PaymentBook book, PaymentLog log, LedgerPlan? plan, CrossBorderObserver observer)
    {
        var m = run.Metrics;
        var end = run.Stats.FinalTime.Nanos;
        var n = book.Payments.Count;
        const long Hour = 3_600_000_000_000, TwoDays = 48 * Hour;
        var toBank = new List<double>();
        var toBeneficiary = new List<double>();
        var returns = new List<double>();
        int bankHour = 0, benHour = 0, beyond = 0, failed = 0, returned = 0, unfinished = 0;
        double fees = 0, fx = 0;
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in book.Payments)
        {
            var r = log.Records[p.Index];
            // SWIFT gpi measures from the moment the sending bank sends the payment: so do we (the sender's own
            // screening and an instruction after its cut-off come before that; the timeline shows them).
            var from = r.ReleasedNs ?? p.CreatedNs;
            if (r.ReceivingBankNs is { } rb) { toBank.Add((rb - from) / 1e9); if (rb - from <= Hour) bankHour++; }
            if (r.BeneficiaryNs is { } be) { toBeneficiary.Add((be - from) / 1e9); if (be - from <= Hour) benHour++; }
            if (r.BeneficiaryNs is not { } b2 || b2 - from > TwoDays) beyond++;
            if (r.FailedNs is not null) failed++;
            if (r.ReturnedNs is { } ret) { returned++; returns.Add((ret - p.CreatedNs) / 1e9); }
            if (r.BeneficiaryNs is null && r.FailedNs is null && r.ReturnedNs is null) unfinished++;
            if (r.Reason is { } why) reasons[why] = reasons.GetValueOrDefault(why) + 1;
            fees += r.FeesUsd;
            fx += r.FxCostUsd;
        }
        double Share(int k) => n == 0 ? 0 : (double)k / n;
        m.Samples[CrossBorderMetrics.ToReceivingBank] = [.. toBank];
        m.Samples[CrossBorderMetrics.ToBeneficiary] = [.. toBeneficiary];
        m.Samples[CrossBorderMetrics.ReturnTime] = [.. returns];
        m.Scalars[CrossBorderMetrics.ReceivingBankWithinHour] = Share(bankHour);
        m.Scalars[CrossBorderMetrics.BeneficiaryWithinHour] = Share(benHour);
        m.Scalars[CrossBorderMetrics.BeyondTwoDays] = Share(beyond);
        m.Scalars[CrossBorderMetrics.FailedShare] = Share(failed);
        m.Scalars[CrossBorderMetrics.ReturnedShare] = Share(returned);
        m.Scalars[CrossBorderMetrics.UnfinishedShare] = Share(unfinished);
        foreach (var (why, k) in reasons) m.Counters[CrossBorderMetrics.RefusedFor(why)] = k;

        // Prefunded liquidity: per bank, in USD.
        var liquidity = plan is null ? NostroLiquidity(options, book) : LedgerLiquidity(options, plan);
        var totalLiquidity = liquidity.Values.Sum();
        foreach (var (bank, usd) in liquidity.OrderBy(x => x.Key, StringComparer.Ordinal)) m.Scalars[CrossBorderMetrics.PerBank(CrossBorderMetrics.Nostro, bank)] = usd;
        m.Scalars[CrossBorderMetrics.Nostro] = totalLiquidity;
        // Liquidity cost: the balances held over the payment window at the funding rate, spread over its payments.
        var liquidityCost = n == 0 ? 0 : totalLiquidity * options.FundingRate * (options.Payments.Window.TotalSeconds / (365 * 86_400.0)) / n;
        m.Scalars[CrossBorderMetrics.FeesPerPayment] = n == 0 ? 0 : fees / n;
        m.Scalars[CrossBorderMetrics.FxCostPerPayment] = n == 0 ? 0 : fx / n;
        m.Scalars[CrossBorderMetrics.LiquidityCostPerPayment] = liquidityCost;
        var cost = (n == 0 ? 0 : (fees + fx) / n) + liquidityCost;
        m.Scalars[CrossBorderMetrics.CostPerPayment] = cost;

        // In-flight exposure: released and not yet at the receiving bank (or back at the sender, or refused).
        var intervals = new List<(long From, long To, double Usd)>();
        foreach (var p in book.Payments)
        {
            var r = log.Records[p.Index];
            if (r.ReleasedNs is not { } from) continue;
            var to = r.ReceivingBankNs ?? r.ReturnedNs ?? r.FailedNs ?? end;
            intervals.Add((from, Math.Max(from, to), p.AmountMinor / 100.0 / CrossBorderOptions.FxRates[options.Banks[p.Sender].Currency]));
        }
        var (peak, mean, series) = Exposure(intervals, end, m.SeriesBin.Nanos);
        m.Scalars[CrossBorderMetrics.InFlightPeak] = peak;
        m.Scalars[CrossBorderMetrics.InFlightMean] = mean;
        m.Series[CrossBorderMetrics.InFlight] = series;

        // Timeline: an evenly spaced sample of payments over the window.
        var step = Math.Max(1, n / TimelinePayments);
        var starts = new List<double>();
        var ends = new List<double>();
        for (int i = 0; i < n; i += step)
        {
            var r = log.Records[i];
            starts.Add(book.Payments[i].CreatedNs / 1e9);
            ends.Add((r.BeneficiaryNs ?? r.ReturnedNs ?? r.FailedNs ?? end) / 1e9);
        }
        m.Samples[CrossBorderMetrics.PaymentStart] = [.. starts];
        m.Samples[CrossBorderMetrics.PaymentEnd] = [.. ends];
        // Follow one payment: every step of an evenly spaced sample (the same payments in every variant of a seed).
        var followed = Enumerable.Range(0, n).Where(i => i % Math.Max(1, n / FollowedPayments) == 0).Take(FollowedPayments)
            .SelectMany(i => log.Records[i].Trail.Select(s => (Payment: i, Step: s))).ToList();
        m.Samples[CrossBorderMetrics.JourneyPayment] = [.. followed.Select(x => (double)x.Payment)];
        m.Samples[CrossBorderMetrics.JourneyStage] = [.. followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[CrossBorderMetrics.JourneyWho] = [.. followed.Select(x => (double)x.Step.Bank)];
        m.Samples[CrossBorderMetrics.JourneyAt] = [.. followed.Select(x => x.Step.AtNs / 1e9)];
        m.Scalars[CrossBorderMetrics.OnLedger] = plan is null ? 0 : 1;

        var (violations, agree) = plan is null ? (0L, (bool?)null) : observer.Audit();
        return new CrossBorderResults
        {
            Payments = n, ReceivingBankWithinHour = Share(bankHour), BeneficiaryWithinHour = Share(benHour), BeyondTwoDays = Share(beyond),
            Failed = Share(failed), Returned = Share(returned), Unfinished = Share(unfinished), CostPerPaymentUsd = cost,
            LiquidityUsd = totalLiquidity, InFlightPeakUsd = peak, ConservationViolations = violations, ReplicasAgree = agree,
        };
    }

    /// <summary>
    /// Correspondent nostros: on every link a payment crossed (bank i pays on through its account at bank i+1), the
    /// account holds the link's largest day of outflows (UTC days from the start), replenished daily by the holder's
    /// treasury. Per holder, in USD.
    /// </summary>
    public static Dictionary<string, double> NostroLiquidity(CrossBorderOptions options, PaymentBook book)
    {
        var daily = new SortedDictionary<(int Holder, int At, long Day), double>();
        foreach (var p in book.Payments)
        {
            var usd = p.AmountMinor / 100.0 / CrossBorderOptions.FxRates[options.Banks[p.Sender].Currency];
            var chain = p.Chain;
            var last = p.RejectAtHop >= 0 ? p.RejectAtHop - 1 : p.ReceiverHop - 1;
            var day = p.CreatedNs / 86_400_000_000_000;
            for (int i = 0; i <= last; i++)
            {
                var key = (chain[i], chain[i + 1], day);
                daily[key] = daily.GetValueOrDefault(key) + usd;
            }
        }
        var perLink = daily.GroupBy(x => (x.Key.Holder, x.Key.At)).Select(g => (g.Key.Holder, Peak: g.Max(x => x.Value)));
        var result = options.Banks.ToDictionary(b => b.Name, _ => 0.0);
        foreach (var (holder, peak) in perLink) result[options.Banks[holder].Name] += peak;
        return result;
    }

    /// <summary>Ledger wallets per holder (every bank, and the FX dealer), in USD.</summary>
    public static Dictionary<string, double> LedgerLiquidity(CrossBorderOptions options, LedgerPlan plan)
    {
        var result = options.Banks.ToDictionary(b => b.Name, _ => 0.0);
        result[CrossBorderWorld.Dealer] = 0;
        foreach (var ((holder, currency), minor) in plan.Wallets) result[holder] += minor / 100.0 / CrossBorderOptions.FxRates[currency];
        return result;
    }

    private static (double Peak, double Mean, double[] Series) Exposure(List<(long From, long To, double Usd)> intervals, long end, long bin)
    {
        if (end <= 0 || bin <= 0) return (0, 0, []);
        var bins = new double[(end + bin - 1) / bin];
        var edges = new List<(long At, double Delta)>();
        double area = 0;
        foreach (var (from, to, usd) in intervals)
        {
            var f = Math.Min(from, end); var t = Math.Min(to, end);
            if (t <= f) continue;
            edges.Add((f, usd)); edges.Add((t, -usd));
            area += usd * (t - f);
            for (long b = f / bin; b * bin < t && b < bins.Length; b++)
            {
                var lo = Math.Max(f, b * bin); var hi = Math.Min(t, (b + 1) * bin);
                bins[b] += usd * (hi - lo) / bin;
            }
        }
        double level = 0, peak = 0;
        foreach (var (_, delta) in edges.OrderBy(e => e.At).ThenBy(e => e.Delta))
        {
            level += delta;
            peak = Math.Max(peak, level);
        }
        return (peak, area / end, bins);
    }
}
