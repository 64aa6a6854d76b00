using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Abs;
using Lab.Finance.Securities;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: abs</c> — an asset-backed securities deal (issue 14 §1): the same seeded loan-pool history,
/// waterfall and unit trades go through monthly servicer reports reconciled by hand at each party
/// (<c>scenario.reporting: traditional</c>) or one deal contract on a consortium chain that every party's replica runs
/// (<c>on-chain</c>, on <c>chain.protocol</c>). Builds <see cref="AbsWorld"/>; the YAML → options mapping is the table in
/// src/Lab.Finance/README.md.
/// </summary>
public sealed class AbsModel : IModel
{
    public string Name => "abs";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "asset-backed securities: a loan pool's payments, prepayments, delinquencies and defaults through a tranche waterfall, reported monthly and reconciled by hand versus computed by a deal contract every party runs, on the same pool history";

    private const string Traditional = "traditional";
    private const string OnChainReporting = "on-chain";
    private static readonly string[] Shares = ["scenario.tranches.senior-a", "scenario.tranches.senior-b", "scenario.tranches.subordinated"];

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("institutions.investors.count", "Investors holding the class A and B units (allocated evenly at issuance; the originator retains the subordinated class). Assumption: 8.", 8, min: 1, max: 1000),
        Key.List("institutions.regions", KeyType.Identifier, "Regions the parties' offices are spread over, round-robin in the order servicer, trustee, originator, rating agency, regulator, investors (default: the network's regions).", "[]"),

        Key.Int("scenario.pool.loans", "Loans in the pool at the cut-off (SCENARIOS.md §2: the 2017 deal securitised auto-finance loans; assumption: 4,000 loans of ≈ 100,000 CNY).", 4000, min: 1, max: 200_000),
        Key.Money("scenario.pool.balance", "Pool principal at the cut-off; the notes are issued at par against it (SCENARIOS.md §2: China's first blockchain exchange ABS, 2017: RMB 400M).", "400000000 CNY"),
        Key.NumberDistribution("scenario.pool.loan-size", "Relative loan size, drawn per loan and scaled so the pool sums to `balance` (assumption: lognormal, median 100,000, sigma 0.5).", "lognormal(mu: 11.51, sigma: 0.5)"),
        Key.NumberDistribution("scenario.pool.rate", "Annual loan rate as a fraction, drawn per loan (assumption: Chinese auto-finance loans 8–14%).", "uniform(0.08, 0.14)"),
        Key.NumberDistribution("scenario.pool.term", "Remaining term at the cut-off in months, drawn per loan and rounded (assumption: 12–36 months).", "uniform(12, 36)"),
        Key.Probability("scenario.pool.cpr", "Conditional prepayment rate, annual; a current loan prepays in full each month with SMM = 1 − (1 − CPR)^(1/12) (assumption: 10%, auto loans).", "10%"),
        Key.Probability("scenario.pool.miss-rate", "Monthly chance a current loan misses its instalment and turns 30 days past due (assumption: 2%).", "2%"),
        Key.Probability("scenario.pool.cure-rate", "Monthly chance a delinquent loan pays all its arrears (assumption: 45%).", "45%"),
        Key.Int("scenario.pool.default-after", "Missed instalments at which a loan is charged off as defaulted (4: after the 30/60/90+ buckets, at 120 days past due; assumption).", 4, min: 1, max: 24),
        Key.Probability("scenario.pool.recovery-rate", "Share of a defaulted loan's principal recovered (repossession and sale; assumption: 40%).", "40%"),
        Key.Int("scenario.pool.recovery-lag", "Months from default to recovery (assumption: 6).", 6, min: 0, max: 120),
        Key.Int("scenario.pool.periods", "Monthly collection periods simulated, from the cut-off (`start`, the first of a month). The built-in calendar has 2026's holidays only (assumption: 12).", 12, min: 1, max: 120),

