using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Finance.Confirmations;
using Lab.Finance.Privacy;
using Lab.Finance.Securities;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: bank-confirmations</c> — bank confirmations for audits (issue 14 §3, SCENARIOS.md §5): the same
/// requests go by paper letters through the post (<c>scenario.channel: paper</c>) or as sealed contract steps on the
/// confirmation platform's chain (<c>on-chain</c>, on <c>chain.protocol</c>), where the who-can-read matrix is derived
/// from a replica's state (issue 14 §6). Builds <see cref="ConfirmationWorld"/>; the YAML → options mapping is the
/// table in src/Lab.Finance/README.md.
/// </summary>
public sealed class BankConfirmationsModel : IModel
{
    public string Name => "bank-confirmations";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "bank confirmations for audits: paper letters by post versus sealed contract steps on the confirmation platform, on the same requests, with who can read what";

    private const string Paper = "paper";
    private const string OnChainChannel = "on-chain";
    private const double LongSpan = 3650.0 * 86400;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("institutions.audit-firms.count", "Audit firms requesting confirmations (at least 2: the who-can-read matrix has a row for another firm). Assumption.", 4, min: 2, max: 1000),
        Key.List("institutions.audit-firms.regions", KeyType.Identifier, "Regions the audit firms are spread over, round-robin.", "[beijing, shanghai]"),
        Key.Int("institutions.clients.count", "Audited companies; each is audited by one firm and banks with one bank (at least 2). Assumption.", 40, min: 2, max: 100_000),
        Key.List("institutions.clients.regions", KeyType.Identifier, "Regions the clients are spread over, round-robin.", "[beijing, shanghai, shenzhen]"),
        Key.Int("institutions.confirming-banks.count", "Banks with a confirmation desk (at least 2). Assumption.", 8, min: 2, max: 1000),
        Key.List("institutions.confirming-banks.regions", KeyType.Identifier, "Regions the banks' confirmation desks are spread over, round-robin.", "[beijing, shanghai]"),

        Key.Choice("scenario.channel", "How confirmations travel: `paper` (letters by post, the traditional baseline) or `on-chain` (sealed contract steps on the platform's chain, `chain.protocol`).", [Paper, OnChainChannel], Paper),
        Key.Int("scenario.requests.count", "Confirmation requests over the run (one per client account relationship; assumption).", 400, min: 1, max: 1_000_000),
        Key.Time("scenario.requests.window", "Requests are sent uniformly over this much office time (09:00–17:00 on Chinese business days) from the start; 160h is four working weeks (assumption: the year-end audit season).", "160h", min: 3600) with { Max = LongSpan },
        Key.Probability("scenario.requests.missing-authorisation", "Share of requests the client never authorises; the bank must not reply (assumption).", "3%"),
        Key.Probability("scenario.requests.tampered", "Share of replies a fraudster intercepts and replaces with a forgery (paper: a redirected letter; on chain: a substituted download). The lab's knob, not a measured rate.", "2%"),
        Key.Size("scenario.requests.content-size", "Bytes of a letter's content before sealing (accounts, loans, guarantees; assumption).", "2KB", min: 64),

        Key.NumberDistribution("scenario.post.days", "Paper: business days a letter takes, drawn per letter and rounded up (at least 1), delivered at 10:00. Assumption: domestic mail in China 1–3 days.", "uniform(0, 3)"),
        Key.TimeDistribution("scenario.paper.client-desk", "Paper: client's office time to sign, stamp and post the request letter to the bank (assumption).", "lognormal(median: 4h, sigma: 0.6)") with { Max = LongSpan },
        Key.TimeDistribution("scenario.paper.bank-desk", "Paper: bank confirmation desk's office time per letter (find the accounts, check the seal, reply); set with the post so paper confirmations take 5–15 days (SCENARIOS.md §5).", "lognormal(median: 8h, sigma: 0.6)") with { Max = LongSpan },
        Key.Probability("scenario.paper.follow-up", "Paper: share of requests the bank cannot answer on the first letter (seal mismatch, accounts not found); it writes back and the firm sends a second request (assumption).", "20%"),
        Key.TimeDistribution("scenario.paper.follow-up-desk", "Paper: the firm's office time to prepare the second request (assumption).", "lognormal(median: 4h, sigma: 0.6)") with { Max = LongSpan },

