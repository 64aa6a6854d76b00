using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Ledger.Crypto;
using Lab.Finance.Securities;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: securities</c> — a week of an equity market (issue 7): the same trades settle
/// under T+n with end-of-day CCP netting (<c>settlement.mode: deferred-net</c>) or atomically on a
/// consortium chain (<c>atomic-dvp</c>, on <c>chain.protocol</c>: any registered chain protocol, see
/// <see cref="IChainModel"/>). Builds <see cref="SecuritiesWorld"/>; the YAML → options mapping is the
/// table in src/Lab.Finance/README.md.
/// </summary>
public sealed partial class SecuritiesModel : IModel
{
    public string Name => "securities";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "securities settlement: T+n with CCP netting versus atomic DvP on a consortium chain, on the same trades";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        new("start", KeyType.Instant, "Calendar instant of virtual time 0, ISO 8601 with offset (a Monday: trading starts that day).") { Default = "2026-06-01T00:00+08:00" },
        Key.Name("institutions.calendar", "Business calendar: `cn` (SSE/SZSE 2026) or `us` (NYSE 2026), as in scenarios/presets/calendars/.", "cn"),
        Key.Int("institutions.brokers.count", "Clearing members (brokers) trading with each other.", 20, min: 2, max: 10_000),
        Key.List("institutions.brokers.regions", KeyType.Identifier, "Regions the brokers are spread over, round-robin.", "[shanghai, beijing, shenzhen]"),
        Key.Name("institutions.exchange.region", "Region of the exchange (matches trades; on chain it submits each DvP as settlement agent).", "shanghai"),
        Key.Name("institutions.ccp.region", "Region of the central counterparty (nets positions at end of day under T+n).", "shanghai"),
        Key.Name("institutions.csd.region", "Region of the central securities depository (issues the share tokens on chain).", "beijing"),
        Key.Name("institutions.settlement-bank.region", "Region of the cash settlement bank (issues the deposit tokens on chain).", "shanghai"),
        Key.Name("institutions.regulator.region", "Region of the regulator (reads everything, writes nothing).", "beijing"),

        Key.Int("scenario.securities", "Listed securities traded.", 50, min: 1, max: 100_000),
        Key.Int("scenario.trades.count", "Trades executed over the trading window (identical in every variant of a seed).", 50_000, min: 0, max: 10_000_000),
        Key.Time("scenario.trades.window", "Trades happen on the business days from the start up to this span.", "7d", min: 1),
        Key.Choice("scenario.trades.profile", "Intraday shape: `trading-hours` (U-shaped within the calendar's sessions).", ["trading-hours"], "trading-hours"),
        Key.NumberDistribution("scenario.trades.price", "Reference price per share in yuan, drawn once per security (trades deviate by ±0.5%).", "lognormal(mu: 3, sigma: 0.6)"),
        Key.NumberDistribution("scenario.trades.quantity", "Shares per trade before rounding up to the 100-share board lot.", "lognormal(mu: 6, sigma: 1)"),
        Key.Probability("scenario.trades.affirmed-same-day", "Share of trades affirmed on trade date (DTCC: ~95% in the first T+1 months).", "95%"),
        Key.Time("scenario.trades.affirmation-delay", "Mean delay from execution (or the next morning, for late ones) to affirmation.", "30min"),
        Key.Factor("scenario.inventory.securities", "Opening shares per security, × each broker's typical daily need (3.5x: T+1 fails near DTCC's 1.9%).", "3.5x", min: 0),
        Key.Factor("scenario.inventory.cash", "Opening cash, × each broker's typical daily need.", "3.5x", min: 0),

