using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Insurance;
using Lab.Finance.Securities;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: insurance-claims</c> — zero-touch health-insurance claims (issue 14 §2): the same customers and
/// hospital visits go through paper claims (<c>scenario.process: traditional</c>) or the on-chain flow — hospital →
/// health commission → data exchange → claims contract (consent, rules, evidence) → insurer → bank
/// (<c>on-chain</c>, on <c>chain.protocol</c>). Builds <see cref="InsuranceWorld"/>; the YAML → options mapping is
/// the table in src/Lab.Finance/README.md.
/// </summary>
public sealed class InsuranceClaimsModel : IModel
{
    public string Name => "insurance-claims";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "health-insurance claims: paper filing, document chases and manual review in office hours versus visit records sent from the hospital to a claims contract that checks consent, stores evidence and adjudicates by rules, on the same visits";

    private const string Traditional = "traditional", OnChainProcess = "on-chain";
    /// <summary>Upper bound of the scenario's time distributions, seconds (ten years).</summary>
    private const double LongSpan = 3650.0 * 86400;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("institutions.customers.count", "Insured customers (all reach the service through one customer app).", 2000, min: 1, max: 1_000_000),
        Key.Probability("institutions.customers.consent-share", "Share of customers who opened the service (identity and consent fingerprint on chain) before their visits; the others' claims are refused on chain and filed on paper (assumption).", "90%"),
        Key.Int("institutions.hospitals.count", "Hospitals whose information systems send visit records (on chain).", 4, min: 1, max: 1000),
        Key.List("institutions.hospitals.regions", KeyType.Identifier, "Regions the hospitals are spread over, round-robin (Zhejiang, where blockchain e-invoice claims ran in 2020).", "[hangzhou]"),
        Key.Int("institutions.insurers.count", "Health insurers (each customer holds a policy with one).", 2, min: 1, max: 100),
        Key.List("institutions.insurers.regions", KeyType.Identifier, "Regions of the insurers' claims departments, round-robin.", "[shanghai]"),
        Key.Name("institutions.authorities.region", "Region of the health commission's node, the data exchange and the customer app's servers.", "hangzhou"),
        Key.Name("institutions.claims-bank.region", "Region of the bank that pays claims.", "shanghai"),

        Key.Choice("scenario.process", "How claims are made: `traditional` (paper filing, document chases, manual review, a daily payment batch) or `on-chain` (the visit record flows to a claims contract on `chain.protocol`).", [Traditional, OnChainProcess], Traditional),

        Key.Int("scenario.visits.count", "Hospital visits over the run, one claim each.", 1000, min: 1, max: 1_000_000),
        Key.Time("scenario.visits.window", "Visits happen uniformly over this span, any day and hour, from day 1.", "28d", min: 3600),
        Key.Probability("scenario.visits.inpatient-share", "Share of visits that are inpatient stays (assumption).", "8%"),
        Key.Probability("scenario.visits.special-share", "Share of visits for special or chronic-disease outpatient care, which the rules send to review (assumption).", "7%"),
        Key.NumberDistribution("scenario.visits.outpatient-amount", "Claimed CNY per outpatient visit (assumption: median 400 CNY).", "lognormal(median: 400, sigma: 1.0)"),
        Key.NumberDistribution("scenario.visits.inpatient-amount", "Claimed CNY per inpatient stay (assumption: median 8,000 CNY).", "lognormal(median: 8000, sigma: 0.8)"),

        Key.Money("scenario.rules.auto-limit", "The contract pays an outpatient claim up to this without a human (CNY; assumption).", "5000 CNY"),
        Key.Money("scenario.rules.annual-auto-limit", "…while the customer's automatically paid total stays within this (CNY; assumption).", "20000 CNY"),

