using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: securities</c> — a week of an equity market (issue 7): the same trades settle
/// under T+n with end-of-day CCP netting (<c>settlement.mode: deferred-net</c>) or atomically on a
/// consortium chain (<c>atomic-dvp</c>, on <c>chain.protocol</c>). Builds
/// <see cref="SecuritiesWorld"/>; the YAML → options mapping is the table in src/Lab.Finance/README.md.
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
        new("settlement_time_s", "trade execution → settlement (T+n batch, or DvP final under the chain's rule)"),
        new("settlement_time_p50_s", "median settlement time (also p90, p99, max)"),
        new("exposure_cny", "value of executed, unsettled trades at the end of each series bin (series)"),
        new("exposure_peak_cny", "peak value of executed, unsettled trades"),
        new("liquidity_needed_cny", "cash members must hold to settle under this variant, summed over members (per member: liquidity_needed_cny.<member>)"),
        new("liquidity_needed_gross_cny", "cash needed settling trade by trade (no netting), summed over members"),
        new("liquidity_needed_net_cny", "cash needed with end-of-day netting, summed over members"),
        new("netting_efficiency", "1 − net cash paid / gross value under this variant's grouping"),
        new("fail_rate", "share of trades that failed (T+n) or were rejected (on chain) at least once (also _value, _shares)"),
        new("rejected_prefunding", "on-chain trades rejected for lack of pre-funding"),
        new("throughput_tps", "on chain: committed DvP transactions per second over the bins with commits"),
        new("commit_latency_s", "on chain: submit → final under the chain's finality rule"),
        new("conservation_violations", "on chain: tokens created or destroyed other than by their issuer (must be 0)"),
        new("chain_replicas_agree", "on chain: 1 when every replica at the same height has the same state"),
        new("safety_violations", "conflicting commits, conservation violations or diverging replicas"),
    ];

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
        if (c.Text("settlement.mode") == "atomic-dvp")
        {
            if (!c.Has("chain.protocol"))
                problems.Error(c.MarkOf("settlement.mode"), "chain.protocol", $"atomic-dvp settles on a chain: say which protocol it runs ({string.Join(", ", SecuritiesChain.Protocols)})");
            else if (!SecuritiesChain.Protocols.Contains(c.Text("chain.protocol")))
                problems.Error(c.MarkOf("chain.protocol"), "chain.protocol", $"securities on chain runs on {string.Join(", ", SecuritiesChain.Protocols)}, not '{c.Text("chain.protocol")}'");
            if (c.Text("chain.signatures") == "real")
                problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "securities settle with modelled signatures only: the exchange submits as settlement agent without consortium keys");
        }
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
        var onChain = options.Settlement is OnChainSettlement;
        var chain = onChain ? SecuritiesChain.Build(context) : null;
        var runEnd = SimTime.Zero + c.Time("duration");
        var spec = SecuritiesWorld.Build(options, calendar, context.Network, context.Seed, chain, runEnd: runEnd);

        var world = new World();
        // Protocols address replicas by node index 0..n−1: replicas first, then the institutions.
        world.Nodes.AddRange(spec.Nodes.Where(n => n.Kind == "replica"));
        world.Nodes.AddRange(spec.Nodes.Where(n => n.Kind != "replica"));
        world.Observers.AddRange(spec.Observers);
        var agreement = onChain ? new SafetyChecker() : null;
        if (agreement is not null)
        {
            world.Observers.Add(agreement);
            world.Targets["leader"] = ChainWorld.Leader;
        }
        world.Finish = run => Finish(run, spec, options, agreement);
        return world;
    }

    private static void Finish(RunResult run, SecuritiesWorldSpec spec, SecuritiesOptions options, SafetyChecker? agreement)
    {
        var results = spec.Derive(run);
        var m = run.Metrics;
        var end = run.Stats.FinalTime;
        // Safety: chain agreement, asset conservation and replica state digests.
        foreach (var v in agreement?.Violations ?? [])
        {
            m.Counters["safety_violations"] = m.Counter("safety_violations") + 1;
            m.Findings.Add(new Lab.Sim.Metrics.Finding(v.At, "safety", v.Description));
        }
        if (results.ConservationViolations > 0)
        {
            m.Counters["safety_violations"] = m.Counter("safety_violations") + results.ConservationViolations;
            m.Findings.Add(new Lab.Sim.Metrics.Finding(end, "safety", $"{results.ConservationViolations} asset conservation violation(s): tokens created or destroyed other than by their issuer"));
        }
        if (results.ReplicasAgree == false)
        {
            m.Counters["safety_violations"] = m.Counter("safety_violations") + 1;
            m.Findings.Add(new Lab.Sim.Metrics.Finding(end, "safety", "replicas at the same height hold different contract states"));
        }

        // Liquidity per member under this variant's own grouping (gross on chain, net per day under T+n):
        // one bar per member and variant in the `liquidity` chart. The gross and net figures are the
        // same in every variant (they come from the trades), so they stay as totals only.
        foreach (var name in results.MemberNames)
        {
            m.Scalars.Remove($"liquidity_needed_gross_cny.{name}");
            m.Scalars.Remove($"liquidity_needed_net_cny.{name}");
        }
        for (int i = 0; i < results.MemberNames.Count; i++)
            m.Scalars[$"liquidity_needed_cny.{results.MemberNames[i]}"] = results.LiquidityNeededCny[i];

        // Which variant this was, for the opening sentences (SettlementHeadline).
        m.Scalars[CycleScalar] = options.Settlement is DeferredNetSettlement d ? d.CycleDays : -1;
        m.Scalars[WindowScalar] = options.Settlement is OnChainSettlement oc ? oc.NettingWindow.TotalSeconds : 0;

        // trade-timeline: an evenly spaced sample over the whole week (the chart draws the first 30 pairs).
        var sample = results.Timeline;
        var step = Math.Max(1, sample.Count / Lab.Reports.Charts.ChartCatalog.TimelineItems);
        var starts = new List<double>();
        var ends = new List<double>();
        for (int i = 0; i < sample.Count; i += step)
        {
            starts.Add(sample[i].ExecutedS);
            ends.Add(sample[i].SettledS ?? end.Seconds);
        }
        m.Samples["trade_start_s"] = [.. starts];
        m.Samples["trade_end_s"] = [.. ends];
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
        var members = m.Scalars.Where(kv => kv.Key.StartsWith("liquidity_needed_cny.", StringComparison.Ordinal)).ToList();
        var times = m.Samples.TryGetValue("settlement_time_s", out var s) ? s.Order().ToArray() : [];
        return new SecuritiesResults
        {
            Variant = variant.Label,
            OnChain = cycle < 0,
            Trades = (int)m.Scalars.GetValueOrDefault("trades"),
            Settled = times.Length,
            SettlementTimesS = times,
            ExposureCny = [],
            ExposurePeakCny = m.Scalars.GetValueOrDefault("exposure_peak_cny"),
            LiquidityNeededGrossCny = [],
            LiquidityNeededNetCny = [],
            LiquidityNeededCny = [.. members.Select(kv => kv.Value)],
            NettingEfficiency = m.Scalars.GetValueOrDefault("netting_efficiency"),
            FailRate = m.Scalars.GetValueOrDefault("fail_rate"),
            FailRateValue = m.Scalars.GetValueOrDefault("fail_rate_value"),
            RejectedPrefunding = (long)m.Scalars.GetValueOrDefault("rejected_prefunding"),
            MemberNames = [.. members.Select(kv => kv.Key["liquidity_needed_cny.".Length..])],
        };
    }

    internal const string CycleScalar = "settlement_cycle_days";
    internal const string WindowScalar = "settlement_netting_window_s";
}
