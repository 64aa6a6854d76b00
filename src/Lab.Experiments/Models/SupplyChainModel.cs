using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Finance.SupplyChain;
using Lab.Ledger.Crypto;
using Lab.Reports.Statistics;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: supply-chain</c> — supply-chain finance (issue 13 §2): the same payables of a core enterprise,
/// passed up 3–4 tiers of suppliers, financed either on paper (acceptances that cannot be split beyond tier 1, due
/// diligence per supplier, banks that cannot see each other's pledges; <c>scenario.flow: paper</c>) or as digital
/// vouchers on a consortium chain (split, passed on, discounted at the core's rate, paid at maturity;
/// <c>scenario.flow: vouchers</c> on <c>chain.protocol</c>). Builds <see cref="SupplyChainWorld"/>; the YAML →
/// options mapping is the table in src/Lab.Finance/README.md.
/// </summary>
public sealed class SupplyChainModel : IModel
{
    public string Name => "supply-chain";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "supply-chain finance: paper acceptances and receivables (tier 1 only, due diligence, double pledges) versus split-and-pass payables vouchers on a consortium chain, on the same payables";

    private const string Paper = "paper", Vouchers = "vouchers";
    /// <summary>Largest delay a draw may reach (seconds): two years, beyond any maturity here.</summary>
    private const double MaxDelay = 2 * 365 * 86_400;