        Key.Choice("settlement.mode", "`deferred-net`: T+n with end-of-day multilateral netting at the CCP; `atomic-dvp`: each trade settles on chain (BIS model 1).", ["deferred-net", "atomic-dvp"], "deferred-net"),
        Key.Text("settlement.cycle", "deferred-net: the settlement cycle T+n (T+0, T+1, T+2, ...).", "T+1"),
        Key.Int("settlement.dvp-model", "deferred-net: BIS DvP model 2 (securities gross, cash net) or 3 (both net, as DTCC CNS).", 3, min: 1, max: 3),
        Key.Text("settlement.batch-at", "deferred-net: local time of the settlement batch on the settlement date, HH:mm (default: the calendar's, 09:00)."),
        Key.Probability("settlement.exogenous-fail-rate", "deferred-net: probability that a trade fails its first attempt for operational reasons.", "0"),
        Key.Time("settlement.same-day-batch-delay", "deferred-net, T+0: the batch runs this long after the netting cut-off.", "1h"),
        Key.Choice("settlement.prefunding", "atomic-dvp: a trade whose buyer lacks cash (seller lacks shares) is rejected, or queued and retried.", ["reject", "queue"], "reject"),
        Key.Time("settlement.netting-window", "atomic-dvp: 0 settles every trade on its own; otherwise trades are netted and settled every window.", "0s"),
        Key.Time("settlement.queue-retry", "atomic-dvp with prefunding: queue — retry interval of queued trades.", "15min", min: 1e-3),
        Key.Time("settlement.cpu-per-trade", "atomic-dvp: contract CPU time per trade on every replica.", "30us"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. SecuritiesMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        new(SecuritiesMetrics.SettlementTimeMax, "slowest settlement"),
        new(SecuritiesMetrics.Trades, "trades on the tape"),
        new(SecuritiesMetrics.TradesSettled, "trades settled"),
        new(SecuritiesMetrics.TradesUnsettled, "trades never settled"),
        new(SecuritiesMetrics.TradesExecuted, "trades executed per series bin (series)"),
        new(SecuritiesMetrics.LiquidityNeeded + ".<member>", "cash each member must hold to settle under this variant (the liquidity chart)"),
        new(SecuritiesMetrics.LiquidityPrefundAll, "cash needed to pre-fund every purchase, summed over members"),
        new(SecuritiesMetrics.FailRateValue, "value of the trades that failed / value of all trades"),
        new(SecuritiesMetrics.FailRateShares, "shares of the trades that failed / all shares traded"),
        new(SecuritiesMetrics.SettlementFails, "settlements that failed (counter)"),
        new(SecuritiesMetrics.SettlementFailsValue, "value of the settlements that failed (counter)"),
        new(SecuritiesMetrics.TradeStart, "execution times of an evenly spaced sample of trades (trade-timeline, paired with trade_end_s)"),
        new(SecuritiesMetrics.TradeEnd, "settlement times of the same trades (the run's end for unsettled ones)"),
        new(CycleScalar, "which variant ran: the T+n cycle in days, -1 on chain"),
        new(WindowScalar, "which variant ran: the on-chain netting window, 0 for trade-by-trade"),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, conservation violations or diverging replicas"),
    ];

    /// <summary>"settlement" is the settlement time (the headline's percentiles, <c>settlement-p99-vs-…</c>).</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } = [new(Lab.Reports.MetricWord.Settlement, SecuritiesMetrics.SettlementTime)];

    /// <summary>Trades come from the tape, not from load clients: of the workload keys only the retry timeout applies
    /// (the exchange resends a DvP not final in time).</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout")];

    /// <summary>On chain when <c>settlement.mode: atomic-dvp</c>.</summary>
    public bool RunsOnChain(RunConfig config) => config.Text("settlement.mode") == "atomic-dvp";

