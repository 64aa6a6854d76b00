using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;
using Lab.Ledger.Crypto;
using Lab.Reports.Statistics;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: securities</c> — a week of an equity market (issue 12): the same orders, prices and
/// outages settle under a deferred-net regime at a CCP (<c>settlement.regime: us-cns, cn-chinaclear, t2,
/// t0</c>) or atomically on a consortium chain (<c>atomic-dvp</c>, on <c>chain.protocol</c>). Builds
/// <see cref="SecuritiesWorld"/>; the YAML → options mapping is the table in src/Lab.Finance/README.md.
/// </summary>
public sealed partial class SecuritiesModel : IModel
{
    public string Name => "securities";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "securities settlement: T+n through a CCP (novation, netting, margin, fails, buy-ins, defaults) versus atomic DvP on a consortium chain, on the same orders";

    private static readonly string[] Regimes = [.. SettlementRegimes.Known, AtomicDvp];
    private const string AtomicDvp = "atomic-dvp";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        new("start", KeyType.Instant, "Calendar instant of virtual time 0, ISO 8601 with offset (a Monday: trading starts that day).") { Default = "2026-06-01T00:00+08:00" },
        Key.Choice("scenario.market", "The exchange's rules, calendar and currency: `cn` (SSE/SZSE 2026, CNY, 100-share lots, ±10% limit, T+1 trading rule) or `us` (NYSE/Nasdaq 2026, USD, America/New_York with daylight saving, early closes).", MarketRules.Known, "cn"),
        Key.Int("institutions.brokers.count", "Clearing members trading with each other.", 20, min: 4, max: 10_000),
        Key.List("institutions.brokers.regions", KeyType.Identifier, "Regions the members are spread over, round-robin.", "[shanghai, beijing, shenzhen]"),
        Key.Probability("institutions.brokers.market-makers", "Share of members that are market makers (quote both sides, round trips within the day, flatten at the close).", "20%"),
        Key.Probability("institutions.brokers.directional", "Share of members that are directional institutions (one-way programmes, blocks); the rest are agency brokers with client flow.", "25%"),
        Key.Name("institutions.exchange.region", "Region of the exchange (order entry; on chain it locks balances and submits each DvP as settlement agent).", "shanghai"),
        Key.Name("institutions.ccp.region", "Region of the central counterparty (novation, netting, margin, default management).", "shanghai"),
        Key.Name("institutions.csd.region", "Region of the central securities depository (accounts, delivery runs; issues the share tokens on chain).", "beijing"),
        Key.Name("institutions.settlement-bank.region", "Region of the cash settlement bank (money settlement, credit lines; issues the deposit tokens on chain).", "shanghai"),
        Key.Name("institutions.regulator.region", "Region of the regulator (reads everything, writes nothing).", "beijing"),

        Key.Int("scenario.securities", "Listed securities traded.", 50, min: 1, max: 100_000),
        Key.Int("scenario.trades.count", "Orders over the trading window, identical in every variant of a seed (a few are dropped when no member can take the other side).", 50_000, min: 0, max: 10_000_000),
        Key.Time("scenario.trades.window", "Trading happens on the business days from the start up to this span.", "7d", min: 1),
        Key.Choice("scenario.trades.profile", "Intraday shape: `trading-hours` (U-shaped within the calendar's sessions, plus the call auctions).", ["trading-hours"], "trading-hours"),
        Key.NumberDistribution("scenario.trades.quantity", "Shares per ordinary order before rounding up to the market's lot.", "lognormal(mu: 6, sigma: 1)"),
        Key.Probability("scenario.trades.market-maker-share", "Share of continuous trades with a market maker on the passive side.", "50%"),
        Key.Probability("scenario.trades.directional-share", "Share of trades initiated by directional institutions working their programmes.", "25%"),
        Key.Probability("scenario.trades.block-share", "Share of directional trades that are negotiated blocks (US: institutional trade-for-trade flow, affirmed).", "2%"),
        Key.Factor("scenario.trades.block-size", "Block size as a multiple of an ordinary order.", "40x"),
        Key.Probability("scenario.trades.affirmed-same-day", "Share of block trades the institution affirms on trade date (DTCC: about 95% by the 21:00 ET cut-off after T+1).", "95%"),
        Key.Time("scenario.trades.affirmation-delay", "Mean delay from execution (or the next morning, for late ones) to affirmation.", "90min"),

