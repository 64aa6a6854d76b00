using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Finance.Warehousing;
using Lab.Ledger.Crypto;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: warehouse-receipts</c> — warehouse-receipt pledges with IoT sensors (issue 13 §3): the same lots,
/// owners, frauds and loan applications go through N separate bank registries (<c>scenario.registry: separate</c>) or
/// one receipt contract on a consortium chain (<c>on-chain</c>, on <c>chain.protocol</c>). Builds
/// <see cref="WarehouseWorld"/>; the YAML → options mapping is the table in src/Lab.Finance/README.md.
/// </summary>
public sealed class WarehouseReceiptsModel : IModel
{
    public string Name => "warehouse-receipts";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "warehouse-receipt pledges: separate bank registries (double pledges, phantom receipts, goods removed) versus one receipt contract on chain with signed IoT readings, on the same lots and frauds";

    private const string Separate = "separate";
    /// <summary>Upper bound of the scenario's time distributions, seconds (ten years: the kernel's nanoseconds stay far from overflow).</summary>
    private const double LongSpan = 3650.0 * 86400;
    private const string OnChainRegistry = "on-chain";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("institutions.warehouses.count", "Warehouses keeping the lots (on chain each runs a sensor gateway and issues receipts).", 4, min: 1, max: 1000),
        Key.List("institutions.warehouses.regions", KeyType.Identifier, "Regions the warehouses are spread over, round-robin (Qingdao 2014: bonded warehouses at Qingdao port).", "[qingdao]"),
        Key.Int("institutions.lenders.count", "Banks lending against warehouse receipts (Qingdao 2014: the same cargo was pledged to 13 banks; assumption: 8).", 8, min: 1, max: 1000),
        Key.List("institutions.lenders.regions", KeyType.Identifier, "Regions the lending banks are spread over, round-robin.", "[beijing, shanghai, qingdao]"),
        Key.Int("institutions.owners.count", "Owners of goods (traders) who pledge receipts.", 20, min: 1, max: 100_000),

        Key.Int("scenario.lots.count", "Physical lots stored over the run, one receipt each (a phantom fraud adds more).", 200, min: 1, max: 1_000_000),
        Key.Time("scenario.lots.window", "Lots arrive uniformly over this span from the start.", "60d", min: 3600),
        Key.NumberDistribution("scenario.lots.tonnage", "Tonnes per lot, drawn per lot (at least 1 t). Assumption: median 2,000 t, a port-warehouse bay of copper or alumina.", "lognormal(mu: 7.6, sigma: 0.5)"),
        Key.Money("scenario.lots.price", "Price of the goods per tonne (CNY only). SHFE copper mid-2014 ≈ 48,000 CNY/t.", "48000 CNY"),

        Key.Probability("scenario.pledges.loan-to-value", "Loan as a share of the pledged goods' value (assumption: commodity pledge loans are typically 60–80%).", "70%"),
        Key.Time("scenario.pledges.tenor", "Loan tenor from the funding decision to maturity (assumption: 3-month commodity financing).", "90d", min: 86400),
        Key.TimeDistribution("scenario.pledges.apply-after", "From a receipt's issue to the owner's first loan application (assumption).", "exponential(mean: 2d)") with { Max = LongSpan },
        Key.Probability("scenario.pledges.honest-default-rate", "Chance an honest owner does not repay at maturity; the bank then disposes of the goods (assumption).", "2%"),
        Key.TimeDistribution("scenario.pledges.due-diligence", "Separate registries: bank desk time (09:00–17:00 business days) from application to decision: documents, a visit, the bank's own registry (assumption: about a working week).", "lognormal(median: 40h, sigma: 0.6)") with { Max = LongSpan },
        Key.TimeDistribution("scenario.pledges.due-diligence-on-chain", "On chain: the same desk time when receipt, pledge status and sensor history are read from the ledger (assumption).", "lognormal(median: 2h, sigma: 0.6)") with { Max = LongSpan },

        Key.Choice("scenario.registry", "Where pledges are registered: `separate` (each bank its own registry; the traditional baseline) or `on-chain` (one receipt contract on `chain.protocol`).", [Separate, OnChainRegistry], Separate),