        Key.Probability("scenario.tranches.senior-a", "Class A share of the pool at issuance (SCENARIOS.md §2: 85%).", "85%"),
        Key.Probability("scenario.tranches.senior-b", "Class B share (SCENARIOS.md §2: 6%).", "6%"),
        Key.Probability("scenario.tranches.subordinated", "Subordinated share, retained by the originator (SCENARIOS.md §2: 9%). The three shares must sum to 100%.", "9%"),
        Key.Probability("scenario.tranches.coupon-a", "Class A coupon, annual, 30/360 monthly (assumption: 4.8%, AAA auto ABS in 2017).", "4.8%"),
        Key.Probability("scenario.tranches.coupon-b", "Class B coupon, annual (assumption: 5.8%).", "5.8%"),
        Key.Money("scenario.tranches.unit", "Face value of one unit (Chinese exchange ABS: 100 CNY).", "100 CNY"),

        Key.Probability("scenario.waterfall.servicing-fee", "Servicing fee, annual on the pool balance, paid first (assumption: 0.8%).", "0.8%"),
        Key.Probability("scenario.waterfall.trustee-fee", "Trustee and custody fee, annual on the pool balance, paid first (assumption: 0.05%).", "0.05%"),
        Key.Probability("scenario.waterfall.reserve", "Reserve account target as a share of classes A + B outstanding, funded at closing by the originator; drawn for fees and senior interest, topped up after principal (assumption: 1%).", "1%"),
        Key.Factor("scenario.waterfall.oc-trigger", "Overcollateralisation (par value) test: (pool + the period's principal proceeds) / (A + B) below this switches principal to sequential for good (assumption: 1.05; 1.099 at issuance).", "1.05x"),
        Key.Number("scenario.waterfall.ic-trigger", "Interest coverage test: interest collections / (fees + A and B interest) below this switches principal to sequential (assumption: 1.1).", "1.1", min: 0, max: 100),
        Key.Probability("scenario.waterfall.loss-trigger", "Cumulative defaults / initial pool above this switches principal to sequential (assumption: 2%).", "2%"),
        Key.Int("scenario.waterfall.payment-day", "Day of the month after each collection period on which investors are paid (following business day; the record date is the business day before). Assumption: 26.", 26, min: 1, max: 28),

        Key.Choice("scenario.reporting", "How the parties learn of loan events and the waterfall: `traditional` (monthly servicer report, trustee's waterfall, each party reconciles by hand) or `on-chain` (the servicer posts loan events to a deal contract every party's replica runs).", [Traditional, OnChainReporting], Traditional),
        Key.Time("scenario.traditional.servicer-report", "Servicer desk time (09:00–17:00 business days) after the period end until its monthly report is out (assumption: 5 business days).", "40h", min: 0),
        Key.TimeDistribution("scenario.traditional.trustee-waterfall", "Trustee desk time to compute the waterfall from the report (assumption: about a working day).", "lognormal(median: 8h, sigma: 0.4)") with { Max = 3650.0 * 86400 },
        Key.TimeDistribution("scenario.traditional.reconcile", "Each party's desk time to reconcile the trustee's report with its own books (assumption).", "lognormal(median: 6h, sigma: 0.6)") with { Max = 3650.0 * 86400 },
        Key.Probability("scenario.traditional.reconcile-error", "Chance a party's monthly reconciliation goes wrong unnoticed; found at its next one (assumption: 5%; seed: blockchain ABS 简化对账工作, simplifies reconciliation).", "5%"),
        Key.TimeDistribution("scenario.traditional.registrar", "Registrar (trustee) desk time from a unit trade to the register's update (assumption: about two working days).", "lognormal(median: 16h, sigma: 0.5)") with { Max = 3650.0 * 86400 },

        Key.Number("scenario.trades.per-month", "Unit trades between investors per month, a Poisson stream (assumption: 20).", "20", min: 0, max: 100_000),
        Key.Probability("scenario.trades.share", "Share of the seller's holding of a class sold in one trade (assumption: 20%; 80% of trades in class A).", "20%"),