        Key.TimeDistribution("scenario.paper.filing-delay", "Paper: from the visit to the customer's claim, calendar time (assumption).", "lognormal(median: 3d, sigma: 1.0)") with { Max = LongSpan },
        Key.TimeDistribution("scenario.paper.document-transit", "Paper: from filing to the documents reaching the insurer (post, courier, counter; assumption).", "lognormal(median: 1d, sigma: 0.5)") with { Max = LongSpan },
        Key.Probability("scenario.paper.chase-share", "Paper: chance the reviewer chases missing documents. With the queue and transit defaults it calibrates claim-to-payment to AHIP: 93% within 14 days, 98% within 30 (SCENARIOS.md §4).", "12%"),
        Key.TimeDistribution("scenario.paper.chase-response", "Paper: how long a chased customer takes to send the documents, calendar time (calibrated with chase-share to AHIP's 98% within 30 days).", "exponential(mean: 12d)") with { Max = LongSpan },
        Key.Text("scenario.paper.payment-batch", "Paper: the insurer's daily payment batch leaves at this local time on banking days (HH:mm; assumption).", "15:00"),

        Key.TimeDistribution("scenario.review.backlog", "Desk time (office hours) a claim waits in the review queue; calibrated with the chase to AHIP (SCENARIOS.md §4).", "lognormal(median: 8h, sigma: 0.9)") with { Max = LongSpan },
        Key.TimeDistribution("scenario.review.duration", "Desk time of one manual review (assumption).", "lognormal(median: 45min, sigma: 0.5)") with { Max = LongSpan },
        Key.Text("scenario.review.opens", "Claims office opens (local HH:mm, Chinese business days; assumption).", "09:00"),
        Key.Text("scenario.review.closes", "Claims office closes (local HH:mm).", "17:00"),
        Key.Text("scenario.bank.opens", "On chain: the paying bank pays single claims from this local time on banking days (HH:mm; assumption).", "08:30"),
        Key.Text("scenario.bank.closes", "…until this local time (HH:mm).", "17:00"),

        Key.Time("scenario.on-chain.recognition", "On chain: the health commission's look-up that recognises an insured customer (assumption).", "2s"),
        Key.Time("scenario.on-chain.anchor-interval", "On chain: the data exchange anchors the stored visit records' Merkle root this often; the insurer gets each record with its proof after the anchor (assumption).", "1min", min: 1),
        Key.Size("scenario.on-chain.record-size", "Bytes of a visit record message between institutions (assumption).", "600B", min: 16),