        Key.Probability("scenario.pledge-fraud.owner-share", "Share of owners who commit fraud on every lot they own (assumption; the lab's knob, not a measured rate).", "15%"),
        Key.Number("scenario.pledge-fraud.double-pledge", "Relative weight of the strategy: pledge the one real receipt to several banks.", "0.4", min: 0, max: 1000),
        Key.Number("scenario.pledge-fraud.phantom-receipts", "Relative weight of the strategy: receipts beyond the stock (a colluding warehouse issues several for the same goods), each pledged to another bank.", "0.3", min: 0, max: 1000),
        Key.Number("scenario.pledge-fraud.remove-goods", "Relative weight of the strategy: pledge honestly, then take the goods out of the bay.", "0.3", min: 0, max: 1000),
        Key.Int("scenario.pledge-fraud.banks-per-lot", "Double pledge: banks the same receipt is pledged to (Qingdao 2014: up to 13; assumption: 3).", 3, min: 2, max: 1000),
        Key.Factor("scenario.pledge-fraud.receipts-multiple", "Phantom receipts: receipts issued as a multiple of the tonnage in store (Qingdao 2014: ~300,000 t of receipts against ~100,000 t, ~3×).", "3x", min: 2),
        Key.TimeDistribution("scenario.pledge-fraud.removal-after", "Remove goods: from the loan application to the start of the removal (assumption).", "exponential(mean: 20d)") with { Max = LongSpan },
        Key.Time("scenario.pledge-fraud.removal-time", "Remove goods: how long emptying the bay takes (linear).", "5d", min: 3600),

        Key.Time("scenario.inspections.interval", "Separate registries: each bank inspects each lot it lends against this often (first visit at a random phase; assumption: monthly; 0: never).", "30d"),
        Key.Probability("scenario.inspections.detects", "Chance an inspection that meets a short lot reports it (a colluding warehouse may show other goods; assumption).", "70%"),