        Key.Time("scenario.on-chain.post-interval", "On chain: the servicer posts the loan events of each interval as one batch (assumption: 1h).", "1h", min: 1),
        Key.Size("scenario.on-chain.event-size", "Bytes per loan event in a batch (loan id, kind, amounts, time).", "64B", min: 8),
        Key.Time("scenario.on-chain.cpu-per-event", "Contract CPU per loan event on every replica (state lookup and checks).", "20us"),
        PrivacyTables.Key("scenario.privacy.deal", "the borrower-level tape (originator, servicer, trustee, rating agency, regulator) and each unit trade's record (the two investors, trustee, regulator; AbsPrivacy)"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. AbsMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        .. new[] { AbsMetrics.EventVisible, AbsMetrics.WaterfallVisible, AbsMetrics.BreakFoundAfter, AbsMetrics.TradeSettlement }
            .SelectMany(m => new[] { new MetricInfo(Lab.Sim.Metrics.Quantile.Name(m, 0.5), $"median of {m}"), new MetricInfo(Lab.Sim.Metrics.Quantile.Name(m, 0.9), $"90th percentile of {m}") }),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, conservation, cash-identity or waterfall violations, diverging replicas or who-can-read breaches"),
        .. PrivacyTables.Metrics(),
    ];

    /// <summary>"settlement": loan event → every party holds it; "exposure": the class A balance.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } =
    [
        new(Lab.Reports.MetricWord.Settlement, AbsMetrics.EventVisible),
        new("exposure", AbsMetrics.BalanceA),
    ];