        Key.TimeDistribution("scenario.on-chain.client-desk", "On chain: client's office time to authorise the request with its electronic seal (assumption).", "exponential(mean: 15min)") with { Max = LongSpan },
        Key.Time("scenario.on-chain.bank-floor", "On chain: least office time a bank desk takes for a reply; with the quickest draws of a season the shortest turnaround is the CBA platform's 1 h 15 min (live Dec 2021; SCENARIOS.md §5).", "70min"),
        Key.TimeDistribution("scenario.on-chain.bank-desk", "On chain: the bank desk's office time beyond the floor; with the client's authorisation, calibrated so the mean turnaround in office hours is the CBA platform's 3 h 38 min (SCENARIOS.md §5).", "lognormal(median: 81min, sigma: 1)") with { Max = LongSpan },
        Key.Bool("scenario.privacy.regulator-reads", "Whether every sealed letter is also sealed for the regulator (supervisory access; the issue's rule 'a regulator reads everything'). Off: the regulator sees metadata and hashes only.", true),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. ConfirmationMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        .. new[] { ConfirmationMetrics.Turnaround, ConfirmationMetrics.OfficeTurnaround }.SelectMany(m => new[]
        {
            new MetricInfo(Lab.Sim.Metrics.Quantile.Name(m, 0.5), $"median of {m}"),
            new MetricInfo(Lab.Sim.Metrics.Quantile.Name(m, 0.9), $"90th percentile of {m}"),
        }),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused (tampered replies, replies without authorisation)"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role or not named in the confirmation"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, confirmation-audit violations, diverging replicas, privacy-rule breaches, filed replies failing their evidence check"),
    ];

    /// <summary>"settlement": the confirmation's turnaround (request sent → reply accepted); "settlement-time" draws it on a log time axis.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } =
        [new(Lab.Reports.MetricWord.Settlement, ConfirmationMetrics.Turnaround), new("settlement-time", ConfirmationMetrics.Turnaround)];

    /// <summary>Transactions come from firms, clients and banks, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout").Distinct()];

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.channel") == OnChainChannel;

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!FinanceConfig.TryStart(c.Text("start"), out _))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-03-02T00:00+08:00, got '{c.Text("start")}'");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "bank confirmations run with modelled signatures only (firms, clients and banks submit without consortium keys)");
        if (!problems.HasErrors)
        {
            var options = Options(c);
            var end = ConfirmationWorld.SuggestedEnd(options);
            FinanceConfig.RequireDuration(c, end, "the last paper confirmation to come back",
                "the request window, the slowest request's letters and desk work, and two weeks", problems);
        }
    }


    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        ConfirmationJourneys.Follow(planned, points);

    /// <summary>The Lab.Finance options of one resolved configuration (README table).</summary>
    public static ConfirmationOptions Options(RunConfig c)
    {
        FinanceConfig.TryStart(c.Text("start"), out var start);
        IReadOnlyList<string> Regions(string key, IReadOnlyList<string> fallback) => c.Strings(key) is { Count: > 0 } r ? r : fallback;
        return new ConfirmationOptions
        {
            Start = start,
            AuditFirms = c.Int("institutions.audit-firms.count"),
            Clients = c.Int("institutions.clients.count"),
            Banks = c.Int("institutions.confirming-banks.count"),
            FirmRegions = Regions("institutions.audit-firms.regions", ["beijing", "shanghai"]),
            ClientRegions = Regions("institutions.clients.regions", ["beijing", "shanghai", "shenzhen"]),
            BankRegions = Regions("institutions.confirming-banks.regions", ["beijing", "shanghai"]),
            Channel = c.Text("scenario.channel") == OnChainChannel ? ConfirmationChannel.OnChain : ConfirmationChannel.Paper,
            Requests = c.Int("scenario.requests.count"),
            Window = c.Time("scenario.requests.window"),
            MissingAuthorisationShare = c.Number("scenario.requests.missing-authorisation"),
            TamperShare = c.Number("scenario.requests.tampered"),
            ContentBytes = (int)c.Size("scenario.requests.content-size").Bytes,
            PostalDays = c.Distribution("scenario.post.days"),
            PaperClientDesk = c.Distribution("scenario.paper.client-desk"),
            PaperBankDesk = c.Distribution("scenario.paper.bank-desk"),
            FollowUpShare = c.Number("scenario.paper.follow-up"),
            FollowUpDesk = c.Distribution("scenario.paper.follow-up-desk"),
            OnChainClientDesk = c.Distribution("scenario.on-chain.client-desk"),
            OnChainBankFloor = c.Time("scenario.on-chain.bank-floor"),
            OnChainBankDesk = c.Distribution("scenario.on-chain.bank-desk"),
            RegulatorReads = c.Bool("scenario.privacy.regulator-reads"),
        };
    }

    public World Build(RunContext context)
    {
        var options = Options(context.Config);
        var chain = options.Channel == ConfirmationChannel.OnChain ? FinanceChain.For(context, "the confirmation platform runs") : null;
        var spec = ConfirmationWorld.Build(options, context.Network, context.Seed, chain);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run => Finish(run, spec));
    }

    private static void Finish(RunResult run, ConfirmationWorldSpec spec)
    {
        var results = spec.Derive(run); // on chain, also the chain's standard metrics and its checkers' findings
        if (results.AuditViolations > 0)
        {
            var findings = results.AuditFindings.DefaultIfEmpty($"{results.AuditViolations} confirmation-ledger violation(s)").ToList();
            for (int i = 0; i < findings.Count; i++) FinanceChain.Violation(run, findings[i], i == 0 ? results.AuditViolations : 0);
        }
        if (results.ReplicasAgree == false) FinanceChain.Violation(run, "replicas at the same height hold different confirmation ledgers");
        for (int i = 0; i < results.PrivacyBreaches.Count; i++)
            FinanceChain.Violation(run, "who-can-read: " + results.PrivacyBreaches[i]);
        if (results.Evidence is { } e)
        {
            for (int i = 0; i < e.Findings.Count; i++) FinanceChain.Violation(run, e.Findings[i], i == 0 ? e.Failed : 0);
            if (e.TamperedDetected < e.TamperedChecked)
                FinanceChain.Violation(run, $"{e.TamperedChecked - e.TamperedDetected} altered replies passed the evidence check", e.TamperedChecked - e.TamperedDetected);
        }
    }

    /// <summary>
    /// The report's opening sentences (<see cref="ConfirmationHeadline.Compose"/>): the first paper variant against the
    /// first on-chain one, over all their replications with 95% intervals. Nothing unless the experiment has both.
    /// </summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, ConfirmationMetrics.OnChain) is not { } pair) return [];
        var (t, o) = pair;
        // Every figure here (times, counts) is non-negative.
        static Estimate Of(Lab.Reports.PointResult p, string key) => Headlines.Of(p, key, nonNegative: true);
        static IEnumerable<double> All(Lab.Reports.PointResult p, string key) =>
            p.Replications.Select(r => r.Metrics.Scalars.TryGetValue(key, out var v) ? v : double.NaN).Where(double.IsFinite);
        var median = Lab.Sim.Metrics.Quantile.Name(ConfirmationMetrics.Turnaround, 0.5);
        const string Evidence = ConfirmationEvidence.MetricPrefix;
        return
        [
            ConfirmationHeadline.Compose(new ConfirmationFigures
            {
                Paper = t.Variant,
                OnChain = o.Variant,
                Replications = Math.Min(t.Replications.Count, o.Replications.Count),
                PaperMedianS = Of(t, median),
                PaperP90S = Of(t, Lab.Sim.Metrics.Quantile.Name(ConfirmationMetrics.Turnaround, 0.9)),
                OnChainMedianS = Of(o, median),
                OnChainOfficeMeanS = Of(o, ConfirmationMetrics.OfficeTurnaroundMean),
                OnChainOfficeMinS = Of(o, ConfirmationMetrics.OfficeTurnaroundMin),
                Tampered = All(t, ConfirmationMetrics.Tampered).Sum(),
                PaperForgedAccepted = All(t, ConfirmationMetrics.ForgedAccepted).Sum(),
                OnChainTamperDetected = All(o, ConfirmationMetrics.TamperDetected).Sum(),
                OnChainTampered = All(o, ConfirmationMetrics.Tampered).Sum(),
                Privacy = Matrix(o),
                PrivacyBreaches = All(o, ConfirmationMetrics.PrivacyBreaches).Sum(),
                RepliesProved = All(o, Evidence + "_verified").Sum(),
                RepliesChecked = All(o, Evidence + "_verified").Sum() + All(o, Evidence + "_failed").Sum() + All(o, Evidence + "_unanchored").Sum(),
                AlteredChecked = All(o, Evidence + "_tampered_checked").Sum(),
                AlteredCaught = All(o, Evidence + "_tampered_detected").Sum(),
            }),
        ];
    }

    /// <summary>The who-can-read matrix of the first on-chain run: party → item → words.</summary>
    private static IReadOnlyList<(string Party, IReadOnlyList<string> Cells)> Matrix(Lab.Reports.PointResult o) =>
        [.. ConfirmationPrivacy.Parties.Select(p => (p, (IReadOnlyList<string>)[.. ConfirmationPrivacy.Items.Select(i =>
            Headlines.First(o, ReadMatrix.MetricName(ConfirmationPrivacy.MetricPrefix, p, i)) is var v && double.IsFinite(v) ? ReadMatrix.Word(v) : "not measured")]))];

    /// <summary>The who-can-read table of the report (issue 14 §6), from the first on-chain variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        var o = points.FirstOrDefault(p => Headlines.First(p, ConfirmationMetrics.OnChain) == 1);
        if (o is null) return [];
        return
        [
            new Lab.Reports.ReportTable(
                $"Who can read what on the confirmation platform ({o.Variant}, derived from a replica's stored state after the run)",
                ["party", .. ConfirmationPrivacy.Items],
                [.. Matrix(o).Select(r => (IReadOnlyList<string>)[r.Party, .. r.Cells])],
                "auditor, client, bank: the firm, client and bank a confirmation names; other-*: an institution of the same kind it does not name; " +
                "operator: the platform operator; read: opened with the party's own key; hash only: the party's state holds ciphertext and digest; nothing: not served to the party."),
        ];
    }
}