        Key.Time("scenario.sensors.interval", "On chain: how often each lot's sensors post a signed reading (weight, location, temperature).", "1h", min: 60),
        Key.Int("scenario.sensors.per-lot", "Sensors per lot (weight, location tag, temperature).", 3, min: 1, max: 100),
        Key.Probability("scenario.sensors.tolerance", "A lot lighter than its receipts by more than this share is flagged (assumption: load-cell accuracy ≈ 0.1–0.5%, plus moisture loss).", "1%"),
        Key.Size("scenario.sensors.reading-size", "Bytes per signed reading in a transaction (an ECDSA signature is 64 bytes).", "96B", min: 16),
        Key.Time("scenario.sensors.cpu-per-reading", "Contract CPU per reading (device signature check) on every replica.", "20us"),
        Key.Choice("scenario.sensors.batching", "One transaction per warehouse gateway per interval (`per-warehouse`) or one per lot (`per-lot`).", ["per-warehouse", "per-lot"], "per-warehouse"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. WarehouseMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        new(Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.DetectionTime, 0.5), "median detection time, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.DetectionTime, 0.9), "90th percentile of detection time, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.LoanTurnaround, 0.5), "median loan turnaround, seconds"),
        new(Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.LoanTurnaround, 0.9), "90th percentile of loan turnaround, seconds"),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused (second pledges, receipts beyond stock)"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, conservation or receipt-audit violations, diverging replicas, privacy-rule breaches, receipt documents failing their evidence check"),
        .. WarehousePrivacy.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
    ];

    /// <summary>"exposure": principal outstanding on fraudulent pledges; "settlement": loan turnaround (application → decision).</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } =
    [
        new("exposure", WarehouseMetrics.FraudExposure),
        new(Lab.Reports.MetricWord.Settlement, WarehouseMetrics.LoanTurnaround),
    ];

    /// <summary>Transactions come from warehouses and banks, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout").Distinct()];

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.registry") == OnChainRegistry;

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!FinanceConfig.TryStart(c.Text("start"), out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-03-02T00:00+08:00, got '{c.Text("start")}'");
        var price = c.Get<Lab.Experiments.Values.Money>("scenario.lots.price");
        if (price.Currency != "CNY")
            problems.Error(c.MarkOf("scenario.lots.price"), "scenario.lots.price", $"the warehouse-receipt scenario lends in CNY; got {price.Currency}");
        if (price.Amount <= 0)
            problems.Error(c.MarkOf("scenario.lots.price"), "scenario.lots.price", "a price per tonne must be positive");
        if (c.Distribution("scenario.lots.tonnage").Minimum < 0)
            problems.Error(c.MarkOf("scenario.lots.tonnage"), "scenario.lots.tonnage", "must not be negative");
        var weights = new[] { "scenario.pledge-fraud.double-pledge", "scenario.pledge-fraud.phantom-receipts", "scenario.pledge-fraud.remove-goods" };
        if (c.Number("scenario.pledge-fraud.owner-share") > 0 && weights.Sum(c.Number) <= 0)
            problems.Error(c.MarkOf(weights.FirstOrDefault(c.Has) ?? "scenario.pledge-fraud.owner-share"), "scenario.pledge-fraud",
                "fraudulent owners need a strategy: give at least one of double-pledge, phantom-receipts, remove-goods a positive weight (or set owner-share: 0)");
        if (c.Number("scenario.pledge-fraud.double-pledge") > 0 && c.Int("scenario.pledge-fraud.banks-per-lot") > c.Int("institutions.lenders.count"))
            problems.Error(c.MarkOf("scenario.pledge-fraud.banks-per-lot"), "scenario.pledge-fraud.banks-per-lot",
                $"a receipt cannot be pledged to {c.Int("scenario.pledge-fraud.banks-per-lot")} different banks when there are {c.Int("institutions.lenders.count")} (institutions.lenders.count)");
        if (c.Number("scenario.pledge-fraud.phantom-receipts") > 0 && Math.Round(c.Number("scenario.pledge-fraud.receipts-multiple")) > c.Int("institutions.lenders.count"))
            problems.Error(c.MarkOf("scenario.pledge-fraud.receipts-multiple"), "scenario.pledge-fraud.receipts-multiple",
                $"each phantom receipt goes to another bank: {c.Number("scenario.pledge-fraud.receipts-multiple")}× needs at least as many banks (institutions.lenders.count: {c.Int("institutions.lenders.count")})");
        if (RunsOnChain(c) && c.Time("scenario.sensors.interval") > c.Time("scenario.pledges.tenor"))
            problems.Error(c.MarkOf("scenario.sensors.interval"), "scenario.sensors.interval", "sensors must report at least once per loan tenor (scenario.pledges.tenor)");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "warehouse receipts run with modelled signatures only (gateways and banks submit without consortium keys)");
        // The runner ends every run at `duration`: it must cover the last loan's maturity and its disposal.
        if (!problems.HasErrors)
        {
            var options = Options(c);
            var end = options.SuggestedEnd(WarehouseBook.Generate(options, 0));
            FinanceConfig.RequireDuration(c, end, "the last loans to mature and close",
                "the lots' window, the last application, the tenor and three weeks for disposals", problems);
        }
    }


    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        WarehouseJourneys.Follow(planned, points);

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static WarehouseOptions Options(RunConfig c)
    {
        FinanceConfig.TryStart(c.Text("start"), out var start);
        IReadOnlyList<string> Regions(string key, IReadOnlyList<string> fallback) => c.Strings(key) is { Count: > 0 } r ? r : fallback;
        return new WarehouseOptions
        {
            Start = start,
            Warehouses = c.Int("institutions.warehouses.count"),
            Banks = c.Int("institutions.lenders.count"),
            Owners = c.Int("institutions.owners.count"),
            WarehouseRegions = Regions("institutions.warehouses.regions", ["qingdao"]),
            BankRegions = Regions("institutions.lenders.regions", ["beijing", "shanghai", "qingdao"]),
            Lots = c.Int("scenario.lots.count"),
            ArrivalWindow = c.Time("scenario.lots.window"),
            Tonnage = c.Distribution("scenario.lots.tonnage"),
            PricePerTonne = (long)Math.Round(c.Get<Lab.Experiments.Values.Money>("scenario.lots.price").Amount),
            LoanToValue = c.Number("scenario.pledges.loan-to-value"),
            Tenor = c.Time("scenario.pledges.tenor"),
            ApplyAfter = c.Distribution("scenario.pledges.apply-after"),
            HonestDefaultRate = c.Number("scenario.pledges.honest-default-rate"),
            SeparateDueDiligence = c.Distribution("scenario.pledges.due-diligence"),
            OnChainDueDiligence = c.Distribution("scenario.pledges.due-diligence-on-chain"),
            Registry = c.Text("scenario.registry") == OnChainRegistry ? PledgeRegistry.OnChain : PledgeRegistry.Separate,
            FraudOwnerShare = c.Number("scenario.pledge-fraud.owner-share"),
            DoublePledgeWeight = c.Number("scenario.pledge-fraud.double-pledge"),
            PhantomWeight = c.Number("scenario.pledge-fraud.phantom-receipts"),
            RemovalWeight = c.Number("scenario.pledge-fraud.remove-goods"),
            BanksPerLot = c.Int("scenario.pledge-fraud.banks-per-lot"),
            ReceiptsMultiple = c.Number("scenario.pledge-fraud.receipts-multiple"),
            RemovalAfter = c.Distribution("scenario.pledge-fraud.removal-after"),
            RemovalTime = c.Time("scenario.pledge-fraud.removal-time"),
            InspectionInterval = c.Time("scenario.inspections.interval"),
            InspectionDetects = c.Number("scenario.inspections.detects"),
            SensorInterval = c.Time("scenario.sensors.interval"),
            SensorsPerLot = c.Int("scenario.sensors.per-lot"),
            WeightTolerance = c.Number("scenario.sensors.tolerance"),
            ReadingBytes = (int)c.Size("scenario.sensors.reading-size").Bytes,
            CpuPerReading = c.Time("scenario.sensors.cpu-per-reading"),
            Batching = c.Text("scenario.sensors.batching") == "per-lot" ? SensorBatching.PerLot : SensorBatching.PerWarehouse,
        };
    }

    public World Build(RunContext context)
    {
        var options = Options(context.Config);
        var chain = options.Registry == PledgeRegistry.OnChain ? FinanceChain.For(context, "an on-chain registry runs") : null;
        var spec = WarehouseWorld.Build(options, context.Network, context.Seed, chain);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec));
    }

    private static void Finish(RunResult run, WarehouseWorldSpec spec)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its checkers' findings
        if (results.AuditViolations > 0)
        {
            // All the audit's violations count once; each of its findings is listed (the first carries the count).
            var findings = results.AuditFindings.DefaultIfEmpty($"{results.AuditViolations} receipt-ledger violation(s)").ToList();
            for (int i = 0; i < findings.Count; i++) FinanceChain.Violation(run, findings[i], i == 0 ? results.AuditViolations : 0);
        }
        if (results.ReplicasAgree == false) FinanceChain.Violation(run, "replicas at the same height hold different receipt ledgers");
        if (results.Privacy is { } p)
        {
            foreach (var b in p.Breaches) FinanceChain.Violation(run, "who-can-read: " + b);
            var findings = p.Evidence.Findings;
            for (int i = 0; i < findings.Count; i++) FinanceChain.Violation(run, findings[i], i == 0 ? p.Evidence.Failed : 0);
        }
    }

    /// <summary>The who-can-read table of the report (issue 14 §6), from the first on-chain variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, WarehousePrivacy.Parties, WarehousePrivacy.Items, "on the warehouse-receipt chain",
            "warehouse, owner, pledgee: the receipt's warehouse, its owner and the bank whose loan terms are stored; other-*: an institution of the same kind it does not name; regulator: the supervisor (holds a replica, every sealed item is sealed for it).");

    /// <summary>
    /// The report's opening sentences (<see cref="PledgeHeadline.Compose"/>): the first separate-registry variant against the
    /// first on-chain one, over all their replications with 95% intervals. Nothing unless the experiment has both.
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, WarehouseMetrics.OnChain) is not { } pair) return [];
        var (t, o) = pair;
        // Every figure here (money, durations, shares, rates) is non-negative: a t-interval below 0 is clipped.
        static Estimate Of(Lab.Reports.PointResult p, string key) => Headlines.Of(p, key, nonNegative: true);
        var detection = Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.DetectionTime, 0.5);
        var turnaround = Lab.Sim.Metrics.Quantile.Name(WarehouseMetrics.LoanTurnaround, 0.5);
        return
        [
            PledgeHeadline.Compose(new PledgeFigures
            {
                Traditional = t.Variant,
                OnChain = o.Variant,
                Replications = Math.Min(t.Replications.Count, o.Replications.Count),
                TraditionalExposurePeak = Of(t, WarehouseMetrics.FraudExposurePeak),
                OnChainExposurePeak = Of(o, WarehouseMetrics.FraudExposurePeak),
                TraditionalLoss = Of(t, WarehouseMetrics.FraudLoss),
                OnChainLoss = Of(o, WarehouseMetrics.FraudLoss),
                TraditionalDetectionMedianS = Of(t, detection),
                OnChainDetectionMedianS = Of(o, detection),
                TraditionalFraudRefusedShare = Of(t, WarehouseMetrics.FraudRefusedShare),
                OnChainFraudRefusedShare = Of(o, WarehouseMetrics.FraudRefusedShare),
                TraditionalTurnaroundMedianS = Of(t, turnaround),
                OnChainTurnaroundMedianS = Of(o, turnaround),
                SensorMessagesPerLotDay = Of(o, WarehouseMetrics.SensorMessagesPerLotDay),
                ChainTxPerDay = Of(o, WarehouseMetrics.ChainTxPerDay),
            }),
        ];
    }
}