    // Every default is an assumption unless its text names a source (the seed has no figures for this scenario;
    // SCENARIOS.md item 7 names the mechanisms only).
    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Choice("scenario.flow", "How suppliers get cash before maturity: `paper` (the core's acceptance to tier 1 only; higher tiers borrow on their own credit after due diligence; two banks cannot see each other's pledges) or `vouchers` (the core's payable as a digital voucher on chain, split and passed up the tiers, discounted at the core's rate).", [Paper, Vouchers], Paper),
        PrivacyTables.Key("scenario.privacy.vouchers", "each voucher piece's trade record (passer, receiver, core, regulator; SupplyChainPrivacy)"),
        Key.Name("scenario.currency", "Currency of the payables, the bank cash and the vouchers (ISO 4217 code, upper case).", "CNY"),
        Key.List("scenario.tiers", KeyType.Integer, "Suppliers per tier, tier 1 (selling to the core) first: 1 to 6 tiers, each at least 1. Assumption.", "[10, 30, 60, 120]"),
        Key.Int("scenario.banks", "Banks that discount or finance receivables (at least 2: a double pledge needs a second bank). Assumption.", 4, min: 2, max: 100),
        Key.Int("scenario.payables.count", "Payables the core enterprise confirms to its tier-1 suppliers, identical in both flows of a seed.", 200, min: 1, max: 100_000),
        Key.Time("scenario.payables.window", "The core confirms payables at uniform random times over this span from the start.", "30d", min: 1),
        Key.NumberDistribution("scenario.payables.face", "Face value per payable in currency units (lognormal mu 13.8: median ≈ 1 million). Assumption.", "lognormal(mu: 13.8, sigma: 1)"),
        Key.Time("scenario.payables.maturity", "Term from confirmation to payment. 180 days: the longest term of a commercial draft in China since 2023 (PBoC/CBIRC order 2022 No. 4).", "180d", min: 86_400 * 3),
        Key.Probability("scenario.pass.share", "Share of what a supplier receives that it passes on to its own suppliers to pay for inputs (the rest it keeps). Assumption.", "60%"),
        Key.Int("scenario.pass.fan-out", "Next-tier suppliers each holder pays with the passed share (in equal parts; at most the next tier's count). Assumption.", 2, min: 1, max: 100),
        Key.TimeDistribution("scenario.pass.delay", "From receiving a claim to passing part of it on. Assumption.", "exponential(mean: 5d)") with { Max = MaxDelay },
        Key.Probability("scenario.financing.demand", "Share of holders that want cash before maturity for what they keep. Assumption.", "80%"),
        Key.TimeDistribution("scenario.financing.delay", "From receiving a claim (or passing parts on) to asking a bank for cash. Assumption.", "exponential(mean: 3d)") with { Max = MaxDelay },
        Key.Probability("scenario.financing.double-share", "Share of holders asking for cash that also take the same receivable to a second bank at the same moment (double financing). Assumption.", "0.5%"),
        Key.Probability("scenario.vouchers.rate", "Vouchers: annual discount rate every bank quotes against the core's credit, at any tier (simple discount, actual/365). Assumption: a large core's commercial paper.", "3.5%"),
        Key.Time("scenario.vouchers.cpu-per-call", "Vouchers: contract CPU time per call on every replica, beyond the runtime's own per-call charge.", "30us"),
        Key.List("scenario.paper.rate", KeyType.Probability, "Paper: annual rate by tier — tier 1 discounts the core's acceptance (the core's credit), higher tiers borrow on their own. Assumption.", "[3.5%, 6.5%, 8%, 9%]"),
        Key.List("scenario.paper.rejection", KeyType.Probability, "Paper: chance a bank turns a supplier down after due diligence, by tier (tier 1 carries the core's acceptance). Assumption, set so about 99% of tier 1 and 15% of tier 4 are financed.", "[1%, 50%, 70%, 85%]"),
        Key.List("scenario.paper.due-diligence", KeyType.Time, "Paper: median time of a bank's due diligence by tier (lognormal, sigma 0.5). Assumption.", "[2d, 10d, 15d, 20d]"),
        Key.Choice("scenario.calendar", "Business calendar of the banks and the core's treasury: `none` (everyone works around the clock), `cn` (China 2026, +08:00: State Council holiday notice of 4 Nov 2025) or `us` (US 2026). With one, due diligence and discounting are desk work in the banks' hours on business days and payments are made on banking days; virtual time 0 is `start`. Days after 2026 have weekends but no holidays.", ["none", .. BusinessCalendars.Known], "none"),
        Key.Text("scenario.desks.opens", "With a calendar: local time the banks' credit desks open (HH:mm). Assumption: ordinary bank office hours.", "09:00"),
        Key.Text("scenario.desks.closes", "With a calendar: local time the banks' credit desks close (HH:mm); a due-diligence day is one desk day, opening to close. Assumption.", "17:00"),
        Key.Time("scenario.paper.payment-lag", "Paper: each tier pays its own suppliers this long after it is paid itself (trade credit down the chain). Assumption.", "30d", min: 0),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. SupplyChainMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "vouchers: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "vouchers: contract calls the contract refused (a second discount of a piece among them)"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "vouchers: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "vouchers: conflicting commits, invalid transactions, conservation violations, diverging replicas or who-can-read breaches"),
        .. PrivacyTables.Metrics(),
    ];

    /// <summary>Payables come from the core's schedule, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. ChainConfig.Keys.Select(k => k.Path).Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout")
            .Concat(["workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size"]).Distinct()];

    /// <summary>The who-can-read table (issue 14 §6) of the first vouchers variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, SupplyChainPrivacy.Parties, SupplyChainPrivacy.Items, "on the voucher chain",
            "receiver: the supplier a piece was passed to; passer: who passed it (the core at tier 1); other-supplier: a supplier on neither side; bank: a bank's replica (a financing bank gets the invoice off chain); " +
            "registry: the plain piece record (holder, status) that stops double discounting; invoice: the piece's trade record sealed for passer, receiver, core and regulator.");

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.flow") == Vouchers;

    public void Check(RunConfig c, Diagnostics problems)
    {
        var currency = c.Text("scenario.currency");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            problems.Error(c.MarkOf("scenario.currency"), "scenario.currency", $"expected an ISO 4217 code of three capital letters (CNY, USD), got '{currency}'");
        var tiers = Ints(c, "scenario.tiers");
        if (tiers.Count is < 1 or > 6)
            problems.Error(c.MarkOf("scenario.tiers"), "scenario.tiers", $"expected 1 to 6 tiers of suppliers, got {tiers.Count}");
        else if (tiers.FirstOrDefault(t => t < 1) is var bad && tiers.Any(t => t < 1))
            problems.Error(c.MarkOf("scenario.tiers"), "scenario.tiers", $"every tier needs at least one supplier, got {bad}");
        else if (tiers.Sum(t => (long)t) > 100_000)
            problems.Error(c.MarkOf("scenario.tiers"), "scenario.tiers", "at most 100,000 suppliers in all");
        foreach (var key in new[] { "scenario.paper.rate", "scenario.paper.rejection", "scenario.paper.due-diligence" })
        {
            var count = c.GetOr<List<object>>(key, []).Count;
            if (tiers.Count > 0 && count < tiers.Count)
                problems.Error(c.MarkOf(key), key, $"needs one value per tier: {tiers.Count} tier(s), {count} value(s)");
        }
        if (c.Distribution("scenario.payables.face").Minimum < 0)
            problems.Error(c.MarkOf("scenario.payables.face"), "scenario.payables.face", "a face value must not be negative");
        foreach (var key in new[] { "scenario.pass.delay", "scenario.financing.delay" })
            if (c.Distribution(key).Minimum < 0)
                problems.Error(c.MarkOf(key), key, "a delay must not be negative");
        if (!DateTimeOffset.TryParse(c.Text("start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-06-01T00:00+08:00, got '{c.Text("start")}'");
        foreach (var key in new[] { "scenario.desks.opens", "scenario.desks.closes" })
            if (!TryTime(c.Text(key), out _))
                problems.Error(c.MarkOf(key), key, $"expected a local time HH:mm, e.g. 09:00, got '{c.Text(key)}'");
        if (TryTime(c.Text("scenario.desks.opens"), out var opens) && TryTime(c.Text("scenario.desks.closes"), out var closes) && closes <= opens)
            problems.Error(c.MarkOf("scenario.desks.closes"), "scenario.desks.closes", $"the desks close at {closes:HH\\:mm}, not after they open at {opens:HH\\:mm}");
        if (c.Text("scenario.flow") == Vouchers && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "vouchers are signed with modelled signatures only");
        // The runner ends every run at `duration`: it must cover the last payment up the tiers.
        if (!problems.HasErrors)
        {
            var horizon = Options(c).Horizon;
            if (c.Time("duration") < horizon)
                problems.Error(c.MarkOf("duration"), "duration", $"too short for the last payable to be paid up every tier: at least {Days(horizon)} " +
                                                                 "(the issue window, the maturity, a payment lag per tier above the first, a day" +
                                                                 (c.Text("scenario.calendar") == "none" ? ")" : ", and the calendar's longest closure of banks in that span)"));
        }
    }

    private static string Days(Duration d) => $"{Math.Ceiling(d.TotalSeconds / 86_400).ToString(CultureInfo.InvariantCulture)}d";

    private static bool TryTime(string text, out TimeOnly t) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out t);

    private static IReadOnlyList<long> Ints(RunConfig c, string key) => [.. c.GetOr<List<object>>(key, []).Cast<long>()];
    private static IReadOnlyList<double> Numbers(RunConfig c, string key) => [.. c.GetOr<List<object>>(key, []).Cast<double>()];

    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        SupplyChainJourneys.Follow(planned, points);

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static SupplyChainOptions Options(RunConfig c) => new()
    {
        Flow = c.Text("scenario.flow") == Vouchers ? FinancingFlow.Voucher : FinancingFlow.Paper,
        Privacy = PrivacyTables.On(c, "scenario.privacy.vouchers"),
        Currency = c.Text("scenario.currency"),
        Tiers = [.. Ints(c, "scenario.tiers").Select(t => (int)Math.Clamp(t, 0, int.MaxValue))],
        Banks = c.Int("scenario.banks"),
        Payables = c.Int("scenario.payables.count"),
        IssueWindow = c.Time("scenario.payables.window"),
        Face = c.Distribution("scenario.payables.face"),
        Maturity = c.Time("scenario.payables.maturity"),
        PassShare = c.Number("scenario.pass.share"),
        FanOut = c.Int("scenario.pass.fan-out"),
        PassDelay = c.Distribution("scenario.pass.delay"),
        FinancingDemand = c.Number("scenario.financing.demand"),
        NeedDelay = c.Distribution("scenario.financing.delay"),
        DoubleFinancing = c.Number("scenario.financing.double-share"),
        CoreRate = c.Number("scenario.vouchers.rate"),
        CpuPerCall = c.Time("scenario.vouchers.cpu-per-call"),
        PaperRate = Numbers(c, "scenario.paper.rate"),
        PaperRejection = Numbers(c, "scenario.paper.rejection"),
        PaperDueDiligenceDays = [.. c.GetOr<List<object>>("scenario.paper.due-diligence", []).Cast<Duration>().Select(d => d.TotalSeconds / 86_400)],
        PaperPaymentLag = c.Time("scenario.paper.payment-lag"),
        Calendar = c.Text("scenario.calendar") is var calendar && calendar != "none" ? BusinessCalendars.Named(calendar) : null,
        Start = DateTimeOffset.TryParse(c.Text("start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) ? start : default,
        DeskOpens = TryTime(c.Text("scenario.desks.opens"), out var opens) ? opens : default,
        DeskCloses = TryTime(c.Text("scenario.desks.closes"), out var closes) ? closes : default,
    };

    public World Build(RunContext context)
    {
        var options = Options(context.Config);
        var chain = options.Flow == FinancingFlow.Voucher ? FinanceChain.For(context, "vouchers live") : null;
        var spec = SupplyChainWorld.Build(options, context.Network, context.Seed, chain);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec));
    }

    private static void Finish(RunResult run, SupplyChainWorldSpec spec)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its agreement and validity findings
        void Violation(string text, long count = 1) => FinanceChain.Violation(run, text, count);
        if (results.ConservationViolations > 0) Violation($"{results.ConservationViolations} conservation violation(s): vouchers or cash created or destroyed other than by their issuer", results.ConservationViolations);
        if (results.ReplicasAgree == false) Violation("replicas at the same height hold different voucher states");
        foreach (var b in results.PrivacyBreaches) Violation("who-can-read: " + b);
        if (results.DoubleFinanced > 0 && spec.Plan.Options.Flow == FinancingFlow.Voucher)
            Violation($"{results.DoubleFinanced} voucher piece(s) discounted twice", results.DoubleFinanced);
    }

    /// <summary>
    /// The report's opening sentences: the paper variant against the voucher variant (the first of each), over all
    /// their replications with 95% intervals — financing reached at tier 1 and at the top tier, time to cash there, and
    /// double financing. Nothing when the experiment has not both flows.
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, SupplyChainMetrics.OnChain) is not { } pair) return [];
        var (paper, chain) = pair;
        var top = 1;
        while (paper.Replications[0].Metrics.Scalars.ContainsKey(SupplyChainMetrics.Tier(SupplyChainMetrics.Seekers, top + 1))) top++;
        return [.. SupplyChainHeadline.Compose(Figures(paper, top), Figures(chain, top), paper.Variant, chain.Variant, top)];
    }

    private static SupplyChainHeadline.Side Figures(Lab.Reports.PointResult p, int top)
    {
        Estimate Of(string key) => Headlines.Of(p, key);
        double Sum(string key) => p.Replications.Sum(r => r.Metrics.Scalars.GetValueOrDefault(key));
        return new SupplyChainHeadline.Side(
            Of(SupplyChainMetrics.Tier(SupplyChainMetrics.FinancedShare, 1)), Of(SupplyChainMetrics.Tier(SupplyChainMetrics.FinancedShare, top)),
            Of(SupplyChainMetrics.Tier(SupplyChainMetrics.TimeToCashMedian, 1)), Of(SupplyChainMetrics.Tier(SupplyChainMetrics.TimeToCashMedian, top)),
            Of(SupplyChainMetrics.Tier(SupplyChainMetrics.FinancingCost, top)),
            Sum(SupplyChainMetrics.DoubleAttempts), Sum(SupplyChainMetrics.DoubleFinanced), Sum(SupplyChainMetrics.DoubleStopped), p.Replications.Count);
    }
}