        Key.Money("scenario.costs.per-touch", "Cost of one manual touch: keying in, a review, a document chase (CNY; assumption, the lab's knob).", "30 CNY"),
        Key.Money("scenario.costs.chain-per-claim", "On chain: running cost of the chain and gateways per claim (CNY; assumption).", "1 CNY"),
        PrivacyTables.Key("scenario.privacy.records", "each visit record (customer, hospital, insurer, health commission, regulator; each insurer's claims in its own channel; InsurancePrivacy)"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. InsuranceMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        new(Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.ClaimToPayment, 0.5), "median claim-to-payment time, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.ClaimToPayment, 0.9), "90th percentile of claim-to-payment time, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.VisitToPayment, 0.5), "median visit-to-payment time, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.VisitToPayment, 0.9), "90th percentile of visit-to-payment time, seconds"),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused (claims without consent)"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, claims-audit violations, diverging replicas, who-can-read breaches"),
        .. PrivacyTables.Metrics(),
    ];

    /// <summary>The who-can-read table (issue 14 §6) of the first on-chain variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, InsurancePrivacy.Parties, InsurancePrivacy.Items, "on the claims chain",
            "customer: the insured (its own items, through the app); hospital: the one that treated (its records, through the exchange's gateway); other-insurer: an insurer that is not the customer's (each insurer's claims are in its own channel); " +
            "consent and claim: plain channel state the contract checks and adjudicates on; visit-record: the record (diagnosis, bill) sealed for customer, hospital, insurer, health commission and regulator; payment: the plain payment instruction.");

    /// <summary>"settlement": claim-to-payment time.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } = [new(Lab.Reports.MetricWord.Settlement, InsuranceMetrics.ClaimToPayment)];

    /// <summary>Transactions come from the institutions, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout").Distinct()];

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.process") == OnChainProcess;

    private static readonly string[] Clock = ["scenario.paper.payment-batch", "scenario.review.opens", "scenario.review.closes", "scenario.bank.opens", "scenario.bank.closes"];
    private static readonly string[] Cny = ["scenario.rules.auto-limit", "scenario.rules.annual-auto-limit", "scenario.costs.per-touch", "scenario.costs.chain-per-claim"];

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!FinanceConfig.TryStart(c.Text("start"), out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-03-02T00:00+08:00, got '{c.Text("start")}'");
        foreach (var key in Clock)
            if (!TryTime(c.Text(key), out _)) problems.Error(c.MarkOf(key), key, $"expected a local time HH:mm, got '{c.Text(key)}'");
        foreach (var key in Cny)
            if (c.Get<Lab.Experiments.Values.Money>(key).Currency != "CNY")
                problems.Error(c.MarkOf(key), key, $"the claims scenario pays in CNY; got {c.Get<Lab.Experiments.Values.Money>(key).Currency}");
        if (c.Number("scenario.visits.inpatient-share") + c.Number("scenario.visits.special-share") > 1)
            problems.Error(c.MarkOf("scenario.visits.special-share"), "scenario.visits.special-share",
                $"inpatient-share and special-share add up to more than 100% ({(c.Number("scenario.visits.inpatient-share") + c.Number("scenario.visits.special-share")) * 100:0.#}%)");
        foreach (var (open, close) in new[] { ("scenario.review.opens", "scenario.review.closes"), ("scenario.bank.opens", "scenario.bank.closes") })
            if (TryTime(c.Text(open), out var o) && TryTime(c.Text(close), out var cl) && cl <= o)
                problems.Error(c.MarkOf(close), close, $"closes at {c.Text(close)}, not after it opens ({open}: {c.Text(open)})");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "insurance claims run with modelled signatures only (institutions submit without consortium keys)");
        // The runner ends every run at `duration`: it must leave time for the last visit's paper claim to be paid.
        if (!problems.HasErrors)
        {
            var end = Options(c).SuggestedEnd;
            FinanceConfig.RequireDuration(c, end, "the last claims to be paid", "the first day, the visits' window and 90 days", problems);
        }
    }


    private static bool TryTime(string text, out TimeOnly t) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out t);

    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        ClaimsJourneys.Follow(planned, points);

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static InsuranceOptions Options(RunConfig c)
    {
        FinanceConfig.TryStart(c.Text("start"), out var start);
        IReadOnlyList<string> Regions(string key, IReadOnlyList<string> fallback) => c.Strings(key) is { Count: > 0 } r ? r : fallback;
        TimeOnly At(string key) => TryTime(c.Text(key), out var t) ? t : default;
        long Fen(string key) => (long)Math.Round(c.Get<Lab.Experiments.Values.Money>(key).Amount * 100);
        double Yuan(string key) => (double)c.Get<Lab.Experiments.Values.Money>(key).Amount;
        return new InsuranceOptions
        {
            Start = start,
            Customers = c.Int("institutions.customers.count"),
            ConsentShare = c.Number("institutions.customers.consent-share"),
            Hospitals = c.Int("institutions.hospitals.count"),
            HospitalRegions = Regions("institutions.hospitals.regions", ["hangzhou"]),
            Insurers = c.Int("institutions.insurers.count"),
            InsurerRegions = Regions("institutions.insurers.regions", ["shanghai"]),
            AuthorityRegion = c.Text("institutions.authorities.region"),
            BankRegion = c.Text("institutions.claims-bank.region"),
            Process = c.Text("scenario.process") == OnChainProcess ? ClaimsProcess.OnChain : ClaimsProcess.Traditional,
            Visits = c.Int("scenario.visits.count"),
            VisitWindow = c.Time("scenario.visits.window"),
            InpatientShare = c.Number("scenario.visits.inpatient-share"),
            SpecialShare = c.Number("scenario.visits.special-share"),
            OutpatientAmount = c.Distribution("scenario.visits.outpatient-amount"),
            InpatientAmount = c.Distribution("scenario.visits.inpatient-amount"),
            AutoLimitFen = Fen("scenario.rules.auto-limit"),
            AnnualAutoLimitFen = Fen("scenario.rules.annual-auto-limit"),
            FilingDelay = c.Distribution("scenario.paper.filing-delay"),
            DocumentTransit = c.Distribution("scenario.paper.document-transit"),
            ChaseShare = c.Number("scenario.paper.chase-share"),
            ChaseResponse = c.Distribution("scenario.paper.chase-response"),
            PaymentBatch = At("scenario.paper.payment-batch"),
            Backlog = c.Distribution("scenario.review.backlog"),
            Review = c.Distribution("scenario.review.duration"),
            OfficeOpen = At("scenario.review.opens"),
            OfficeClose = At("scenario.review.closes"),
            BankOpen = At("scenario.bank.opens"),
            BankClose = At("scenario.bank.closes"),
            Recognition = c.Time("scenario.on-chain.recognition"),
            AnchorInterval = c.Time("scenario.on-chain.anchor-interval"),
            RecordBytes = (int)c.Size("scenario.on-chain.record-size").Bytes,
            Privacy = PrivacyTables.On(c, "scenario.privacy.records"),
            CostPerTouch = Yuan("scenario.costs.per-touch"),
            ChainCostPerClaim = Yuan("scenario.costs.chain-per-claim"),
        };
    }

    public World Build(RunContext context)
    {
        var options = Options(context.Config);
        var chain = options.Process == ClaimsProcess.OnChain ? FinanceChain.For(context, "on-chain claims run") : null;
        var spec = InsuranceWorld.Build(options, context.Network, context.Seed, chain);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec));
    }

    private static void Finish(RunResult run, InsuranceWorldSpec spec)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its checkers' findings
        if (results.AuditViolations > 0)
        {
            var findings = results.AuditFindings.DefaultIfEmpty($"{results.AuditViolations} claims-ledger violation(s)").ToList();
            for (int i = 0; i < findings.Count; i++) FinanceChain.Violation(run, findings[i], i == 0 ? results.AuditViolations : 0);
        }
        if (results.EvidenceFailed > 0) FinanceChain.Violation(run, $"{results.EvidenceFailed} visit record(s) did not match their anchored Merkle root", results.EvidenceFailed);
        if (results.ReplicasAgree == false) FinanceChain.Violation(run, "replicas at the same height hold different claims ledgers");
        foreach (var b in results.PrivacyBreaches) FinanceChain.Violation(run, "who-can-read: " + b);
    }

    /// <summary>
    /// The report's opening sentences (<see cref="ClaimsHeadline.Compose"/>): the first traditional variant against the
    /// first on-chain one, over all their replications with 95% intervals. Nothing unless the experiment has both.
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, InsuranceMetrics.OnChain) is not { } pair) return [];
        var (t, o) = pair;
        // Every figure here (times, shares, costs, counts) is non-negative: a t-interval below 0 is clipped.
        static Estimate Of(Lab.Reports.PointResult p, string key) => Headlines.Of(p, key, nonNegative: true);
        var claim50 = Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.ClaimToPayment, 0.5);
        var claim90 = Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.ClaimToPayment, 0.9);
        var visit50 = Lab.Sim.Metrics.Quantile.Name(InsuranceMetrics.VisitToPayment, 0.5);
        var perTouch = t.Replications.Count > 0 && t.Replications[0].Metrics.Scalars.TryGetValue(InsuranceMetrics.CostPerTouchCny, out var ct) ? ct : double.NaN;
        return
        [
            ClaimsHeadline.Compose(new ClaimsFigures
            {
                Traditional = t.Variant,
                OnChain = o.Variant,
                Replications = Math.Min(t.Replications.Count, o.Replications.Count),
                TraditionalMedianS = Of(t, claim50),
                TraditionalWithin14d = Of(t, InsuranceMetrics.Within14d),
                TraditionalWithin30d = Of(t, InsuranceMetrics.Within30d),
                TraditionalVisitMedianS = Of(t, visit50),
                OnChainMedianS = Of(o, claim50),
                OnChainP90S = Of(o, claim90),
                AutoShare = Of(o, InsuranceMetrics.AutoShare),
                TraditionalCost = Of(t, InsuranceMetrics.CostPerClaim),
                OnChainCost = Of(o, InsuranceMetrics.CostPerClaim),
                RefusedNoConsent = Of(o, InsuranceMetrics.RefusedNoConsent),
                Claims = Of(o, InsuranceMetrics.Claims),
                EvidenceFailed = Of(o, InsuranceMetrics.EvidenceFailed),
                CostPerTouch = perTouch,
            }),
        ];
    }
}