        Key.NumberDistribution("scenario.prices.initial", "Starting price per share in currency units, drawn once per security.", "lognormal(mu: 3, sigma: 0.6)"),
        Key.Probability("scenario.prices.market-volatility", "Annual volatility of the market factor (S&P 500 15–19%, CSI 300 22–25%).", "18%"),
        Key.NumberDistribution("scenario.prices.idiosyncratic-volatility", "Annual idiosyncratic volatility per security (fraction), drawn once.", "lognormal(mu: -1.386, sigma: 0.4)"),
        Key.Number("scenario.prices.market-jumps-per-year", "Market jumps a year (Merton jumps; Eraker–Johannes–Polson 2003: about 1.5), mean −2%, s.d. 3.5%.", "1.5", min: 0),
        Key.Text("scenario.prices.shock.at", "A scheduled market shock: local date and time in the market's zone, e.g. \"2026-06-03 10:30\"."),
        Key.Number("scenario.prices.shock.move", "The shock's move of the market factor as a fraction (−0.09: −9%); each security moves by its beta times it.", "-0.09", min: -0.9, max: 1),

        Key.Number("scenario.balance-sheet.cash-days", "Members' opening cash, in days of their expected purchases (from their business, not from the orders).", "1.5", min: 0),
        Key.Number("scenario.balance-sheet.inventory-days", "Agency and directional members' opening shares per security, in days of their expected sales.", "3", min: 0),
        Key.Number("scenario.balance-sheet.credit-line-days", "Committed credit line a member can draw (at the funding rate), in days of its expected purchases.", "0.5", min: 0),
        Key.Probability("scenario.balance-sheet.funding-rate", "Annual cost of cash (US SOFR ≈ 4.3% in 2025; China DR007 ≈ 1.5–1.8%).", "4.3%"),
        Key.Probability("scenario.balance-sheet.borrow-fee", "Annual fee to borrow shares (general collateral, liquid large caps).", "0.3%"),
        Key.Probability("scenario.operations.outage-per-member-day", "Chance that a member has an operational outage on a business day (same schedule in every variant): under T+n its deliveries fail while it lasts, on chain it cannot sign orders.", "1%"),
        Key.Time("scenario.operations.outage-length", "How long an outage lasts.", "2h", min: 1),
        Key.Name("scenario.default.member", "A member declared insolvent by an outside event (e.g. broker03; `largest`: the member with the most business; `most-exposed`: the one with the largest net purchases since the previous business day): the CCP closes it out through the default waterfall; on chain it is frozen."),
        Key.Text("scenario.default.at", "Local date and time of that declaration in the market's zone, e.g. \"2026-06-03 11:00\"."),