    [GeneratedRegex(@"^T\+(\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Cycle();

    private static readonly string[] TimeFormats = ["HH:mm", "H:mm", "HH:mm:ss"];

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!TryStart(c.Text("start"), out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-06-01T00:00+08:00, got '{c.Text("start")}'");
        var calendar = c.Text("institutions.calendar");
        if (calendar is not ("cn" or "us"))
            problems.Error(c.MarkOf("institutions.calendar"), "institutions.calendar", $"unknown calendar '{calendar}' (known: cn, us)");
        if (!Cycle().IsMatch(c.Text("settlement.cycle")))
            problems.Error(c.MarkOf("settlement.cycle"), "settlement.cycle", $"expected T+n with n a whole number of days (T+0, T+1, T+2), got '{c.Text("settlement.cycle")}'");
        if (c.GetOr<string?>("settlement.batch-at", null) is { } at && !TimeOnly.TryParseExact(at, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            problems.Error(c.MarkOf("settlement.batch-at"), "settlement.batch-at", $"expected a local time HH:mm, e.g. \"09:00\", got '{at}'");
        if (c.Int("settlement.dvp-model") == 1 && c.Text("settlement.mode") == "deferred-net")
            problems.Error(c.MarkOf("settlement.dvp-model"), "settlement.dvp-model", "model 1 (gross-gross) is what atomic-dvp does; deferred-net uses model 2 or 3");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "securities settle with modelled signatures only: the exchange submits as settlement agent without consortium keys");
        foreach (var key in new[] { "scenario.trades.price", "scenario.trades.quantity" })
            if (c.Distribution(key).Minimum < 0)
                problems.Error(c.MarkOf(key), key, "must not be negative");
        // The runner ends every run at `duration`: it must cover the last settlement of every variant.
        if (!problems.HasErrors && TryStart(c.Text("start"), out _))
        {
            var options = Options(c);
            var end = SecuritiesWorld.SuggestedEnd(options, BusinessCalendars.Named(calendar));
            if (SimTime.Zero + c.Time("duration") < end)
                problems.Error(c.MarkOf("duration"), "duration", $"too short for the last trades to settle: at least {Days(end.Seconds)} " +
                                                                 $"(the trading window, T+n settlement days and one more for rolled fails)");
        }
    }

    private static string Days(double seconds) => Duration.FromSeconds(Math.Ceiling(seconds / 3600) * 3600).ToString();

    private static bool TryStart(string text, out DateTimeOffset start) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out start);

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static SecuritiesOptions Options(RunConfig c)
    {
        TryStart(c.Text("start"), out var start);
        var regions = c.GetOr<List<object>>("institutions.brokers.regions", []).Cast<string>().ToList();
        SettlementVariant settlement = c.Text("settlement.mode") == "atomic-dvp"
            ? new OnChainSettlement
            {
                Prefunding = c.Text("settlement.prefunding") == "queue" ? PrefundingPolicy.Queue : PrefundingPolicy.Reject,
                NettingWindow = c.Time("settlement.netting-window"),
                QueueRetry = c.Time("settlement.queue-retry"),
                CpuPerTrade = c.Time("settlement.cpu-per-trade"),
            }
            : new DeferredNetSettlement
            {
                CycleDays = Cycle().Match(c.Text("settlement.cycle")) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1,
                Model = c.Int("settlement.dvp-model") == 2 ? DvpModel.GrossSecuritiesNetCash : DvpModel.NetNet,
                BatchAt = c.GetOr<string?>("settlement.batch-at", null) is { } at && TimeOnly.TryParseExact(at, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null,
                ExogenousFailRate = c.Number("settlement.exogenous-fail-rate"),
                SameDayBatchDelay = c.Time("settlement.same-day-batch-delay"),
            };
        return new SecuritiesOptions
        {
            Start = start,
            Market = new MarketOptions
            {
                Members = c.Int("institutions.brokers.count"),
                Securities = c.Int("scenario.securities"),
                Trades = c.Int("scenario.trades.count"),
                TradingWindow = c.Time("scenario.trades.window"),
                PricePerShare = c.Distribution("scenario.trades.price"),
                Quantity = c.Distribution("scenario.trades.quantity"),
                AffirmedSameDayShare = c.Number("scenario.trades.affirmed-same-day"),
                AffirmationDelayMean = c.Time("scenario.trades.affirmation-delay"),
            },
            Inventory = new InventoryOptions { SecuritiesMultiple = c.Number("scenario.inventory.securities"), CashMultiple = c.Number("scenario.inventory.cash") },
            Placement = new InstitutionPlacement
            {
                MemberRegions = regions.Count > 0 ? regions : ["shanghai", "beijing", "shenzhen"],
                Exchange = c.Text("institutions.exchange.region"),
                Ccp = c.Text("institutions.ccp.region"),
                Csd = c.Text("institutions.csd.region"),
                Bank = c.Text("institutions.settlement-bank.region"),
                Regulator = c.Text("institutions.regulator.region"),
            },
            Settlement = settlement,
        };
    }

    public World Build(RunContext context)
    {
        var c = context.Config;
        var options = Options(c);
        var calendar = BusinessCalendars.Named(c.Text("institutions.calendar"));
        var chain = options.Settlement is OnChainSettlement ? Chain(context) : null;
        var runEnd = SimTime.Zero + c.Time("duration");
        var spec = SecuritiesWorld.Build(options, calendar, context.Network, context.Seed, chain, runEnd: runEnd);

        var world = new World();
        world.Nodes.AddRange(spec.Nodes);
        world.Observers.AddRange(spec.Observers);
        foreach (var (word, nodes) in spec.Chain?.FaultTargets ?? []) world.Targets[word] = nodes;
        world.Finish = run => Finish(run, spec, options);
        return world;
    }

    /// <summary>The chain the on-chain variant settles on: <c>chain.protocol</c>, whichever chain protocol it names.</summary>
    private static SettlementChain Chain(RunContext context)
    {
        var c = context.Config;
        var model = context.Protocol as IChainModel
                    ?? throw new ArgumentException($"atomic-dvp settles on a chain protocol; '{context.Protocol?.Name}' is not one");
        // Transactions come from the exchange, not from signing clients: signatures cost CPU time only.
        var configured = ChainConfig.Chain(context);
        var options = configured with { Signing = new TransactionSigning(SignatureMode.Modelled, configured.Signing.Costs) };
        return new SettlementChain(model.Protocol(context), options)
        {
            RetryTimeout = c.Time("workload.retry-timeout"),
            Byzantine = ChainConfig.Byzantine(c),
        };
    }

    private static void Finish(RunResult run, SecuritiesWorldSpec spec, SecuritiesOptions options)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its agreement and validity findings
        var m = run.Metrics;
        var end = run.Stats.FinalTime;
        // Safety beyond the chain's checkers: asset conservation and replica state digests.
        if (results.ConservationViolations > 0)
        {
            m.Counters[StandardMetrics.SafetyViolations] = m.Counter(StandardMetrics.SafetyViolations) + results.ConservationViolations;
            m.Findings.Add(new Lab.Sim.Metrics.Finding(end, StandardMetrics.SafetyFinding, $"{results.ConservationViolations} asset conservation violation(s): tokens created or destroyed other than by their issuer"));
        }
        if (results.ReplicasAgree == false)
        {
            m.Counters[StandardMetrics.SafetyViolations] = m.Counter(StandardMetrics.SafetyViolations) + 1;
            m.Findings.Add(new Lab.Sim.Metrics.Finding(end, StandardMetrics.SafetyFinding, "replicas at the same height hold different contract states"));
        }

        // Liquidity per member under this variant's own grouping (gross on chain, net per day under T+n):
        // one bar per member and variant in the `liquidity` chart. The gross and net figures are the
        // same in every variant (they come from the trades), so they stay as totals only.
        foreach (var name in results.MemberNames)
        {
            m.Scalars.Remove($"{SecuritiesMetrics.LiquidityNeededGross}.{name}");
            m.Scalars.Remove($"{SecuritiesMetrics.LiquidityNeededNet}.{name}");
        }
        for (int i = 0; i < results.MemberNames.Count; i++)
            m.Scalars[$"{SecuritiesMetrics.LiquidityNeeded}.{results.MemberNames[i]}"] = results.LiquidityNeededCny[i];

        // Which variant this was, for the opening sentences (SettlementHeadline).
        m.Scalars[CycleScalar] = options.Settlement is DeferredNetSettlement d ? d.CycleDays : -1;
        m.Scalars[WindowScalar] = options.Settlement is OnChainSettlement oc ? oc.NettingWindow.TotalSeconds : 0;

        // trade-timeline: an evenly spaced sample of about TimelineTrades trades over the whole week.
        var sample = results.Timeline;
        var step = Math.Max(1, sample.Count / TimelineTrades);
        var starts = new List<double>();
        var ends = new List<double>();
        for (int i = 0; i < sample.Count; i += step)
        {
            starts.Add(sample[i].ExecutedS);
            ends.Add(sample[i].SettledS ?? end.Seconds);
        }
        m.Samples[SecuritiesMetrics.TradeStart] = [.. starts];
        m.Samples[SecuritiesMetrics.TradeEnd] = [.. ends];
    }

    /// <summary>
    /// The report's two opening sentences (<see cref="SettlementHeadline.Compose"/>): T+1 (else the first
    /// T+n variant) against atomic on-chain DvP (else the first on-chain variant), first replication of each.
    /// Nothing when the experiment has not both kinds (e.g. a sweep of netting windows).
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        double Scalar(Lab.Reports.PointResult p, string name) =>
            p.Replications.Count > 0 && p.Replications[0].Metrics.Scalars.TryGetValue(name, out var v) ? v : double.NaN;
        var deferred = points.Where(p => Scalar(p, CycleScalar) >= 0).ToList();
        var onChain = points.Where(p => Scalar(p, CycleScalar) < 0).ToList();
        var t = deferred.FirstOrDefault(p => Scalar(p, CycleScalar) == 1) ?? deferred.FirstOrDefault();
        var o = onChain.FirstOrDefault(p => Scalar(p, WindowScalar) == 0) ?? onChain.FirstOrDefault();
        if (t is null || o is null) return [];
        return [SettlementHeadline.Compose(Results(t), Results(o))];
    }

    /// <summary>The figures <see cref="SettlementHeadline"/> reads, back from a run's metrics.</summary>
    private static SecuritiesResults Results(Lab.Reports.PointResult point)
    {
        var m = point.Replications[0].Metrics;
        var cycle = (int)m.Scalars[CycleScalar];
        SettlementVariant variant = cycle >= 0
            ? new DeferredNetSettlement { CycleDays = cycle }
            : new OnChainSettlement { NettingWindow = Duration.FromSeconds(m.Scalars.GetValueOrDefault(WindowScalar)) };
        var members = m.Scalars.Where(kv => kv.Key.StartsWith(SecuritiesMetrics.LiquidityNeeded + ".", StringComparison.Ordinal)).ToList();
        var times = m.Samples.TryGetValue(SecuritiesMetrics.SettlementTime, out var s) ? s.Order().ToArray() : [];
        return new SecuritiesResults
        {
            Variant = variant.Label,
            OnChain = cycle < 0,
            Trades = (int)m.Scalars.GetValueOrDefault(SecuritiesMetrics.Trades),
            Settled = times.Length,
            SettlementTimesS = times,
            ExposureCny = [],
            ExposurePeakCny = m.Scalars.GetValueOrDefault(SecuritiesMetrics.ExposurePeak),
            LiquidityNeededGrossCny = [],
            LiquidityNeededNetCny = [],
            LiquidityNeededCny = [.. members.Select(kv => kv.Value)],
            NettingEfficiency = m.Scalars.GetValueOrDefault(SecuritiesMetrics.NettingEfficiency),
            FailRate = m.Scalars.GetValueOrDefault(SecuritiesMetrics.FailRate),
            FailRateValue = m.Scalars.GetValueOrDefault(SecuritiesMetrics.FailRateValue),
            RejectedPrefunding = (long)m.Scalars.GetValueOrDefault(SecuritiesMetrics.RejectedPrefunding),
            MemberNames = [.. members.Select(kv => kv.Key[(SecuritiesMetrics.LiquidityNeeded.Length + 1)..])],
        };
    }

    /// <summary>Trades sampled for the trade timeline (<see cref="SecuritiesMetrics.TradeStart"/>, <see cref="SecuritiesMetrics.TradeEnd"/>): about as many as one chart shows legibly.</summary>
    private const int TimelineTrades = 30;

    internal const string CycleScalar = "settlement_cycle_days";
    internal const string WindowScalar = "settlement_netting_window_s";
}