    /// <summary>Transactions come from the deal's parties, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout").Distinct()];

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.reporting") == OnChainReporting;

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!FinanceConfig.TryStart(c.Text("start"), out var start))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-01-01T00:00+08:00, got '{c.Text("start")}'");
        else if (start.Day != 1 || start.TimeOfDay != TimeSpan.Zero)
            problems.Error(c.MarkOf("start"), "start", $"the cut-off starts the first collection period: midnight on the first of a month, e.g. {start.Year:0000}-{start.Month:00}-01T00:00{(start.Offset < TimeSpan.Zero ? "-" : "+")}{start.Offset:hh\\:mm}, got '{c.Text("start")}'");
        var total = Shares.Sum(c.Number);
        if (Math.Abs(total - 1) > 1e-9)
            problems.Error(c.MarkOf(Shares.FirstOrDefault(c.Has) ?? Shares[0]), "scenario.tranches",
                $"senior-a + senior-b + subordinated must be 100% of the pool, got {(total * 100).ToString("0.##", CultureInfo.InvariantCulture)}%");
        foreach (var key in new[] { "scenario.pool.balance", "scenario.tranches.unit" })
        {
            var money = c.Get<Lab.Experiments.Values.Money>(key);
            if (money.Currency != "CNY") problems.Error(c.MarkOf(key), key, $"the ABS scenario is in CNY; got {money.Currency}");
            if (money.Amount <= 0) problems.Error(c.MarkOf(key), key, "must be positive");
        }
        var pool = c.Get<Lab.Experiments.Values.Money>("scenario.pool.balance").Amount;
        if (pool > 0 && pool < c.Int("scenario.pool.loans"))
            problems.Error(c.MarkOf("scenario.pool.balance"), "scenario.pool.balance", $"{c.Int("scenario.pool.loans")} loans need a pool of at least 1 CNY each");
        if (pool > 1_000_000_000_000_000m)
            problems.Error(c.MarkOf("scenario.pool.balance"), "scenario.pool.balance", "too large: at most 1,000,000,000,000,000 CNY");
        foreach (var key in new[] { "scenario.pool.loan-size", "scenario.pool.rate" })
            if (c.Distribution(key).Minimum < 0) problems.Error(c.MarkOf(key), key, "must not be negative");
        if (c.Distribution("scenario.pool.term").Minimum < 0.5)
            problems.Error(c.MarkOf("scenario.pool.term"), "scenario.pool.term", "a loan runs at least one month: the distribution's minimum must be at least 0.5 (rounds to 1)");
        if (c.Number("scenario.trades.per-month") > 0 && c.Int("institutions.investors.count") < 2)
            problems.Error(c.MarkOf("scenario.trades.per-month"), "scenario.trades.per-month", "trades need at least two investors (institutions.investors.count), or set per-month: 0");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "the ABS scenario runs with modelled signatures only (parties submit without consortium keys)");
        // The runner ends every run at `duration`: it must cover the last period's payment date and its reports.
        if (!problems.HasErrors)
        {
            var o = Options(c);
            var end = AbsWorld.SuggestedEnd(AbsBook.Generate(o with { Loans = 1, PoolCny = 1, TradesPerMonth = 0 }, 0));
            FinanceConfig.RequireDuration(c, end, $"{o.Periods} monthly periods", "to a week after the last payment date", problems);
        }
    }


    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static AbsOptions Options(RunConfig c)
    {
        FinanceConfig.TryStart(c.Text("start"), out var start);
        return new AbsOptions
        {
            Start = start,
            Reporting = c.Text("scenario.reporting") == OnChainReporting ? AbsReporting.OnChain : AbsReporting.Traditional,
            Investors = c.Int("institutions.investors.count"),
            Loans = c.Int("scenario.pool.loans"),
            PoolCny = (long)Math.Round(c.Get<Lab.Experiments.Values.Money>("scenario.pool.balance").Amount),
            LoanSize = c.Distribution("scenario.pool.loan-size"),
            LoanRate = c.Distribution("scenario.pool.rate"),
            TermMonths = c.Distribution("scenario.pool.term"),
            Cpr = c.Number("scenario.pool.cpr"),
            MissRate = c.Number("scenario.pool.miss-rate"),
            CureRate = c.Number("scenario.pool.cure-rate"),
            DefaultAfterMissed = c.Int("scenario.pool.default-after"),
            RecoveryRate = c.Number("scenario.pool.recovery-rate"),
            RecoveryLagMonths = c.Int("scenario.pool.recovery-lag"),
            Periods = c.Int("scenario.pool.periods"),
            Terms = new DealTerms
            {
                SeniorAShare = c.Number("scenario.tranches.senior-a"),
                SeniorBShare = c.Number("scenario.tranches.senior-b"),
                CouponA = c.Number("scenario.tranches.coupon-a"),
                CouponB = c.Number("scenario.tranches.coupon-b"),
                ServicingFee = c.Number("scenario.waterfall.servicing-fee"),
                TrusteeFee = c.Number("scenario.waterfall.trustee-fee"),
                ReserveShare = c.Number("scenario.waterfall.reserve"),
                OcTrigger = c.Number("scenario.waterfall.oc-trigger"),
                IcTrigger = c.Number("scenario.waterfall.ic-trigger"),
                CumulativeLossTrigger = c.Number("scenario.waterfall.loss-trigger"),
            },
            UnitFaceCny = Math.Max(1, (long)Math.Round(c.Get<Lab.Experiments.Values.Money>("scenario.tranches.unit").Amount)),
            PaymentDay = c.Int("scenario.waterfall.payment-day"),
            ServicerReportS = c.Time("scenario.traditional.servicer-report").TotalSeconds,
            TrusteeWaterfallS = c.Distribution("scenario.traditional.trustee-waterfall"),
            ReconcileS = c.Distribution("scenario.traditional.reconcile"),
            ReconcileErrorRate = c.Number("scenario.traditional.reconcile-error"),
            RegistrarS = c.Distribution("scenario.traditional.registrar"),
            TradesPerMonth = c.Number("scenario.trades.per-month"),
            TradeShare = c.Number("scenario.trades.share"),
            PostInterval = c.Time("scenario.on-chain.post-interval"),
            EventBytes = (int)c.Size("scenario.on-chain.event-size").Bytes,
            CpuPerEvent = c.Time("scenario.on-chain.cpu-per-event"),
            Privacy = PrivacyTables.On(c, "scenario.privacy.deal"),
        };
    }

    public World Build(RunContext context)
    {
        var options = Options(context.Config);
        var chain = options.Reporting == AbsReporting.OnChain ? FinanceChain.For(context, "on-chain reporting runs") : null;
        var spec = AbsWorld.Build(options, context.Network, context.Seed, chain, context.Config.Strings("institutions.regions"));
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec));
    }

    private static void Finish(RunResult run, AbsWorldSpec spec)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its checkers' findings
        if (results.AuditViolations > 0)
        {
            var findings = results.AuditFindings.DefaultIfEmpty($"{results.AuditViolations} deal-ledger violation(s)").ToList();
            for (int i = 0; i < findings.Count; i++) FinanceChain.Violation(run, findings[i], i == 0 ? results.AuditViolations : 0);
        }
        if (results.WaterfallMismatches > 0) FinanceChain.Violation(run, $"{results.WaterfallMismatches} replica waterfall(s) differ from the reference computation", results.WaterfallMismatches);
        if (results.ReplicasAgree == false) FinanceChain.Violation(run, "replicas at the same height hold different deal states");
        foreach (var b in results.PrivacyBreaches) FinanceChain.Violation(run, "who-can-read: " + b);
    }

    /// <summary>The who-can-read table (issue 14 §6) of the first on-chain variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, AbsPrivacy.Parties, AbsPrivacy.Items, "on the deal chain",
            "originator, servicer, trustee, rating agency, regulator: their own replicas; investor: the holder or seller of a unit trade (for loans and reports, investors in rotation), counterparty: its buyer, other-investor: an investor on neither side — investors read through the custodian's gateway, which serves only their own register entries. " +
            "loan-status: the plain anonymised loan record; borrower: the borrower-level tape, sealed; pool-report: each period's waterfall; holding: the seller's units (plain token balance: replica holders read it, a gap the model keeps); unit-trade: the trade's record, sealed. Rules and reasons: AbsPrivacy.Rules.");

    /// <summary>The report's "follow one loan event" (<see cref="AbsJourneys"/>).</summary>
    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        AbsJourneys.Follow(planned, points);

    /// <summary>
    /// The report's opening sentences (<see cref="AbsHeadline.Compose"/>): the first traditional variant against the
    /// first on-chain one, over all their replications with 95% intervals. Nothing unless the experiment has both.
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, AbsMetrics.OnChain) is not { } pair) return [];
        var (t, o) = pair;
        // Every figure here (money, durations, counts, factors) is non-negative: a t-interval below 0 is clipped.
        static Estimate Over(IReadOnlyList<double> values) => Headlines.Over(values, nonNegative: true);
        static Estimate Of(Lab.Reports.PointResult p, string key) => Headlines.Of(p, key, nonNegative: true);
        static string Median(string m) => Lab.Sim.Metrics.Quantile.Name(m, 0.5);
        var switched = Over(t.Replications.Select(r => r.Metrics.Scalars.TryGetValue(AbsMetrics.SequentialFrom, out var v) ? v + 1 : 0).Where(v => v >= 1).ToList());
        return
        [
            AbsHeadline.Compose(new AbsFigures
            {
                Traditional = t.Variant,
                OnChain = o.Variant,
                Replications = Math.Min(t.Replications.Count, o.Replications.Count),
                Periods = (int)Headlines.First(t, AbsMetrics.Periods),
                PoolCny = Headlines.First(t, AbsMetrics.PoolCny),
                TraditionalEventMedianS = Of(t, Median(AbsMetrics.EventVisible)),
                OnChainEventMedianS = Of(o, Median(AbsMetrics.EventVisible)),
                TraditionalBreaks = Of(t, AbsMetrics.Breaks),
                TraditionalBreakFoundMedianS = Of(t, Median(AbsMetrics.BreakFoundAfter)),
                OnChainBreaks = Of(o, AbsMetrics.Breaks),
                OnChainMismatches = Of(o, AbsMetrics.WaterfallMismatches),
                InterestA = Of(t, AbsMetrics.InterestA),
                PrincipalA = Of(t, AbsMetrics.PrincipalA),
                InterestB = Of(t, AbsMetrics.InterestB),
                PrincipalB = Of(t, AbsMetrics.PrincipalB),
                Residual = Of(t, AbsMetrics.Residual),
                FactorA = Of(t, AbsMetrics.FactorA),
                SequentialShare = Over(t.Replications.Select(r => r.Metrics.Scalars.TryGetValue(AbsMetrics.SequentialFrom, out var v) && v >= 0 ? 1.0 : 0.0).ToList()),
                SequentialFromPaymentDate = switched with { High = Math.Min(switched.High, Headlines.First(t, AbsMetrics.Periods)) }, // no payment date beyond the last
                TraditionalTradeMedianS = Of(t, Median(AbsMetrics.TradeSettlement)),
                OnChainTradeMedianS = Of(o, Median(AbsMetrics.TradeSettlement)),
                TraditionalMisdirected = Of(t, AbsMetrics.Misdirected),
            }),
        ];
    }
}