        Key.Choice("settlement.regime", "How trades settle: `us-cns` (T+1, NSCC CNS), `cn-chinaclear` (securities T, funds T+1, pre-funded), `t2`, `t0` (CNS mechanics at T+2 / T+0), or `atomic-dvp` (on chain). Default: the market's own (us-cns or cn-chinaclear). Presets: scenarios/presets/regimes/.", Regimes),
        Key.Text("settlement.cycle", "Deferred net: override the regime's cycle T+n for the money leg (T+0, T+1, T+2, ...)."),
        Key.Int("settlement.buy-in-after", "Deferred net: settlement days a fail may age before the CCP buys it in at the open (us-cns: 1, Reg SHO 204(a); CSDR: 4). Default: the regime's.", min: 0, max: 30),
        Key.Number("settlement.fail-penalty", "Deferred net: cash penalty per failing day as a fraction of value (CSDR liquid shares: 0.0001). Default: the regime's (0 in every preset).", min: 0, max: 0.01),
        Key.Probability("settlement.instruction-fail-rate", "Deferred net: chance a member's settlement instruction for a short position fails for a settlement date (wrong or missing instruction, shares held elsewhere); an atomic venue has no such step. The default puts the CNS fail rate by value near DTCC's 1.9% (first T+1 days, 30 May 2024).", "1.5%"),
        Key.Probability("settlement.borrow-availability", "Deferred net: chance a borrow request finds lendable shares.", "90%"),
        Key.Time("settlement.borrow-delay", "Deferred net: lenders' processing time before borrowed shares arrive (business hours from 07:00).", "1h"),
        Key.Int("settlement.cover", "Deferred net: clearing fund sized to the uncovered stress losses of the largest 1 or 2 members. Default: the regime's (us-cns 2, cn-chinaclear 1).", min: 1, max: 2),
        Key.Probability("settlement.margin-confidence", "Deferred net, VaR margin: one-tailed confidence (PFMI 6: at least 99%).", "99%"),
        Key.Int("settlement.liquidation-days", "Deferred net: a defaulter's positions are liquidated in equal slices at the close of this many business days. Default: the regime's (2).", min: 1, max: 20),
        Key.Money("settlement.liquidity-facility", "Deferred net: the CCP's committed liquidity facility (absent: unlimited); payouts it cannot cover wait for the next money settlement."),
        Key.Time("settlement.netting-window", "atomic-dvp: 0 settles every trade on its own; otherwise trades are netted and settled every window, from local midnight.", "0s"),
        Key.Time("settlement.cpu-per-trade", "atomic-dvp: contract CPU time per trade on every replica.", "30us"),
        Key.Time("settlement.top-up-delay", "atomic-dvp: a credit draw requested after a rejection reaches the wallet this long after (within bank hours 09:00–17:00).", "30min"),
        Key.Bool("settlement.morning-funding", "atomic-dvp: each morning draw what the member drew the day before, before its orders arrive.", true),
        .. TwoLayerConfig.Keys,
        Key.Probability("settlement.market-maker-borrow", "atomic-dvp: share of their intraday inventory limit market makers borrow before trading, so their short sales are covered at entry.", "100%"),
        PrivacyTables.Key("scenario.privacy.trades", "each trade's record (buyer, seller, exchange, regulator; SecuritiesPrivacy)"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. SecuritiesMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        .. TwoLayerConfig.Metrics,
        new(KindScalar, "which variant ran: 1 on chain, 0 under T+n"),
        new(CycleScalar, "which variant ran: the T+n cycle in days, -1 on chain"),
        new(WindowScalar, "which variant ran: the on-chain netting window, 0 for trade-by-trade"),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, conservation violations, diverging replicas, locked trades refused or who-can-read breaches"),
        .. PrivacyTables.Metrics(),
    ];

    /// <summary>"settlement" is the settlement time (the headline's percentiles, <c>settlement-p99-vs-…</c>); "exposure" the notional exposure series.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } = [
        new(Lab.Reports.MetricWord.Settlement, SecuritiesMetrics.SettlementTime),
        // "exposure": notional exposure over time, in the market's currency.
        new("exposure", SecuritiesMetrics.Money(SecuritiesMetrics.ExposureNotional, "USD")),
        new("exposure", SecuritiesMetrics.Money(SecuritiesMetrics.ExposureNotional, "CNY")),
    ];

    /// <summary>Orders come from the market's order flow, not from load clients: of the workload keys only the retry
    /// timeout applies (the exchange resends a DvP not final in time).</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout")];

    /// <summary>On chain when <c>settlement.regime: atomic-dvp</c>: the loader then requires <c>chain.protocol</c> to name a chain protocol.</summary>
    public bool RunsOnChain(RunConfig config) => RegimeName(config) == AtomicDvp && !TwoLayerConfig.Has(config);

    [GeneratedRegex(@"^T\+(\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Cycle();

    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"];

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!FinanceConfig.TryStart(c.Text("start"), out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-06-01T00:00+08:00, got '{c.Text("start")}'");
        var market = c.Text("scenario.market");
        var regime = RegimeName(c);
        TwoLayerConfig.Check(c, problems, regime == AtomicDvp);
        if (regime != AtomicDvp && SettlementRegimes.Named(regime).Market != market)
            problems.Error(c.MarkOf("settlement.regime"), "settlement.regime", $"regime '{regime}' has the timings of the {SettlementRegimes.Named(regime).Market} market; this experiment's scenario.market is {market}");
        if (c.GetOr<string?>("settlement.cycle", null) is { } cycle && !Cycle().IsMatch(cycle))
            problems.Error(c.MarkOf("settlement.cycle"), "settlement.cycle", $"expected T+n with n a whole number of days (T+0, T+1, T+2), got '{cycle}'");
        if (c.GetOr<string?>("settlement.cycle", null) is { } cyc && Cycle().Match(cyc) is { Success: true } cm && regime != AtomicDvp
            && int.Parse(cm.Groups[1].Value, CultureInfo.InvariantCulture) < SettlementRegimes.Named(regime).SecuritiesDays)
            problems.Error(c.MarkOf("settlement.cycle"), "settlement.cycle", $"the money leg cannot settle before the securities leg (T+{SettlementRegimes.Named(regime).SecuritiesDays} under {regime})");
        foreach (var key in new[] { "scenario.prices.shock.at", "scenario.default.at" })
            if (c.GetOr<string?>(key, null) is { } at && !TryLocal(at, out _))
                problems.Error(c.MarkOf(key), key, $"expected a local date and time, e.g. \"2026-06-03 10:30\", got '{at}'");
        if (c.Has("scenario.default.member") != c.Has("scenario.default.at"))
            problems.Error(c.MarkOf(c.Has("scenario.default.member") ? "scenario.default.member" : "scenario.default.at"), "scenario.default", "give both scenario.default.member and scenario.default.at");
        if (c.GetOr<string?>("scenario.default.member", null) is { } member && MemberIndex(member, c.Int("institutions.brokers.count")) == -9)
            problems.Error(c.MarkOf("scenario.default.member"), "scenario.default.member", $"no member '{member}': members are broker01 … broker{c.Int("institutions.brokers.count"):00}, or write `largest` or `most-exposed`");
        if (c.Number("institutions.brokers.market-makers") + c.Number("institutions.brokers.directional") > 0.8)
            problems.Error(c.MarkOf("institutions.brokers.directional"), "institutions.brokers.directional", "market makers and directional institutions leave too few agency brokers (at most 80% together)");
        if (c.Has("settlement.liquidity-facility") && c.Get<Lab.Experiments.Values.Money>("settlement.liquidity-facility").Currency != MarketRules.Named(market).Currency)
            problems.Error(c.MarkOf("settlement.liquidity-facility"), "settlement.liquidity-facility", $"the {market} market settles in {MarketRules.Named(market).Currency}");
        // Which chain protocol atomic-dvp runs on is checked by the loader (RunsOnChain): any registered chain protocol.
        if (regime == AtomicDvp && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "securities settle with modelled signatures only: the exchange submits as settlement agent without consortium keys");
        foreach (var key in new[] { "scenario.prices.initial", "scenario.trades.quantity", "scenario.prices.idiosyncratic-volatility" })
            if (c.Distribution(key).Minimum < 0)
                problems.Error(c.MarkOf(key), key, "must not be negative");
        // The runner ends every run at `duration`: it must cover the last settlement of every variant.
        if (!problems.HasErrors && FinanceConfig.TryStart(c.Text("start"), out _))
        {
            var end = SecuritiesWorld.SuggestedEnd(Options(c));
            if (SimTime.Zero + c.Time("duration") < end)
                problems.Error(c.MarkOf("duration"), "duration", $"too short for the last trades to settle: at least {Days(end.Seconds)} " +
                                                                 "(the trading window, the settlement cycle, the buy-in age and a day for recycled fails, plus the liquidation days after a default)");
        }
    }

    private static string Days(double seconds) => Duration.FromSeconds(Math.Ceiling(seconds / 3600) * 3600).ToString();


    private static bool TryLocal(string text, out DateTime local) =>
        DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    // broker01 … brokerNN → 0 … NN−1; "largest", "most-exposed" → stand-ins resolved per seed by SecuritiesWorld; unknown → −9.
    private static int MemberIndex(string name, int count) =>
        name == "largest" ? SecuritiesOptions.LargestMember :
        name == "most-exposed" ? SecuritiesOptions.MostExposedMember :
        name.StartsWith("broker", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 1 && i <= count ? i - 1 : -9;

    private static string RegimeName(RunConfig c) =>
        c.GetOr<string?>("settlement.regime", null) ?? (c.Text("scenario.market") == "us" ? "us-cns" : "cn-chinaclear");

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static SecuritiesOptions Options(RunConfig c)
    {
        FinanceConfig.TryStart(c.Text("start"), out var start);
        var market = c.Text("scenario.market");
        var regions = c.Strings("institutions.brokers.regions");
        var regimeName = RegimeName(c);
        SettlementVariant settlement;
        if (regimeName == AtomicDvp)
        {
            settlement = new OnChainSettlement
            {
                NettingWindow = c.Time("settlement.netting-window"),
                CpuPerTrade = c.Time("settlement.cpu-per-trade"),
                TopUpDelay = c.Time("settlement.top-up-delay"),
                MorningFunding = c.Bool("settlement.morning-funding"),
                MarketMakerBorrowBuffer = c.Number("settlement.market-maker-borrow"),
            };
        }
        else
        {
            var regime = SettlementRegimes.Named(regimeName);
            if (c.GetOr<string?>("settlement.cycle", null) is { } cycle && Cycle().Match(cycle) is { Success: true } m)
                regime = regime with { CycleDays = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) };
            if (c.Has("settlement.buy-in-after")) regime = regime with { BuyInAfterDays = c.Int("settlement.buy-in-after") };
            if (c.Has("settlement.fail-penalty")) regime = regime with { FailPenaltyPerDay = c.Number("settlement.fail-penalty") };
            if (c.Has("settlement.cover")) regime = regime with { Cover = c.Int("settlement.cover") };
            if (c.Has("settlement.liquidation-days")) regime = regime with { LiquidationDays = c.Int("settlement.liquidation-days") };
            regime = regime with { MarginConfidence = Math.Clamp(c.Number("settlement.margin-confidence"), 0.51, 0.9999) };
            settlement = new DeferredNetSettlement
            {
                Regime = regime,
                InstructionFailRate = c.Number("settlement.instruction-fail-rate"),
                BorrowAvailability = c.Number("settlement.borrow-availability"),
                BorrowDelay = c.Time("settlement.borrow-delay"),
                LiquidityFacility = c.Has("settlement.liquidity-facility")
                    ? (long)Math.Round(c.Get<Lab.Experiments.Values.Money>("settlement.liquidity-facility").Amount * 100)
                    : long.MaxValue / 4,
            };
        }
        var shocks = new List<MarketShock>();
        if (c.GetOr<string?>("scenario.prices.shock.at", null) is { } shockAt && TryLocal(shockAt, out var shockTime))
            shocks.Add(new MarketShock(shockTime, c.Number("scenario.prices.shock.move")));
        var defaults = new List<(int, DateTime)>();
        if (c.GetOr<string?>("scenario.default.member", null) is { } member && c.GetOr<string?>("scenario.default.at", null) is { } at && TryLocal(at, out var atTime))
            defaults.Add((MemberIndex(member, c.Int("institutions.brokers.count")), atTime));
        var marketVol = c.Number("scenario.prices.market-volatility");
        return new SecuritiesOptions
        {
            Start = start,
            Market = market,
            Orders = new MarketOptions
            {
                Members = c.Int("institutions.brokers.count"),
                MarketMakerShare = c.Number("institutions.brokers.market-makers"),
                DirectionalShare = c.Number("institutions.brokers.directional"),
                Securities = c.Int("scenario.securities"),
                Trades = c.Int("scenario.trades.count"),
                TradingWindow = c.Time("scenario.trades.window"),
                Quantity = c.Distribution("scenario.trades.quantity"),
                MarketMakerPassiveShare = c.Number("scenario.trades.market-maker-share"),
                DirectionalFlowShare = c.Number("scenario.trades.directional-share"),
                BlockShare = c.Number("scenario.trades.block-share"),
                BlockSizeMultiple = c.Number("scenario.trades.block-size"),
                AffirmedSameDayShare = c.Number("scenario.trades.affirmed-same-day"),
                AffirmationDelayMean = c.Time("scenario.trades.affirmation-delay"),
                OutagePerMemberDay = c.Number("scenario.operations.outage-per-member-day"),
                OutageLength = c.Time("scenario.operations.outage-length"),
                Prices = new PriceModel
                {
                    InitialPrice = c.Distribution("scenario.prices.initial"),
                    MarketVolatility = marketVol,
                    IdiosyncraticVolatility = c.Distribution("scenario.prices.idiosyncratic-volatility"),
                    MarketJumpsPerYear = c.Number("scenario.prices.market-jumps-per-year"),
                    Shocks = shocks,
                },
                BalanceSheet = new BalanceSheetOptions
                {
                    CashDays = c.Number("scenario.balance-sheet.cash-days"),
                    InventoryDays = c.Number("scenario.balance-sheet.inventory-days"),
                    CreditLineDays = c.Number("scenario.balance-sheet.credit-line-days"),
                    FundingRate = c.Number("scenario.balance-sheet.funding-rate"),
                    BorrowFee = c.Number("scenario.balance-sheet.borrow-fee"),
                },
            },
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
            InjectedDefaults = defaults,
            Privacy = PrivacyTables.On(c, "scenario.privacy.trades"),
        };
    }

    public World Build(RunContext context)
    {
        var c = context.Config;
        var options = Options(c);
        if (TwoLayerConfig.Has(c)) return TwoLayerConfig.Build(context, options);
        var chain = options.Settlement is OnChainSettlement ? FinanceChain.For(context, "atomic-dvp settles") : null;
        var runEnd = SimTime.Zero + c.Time("duration");
        var spec = SecuritiesWorld.Build(options, context.Network, context.Seed, chain, runEnd: runEnd);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec, options));
    }

    private static void Finish(RunResult run, SecuritiesWorldSpec spec, SecuritiesOptions options)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its agreement and validity findings
        var m = run.Metrics;
        var end = run.Stats.FinalTime;
        // Safety beyond the chain's checkers: asset conservation, replica state digests, and the venue's promise
        // that a trade whose balances were locked at entry settles.
        void Violation(string text, long count = 1) => FinanceChain.Violation(run, text, count);
        if (results.ConservationViolations > 0) Violation($"{results.ConservationViolations} asset conservation violation(s): tokens created or destroyed other than by their issuer", results.ConservationViolations);
        if (results.ReplicasAgree == false) Violation("replicas at the same height hold different contract states");
        if (results.LockedButRefused > 0) Violation($"{results.LockedButRefused} matched trade(s) refused by the DvP contract after their balances were locked at entry", results.LockedButRefused);
        foreach (var b in results.PrivacyBreaches) Violation("who-can-read: " + b);

        // Which variant this was, for the opening sentences.
        m.Scalars[KindScalar] = options.Settlement is OnChainSettlement ? 1 : 0;
        m.Scalars[CycleScalar] = options.Settlement is DeferredNetSettlement d ? d.Regime.CycleDays : -1;
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
        SecuritiesJourneys.Record(m, results.Timeline);
    }

    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        SecuritiesJourneys.Follow(planned, points, KindScalar);

    /// <summary>The who-can-read table (issue 14 §6) of the first on-chain variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, SecuritiesPrivacy.Parties, SecuritiesPrivacy.Items, "on the settlement chain",
            "buyer, seller: the members a trade names; other-broker: a member it does not name (checked as if it held a full replica); " +
            "status: the public settlement marker; trade: the trade record sealed for buyer, seller, exchange and regulator; positions: the buyer's balance of the security, plain in the world state (not hidden in this model).");

    /// <summary>
    /// The report's opening sentences (<see cref="SettlementHeadline.Compose"/>): the T+1 variant (else the first deferred
    /// one) against atomic on-chain DvP (else the first on-chain variant), over all their replications with 95% intervals;
    /// then, if a member defaulted, who paid. Nothing when the experiment has not both kinds (e.g. a sweep of netting windows).
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (TwoLayerConfig.Headline(points) is { } layered) return [layered];
        static double First(Lab.Reports.PointResult p, string name) => Headlines.First(p, name);
        var deferred = points.Where(p => First(p, KindScalar) == 0).ToList();
        var onChain = points.Where(p => First(p, KindScalar) == 1).ToList();
        var t = deferred.FirstOrDefault(p => First(p, CycleScalar) == 1) ?? deferred.FirstOrDefault();
        var o = onChain.FirstOrDefault(p => First(p, WindowScalar) == 0) ?? onChain.FirstOrDefault();
        if (t is null || o is null) return [];
        var currency = CurrencyOf(t);
        static Estimate Over(IReadOnlyList<double> values) => Headlines.Over(values);
        Estimate Of(Lab.Reports.PointResult p, Func<IReadOnlyDictionary<string, double>, double> pick) =>
            Over(p.Replications.Select(r => pick(r.Metrics.Scalars)).Where(double.IsFinite).ToList());
        double S(IReadOnlyDictionary<string, double> s, string k) => s.TryGetValue(k, out var v) ? v : double.NaN;
        var cash = SecuritiesMetrics.Money(SecuritiesMetrics.LiquidityCommitted, currency);
        var ratios = t.Replications.Zip(o.Replications, (a, b) => S(b.Metrics.Scalars, cash) / S(a.Metrics.Scalars, cash)).Where(double.IsFinite).ToList();
        var ratio = Over(ratios);
        var p50 = Lab.Sim.Metrics.Quantile.Name(SecuritiesMetrics.SettlementTime, 0.50);
        var figures = new HeadlineFigures
        {
            Traditional = t.Variant,
            OnChain = o.Variant,
            Currency = currency,
            Replications = Math.Min(t.Replications.Count, o.Replications.Count),
            TraditionalMedianS = Of(t, s => S(s, p50)),
            OnChainMedianS = Of(o, s => S(s, p50)),
            TraditionalCash = Of(t, s => S(s, cash)),
            OnChainCash = Of(o, s => S(s, cash)),
            CashRatio = ratio,
            TraditionalCost = Of(t, s => S(s, SecuritiesMetrics.Money(SecuritiesMetrics.FundingCost, currency))),
            OnChainCost = Of(o, s => S(s, SecuritiesMetrics.Money(SecuritiesMetrics.FundingCost, currency))),
            TraditionalRejected = Of(t, s => S(s, SecuritiesMetrics.RejectRate)),
            OnChainRejected = Of(o, s => S(s, SecuritiesMetrics.RejectRate)),
            TraditionalFailed = Of(t, s => S(s, SecuritiesMetrics.FailRate)),
            TraditionalFailedValue = Of(t, s => S(s, SecuritiesMetrics.FailRateValue)),
            TraditionalBoughtIn = Of(t, s => S(s, SecuritiesMetrics.BuyInRate)),
            TraditionalDefaulted = Of(t, s => S(s, SecuritiesMetrics.DefaultRate)),
            OnChainFailed = Of(o, s => S(s, SecuritiesMetrics.FailRate)),
            OnChainDefaulted = Of(o, s => S(s, SecuritiesMetrics.DefaultRate)),
        };
        var sentences = new List<string> { SettlementHeadline.Compose(figures) };
        if (DefaultSentence(t, o, currency) is { } d) sentences.Add(d);
        // Several deferred regimes (T+2/T+1/T+0, US against China): when each leg completed, and the cash it took.
        var regimes = deferred.Where(p => p.Parameters.Count == 0).ToList();
        if (regimes.Count > 1)
        {
            var secP50 = Lab.Sim.Metrics.Quantile.Name(SecuritiesMetrics.SecuritiesLegTime, 0.50);
            var parts = regimes.Select(p =>
                $"{p.Variant}: shares delivered after {SettlementHeadline.Human(Of(p, s => S(s, secP50)))}, trades final after {SettlementHeadline.Human(Of(p, s => S(s, p50)))}, " +
                $"cash committed {Days(Of(p, s => S(s, SecuritiesMetrics.LiquidityCommittedDays)))} days of average daily traded value");
            sentences.Add($"Median times by regime — {string.Join("; ", parts)}.");
        }
        return sentences;
    }

    /// <summary>Trades sampled for the trade timeline (<see cref="SecuritiesMetrics.TradeStart"/>, <see cref="SecuritiesMetrics.TradeEnd"/>): about as many as one chart shows legibly.</summary>
    private const int TimelineTrades = 30;

    private static string Days(Estimate e)
    {
        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        return e.Low == e.High ? F(e.Mean) : $"{F(e.Mean)} [{F(e.Low)}, {F(e.High)}]";
    }

    // Who paid for the defaults under the deferred regime, how late the survivors' trades settled, and what happened on chain.
    private static string? DefaultSentence(Lab.Reports.PointResult t, Lab.Reports.PointResult o, string currency)
    {
        double Mean(Lab.Reports.PointResult p, string key) =>
            p.Replications.Select(r => r.Metrics.Scalars.GetValueOrDefault(key)).DefaultIfEmpty(0).Average();
        double Money(Lab.Reports.PointResult p, string stem) => Mean(p, SecuritiesMetrics.Money(stem, currency));
        var defaults = Mean(t, SecuritiesMetrics.Defaults);
        if (defaults == 0) return null;
        string M(double v) => SettlementHeadline.Money(v, currency);
        string P(double f) => (f * 100).ToString(f < 0.1 ? "0.0#" : "0", CultureInfo.InvariantCulture) + "%";
        var late = Mean(t, SecuritiesMetrics.SettledLateShare);
        var worst = Mean(t, SecuritiesMetrics.LatenessMax);
        var frozen = o.Replications.Select(r => r.Metrics.Counters.GetValueOrDefault(SecuritiesMetrics.RejectedCounter("frozen"))).DefaultIfEmpty(0).Average();
        var text = $"Under {t.Variant} {defaults.ToString("0.#", CultureInfo.InvariantCulture)} member default(s) per run: closing out lost {M(Money(t, SecuritiesMetrics.DefaultLoss))}, " +
                   $"paid by the defaulter's margin ({M(Money(t, SecuritiesMetrics.WaterfallDefaulterMargin))}) and clearing-fund deposit ({M(Money(t, SecuritiesMetrics.WaterfallDefaulterFund))}), " +
                   $"the CCP's capital ({M(Money(t, SecuritiesMetrics.WaterfallSkin))}) and the surviving members ({M(Money(t, SecuritiesMetrics.WaterfallSurvivors))}), " +
                   $"{M(Money(t, SecuritiesMetrics.WaterfallUncovered))} uncovered; no survivor's trade was cancelled, {P(late)} of trades became final after their scheduled settlement " +
                   $"(the latest {SettlementHeadline.Human(worst)} after).";
        return text + (frozen > 0
            ? $" On chain the same member was frozen at that moment instead: {frozen.ToString("0", CultureInfo.InvariantCulture)} of its orders were rejected at entry, nothing it had settled was undone, and nobody else lost anything."
            : " On chain no member can default on a settlement: every purchase is funded before it executes.");
    }

    private static string CurrencyOf(Lab.Reports.PointResult p)
    {
        foreach (var k in p.Replications[0].Metrics.Scalars.Keys)
        {
            var suffix = k.StartsWith(SecuritiesMetrics.LiquidityCommitted + "_", StringComparison.Ordinal) ? k[(SecuritiesMetrics.LiquidityCommitted.Length + 1)..] : "";
            if (suffix.Length == 3 && suffix.All(char.IsAsciiLetterLower)) return suffix.ToUpperInvariant();
        }
        return "CNY";
    }

    internal const string KindScalar = "settlement_on_chain";
    internal const string CycleScalar = "settlement_cycle_days";
    internal const string WindowScalar = "settlement_netting_window_s";
}
