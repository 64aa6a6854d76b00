using Lab.Consensus.Common;
using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;

namespace Lab.Finance.Insurance;

/// <summary>The claims scenario's metric names, each defined once, with what each means (<see cref="Descriptions"/>).</summary>
public static class InsuranceMetrics
{
    public const string Claims = "claims";
    public const string Paid = "claims_paid";
    public const string OpenAtEnd = "claims_unpaid_at_end";
    public const string RefusedNoConsent = "claims_refused_no_consent";
    public const string AutoShare = "auto_adjudicated_share";
    public const string ClaimToPayment = "claim_to_payment_s";
    public const string VisitToPayment = "visit_to_payment_s";
    public const string Within14d = "paid_within_14d_share";
    public const string Within30d = "paid_within_30d_share";
    public const string CostPerClaim = "cost_per_claim_cny";
    public const string TouchesPerClaim = "manual_touches_per_claim";
    public const string CostPerTouchCny = "cost_per_touch_cny";
    public const string Chased = "claims_chased";
    public const string EvidenceVerified = "evidence_verified";
    public const string EvidenceFailed = "evidence_failed";
    public const string PaidCny = "claims_paid_cny";
    public const string AuditViolations = "claims_audit_violations";
    public const string ReplicasAgree = "claims_replicas_agree";
    public const string OnChain = "claims_on_chain";
    public const string ChainTxPerDay = "chain_tx_per_day";
    public const string ClaimStart = "claim_start_s";
    public const string ClaimEnd = "claim_end_s";
    public const string JourneyClaim = "journey_claim";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    public const string JourneyDetail = "journey_detail";

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (Claims, "claims: one per hospital visit (the same visits in both processes)"),
        (Paid, "claims paid by the end of the run"),
        (OpenAtEnd, "claims not paid by the end of the run"),
        (RefusedNoConsent, "on chain: claims the contract refused for missing consent (the customer then files on paper)"),
        (AutoShare, "claims paid without a human touch / claims (0 on paper)"),
        (ClaimToPayment, "samples: claim start (paper filing; on chain the visit record leaving the hospital) → payment, seconds"),
        (VisitToPayment, "samples: hospital visit → payment, seconds (includes the customer's delay in filing on paper)"),
        (Within14d, "claims paid within 14 days of their start / claims (AHIP: 93% of US claims within 14 days)"),
        (Within30d, "claims paid within 30 days of their start / claims (AHIP: 98% within 30 days)"),
        (CostPerClaim, "manual touches × cost per touch, plus on chain the chain's cost per claim, CNY per claim"),
        (TouchesPerClaim, "manual touches (keying in, reviews, document chases) per claim"),
        (CostPerTouchCny, "the assumed cost of one manual touch, CNY (scenario.costs.per-touch, echoed for the headline)"),
        (Chased, "paper claims whose documents the reviewer chased"),
        (EvidenceVerified, "on chain: visit records the insurer checked against the anchored Merkle root and found authentic"),
        (EvidenceFailed, "on chain: visit records that failed that check (must be 0)"),
        (PaidCny, "money paid on claims, CNY"),
        (AuditViolations, "claims that broke the ledger's invariants after a block (no consent, no evidence, instruction mismatch); must be 0"),
        (ReplicasAgree, "1 when replicas at the same height hold the same claims-ledger state"),
        (OnChain, "which process ran: 1 on chain, 0 paper"),
        (ChainTxPerDay, "transactions submitted to the chain per day of the run (consents, claims, anchors, decisions, payments)"),
        (ClaimStart, "claim timeline: when a sample of claims started, seconds (paired with claim_end_s)"),
        (ClaimEnd, "claim timeline: when that claim was paid (or the run's end), seconds"),
        (JourneyClaim, "followed claims (report: follow one claim): the claim's index, one sample per step; journey_stage, journey_who, journey_at_s and journey_detail align with it"),
        (JourneyStage, "followed claims: what the step was (0 visit, 1 recognised, 2 filed on chain, 3 refused on chain, 4 evidence stored, 5 evidence checked, 6 filed on paper, 7 documents received, 8 queued for review, 9 chased, 10 answered, 11 reviewed, 12 decided on chain, 13 payment ordered, 14 paid)"),
        (JourneyWho, "followed claims: who took the step (0 the customers' app, then hospitals, commission, exchange, insurers, bank)"),
        (JourneyAt, "followed claims: when the step was taken, s"),
        (JourneyDetail, "followed claims: the step's detail (filed: review reason code, 0 automatic; refused: reason code; evidence checked: 1 authentic; filed on paper: 1 after a refusal; queued: 1 after a chase; paid: fen)"),
    ];
}

/// <summary>Collects every replica's claims ledger for the end-of-run audit.</summary>
public sealed class InsuranceObserver : ISimulationObserver
{
    internal List<AuditedClaimsLedger> Ledgers { get; } = [];
    public void OnBarrier(ISimulationView view) { }
    public void OnEnd(ISimulationView view) { }

    /// <summary>The state of the most advanced replica (ties: by name): what a node of the consortium reads.</summary>
    public object? Read(string key)
    {
        AuditedClaimsLedger? best = null;
        foreach (var l in Ledgers)
            if (best is null || l.Runtime.Height > best.Runtime.Height) best = l;
        return best?.Runtime.State.Get(key);
    }

    internal (long Violations, IReadOnlyList<string> Findings, bool Agree) ChainAudit()
    {
        var violations = Ledgers.Sum(l => l.AuditViolations + l.Runtime.ConservationViolations);
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var l in Ledgers) if (l.Runtime.Node is { } n) latest[n] = l.Runtime;
        var agree = ContractRuntime.SameStateAtEachHeight(latest.Values);
        return (violations, [.. Ledgers.SelectMany(l => l.Findings).Take(10)], agree);
    }
}

/// <summary>The figures of one run, from the claim log.</summary>
public sealed record InsuranceResults
{
    public long Claims { get; init; }
    public long Paid { get; init; }
    public long RefusedNoConsent { get; init; }
    public long Automatic { get; init; }
    public long Touches { get; init; }
    public long Chased { get; init; }
    public long EvidenceVerified { get; init; }
    public long EvidenceFailed { get; init; }
    public long PaidFen { get; init; }
    public double Within14d { get; init; }
    public double Within30d { get; init; }
    public double CostPerClaimCny { get; init; }
    public IReadOnlyList<double> ClaimToPaymentS { get; init; } = [];
    public IReadOnlyList<double> VisitToPaymentS { get; init; } = [];
    public long AuditViolations { get; init; }
    public IReadOnlyList<string> AuditFindings { get; init; } = [];
    public bool? ReplicasAgree { get; init; }
    /// <summary>On chain with privacy: cells of the who-can-read matrix that break <see cref="InsurancePrivacy.Expected"/>.</summary>
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];

    /// <summary>Claims on the timeline: evenly spaced over the book, the same ones in both processes.</summary>
    public const int TimelineItems = 30;

    public static InsuranceResults Derive(RunResult run, ClaimLog log, InsuranceObserver? observer, InsuranceOptions o, InsuranceBook book)
    {
        var records = log.Records;
        const double day = 86400e9;
        var paid = records.Where(r => r.PaidNs >= 0).ToList();
        double Share(double days) => records.Length == 0 ? 0 : records.Count(r => r.PaidNs >= 0 && r.PaidNs - r.FiledNs <= days * day) / (double)records.Length;
        var touches = records.Sum(r => (long)r.Touches);
        var onChain = o.Process == ClaimsProcess.OnChain;
        var audit = observer is not null && onChain ? observer.ChainAudit() : ((long, IReadOnlyList<string>, bool)?)null;
        var results = new InsuranceResults
        {
            Claims = records.Length,
            Paid = paid.Count,
            RefusedNoConsent = records.Count(r => r.Refusal is not null),
            Automatic = records.Count(r => r.Route == ClaimRoute.OnChainAutomatic && r.Touches == 0 && r.PaidNs >= 0),
            Touches = touches,
            Chased = records.Count(r => r.Chased),
            EvidenceVerified = records.Count(r => r.EvidenceVerified == true),
            EvidenceFailed = records.Count(r => r.EvidenceVerified == false),
            PaidFen = paid.Sum(r => r.PaidFen),
            Within14d = Share(14),
            Within30d = Share(30),
            CostPerClaimCny = records.Length == 0 ? 0 : (touches * o.CostPerTouch + (onChain ? records.Length * o.ChainCostPerClaim : 0)) / records.Length,
            ClaimToPaymentS = [.. paid.Select(r => (r.PaidNs - r.FiledNs) / 1e9)],
            VisitToPaymentS = [.. records.Select((r, i) => (r, i)).Where(x => x.r.PaidNs >= 0).Select(x => (x.r.PaidNs - book.Visits[x.i].AtNs) / 1e9)],
            AuditViolations = audit?.Item1 ?? 0,
            AuditFindings = audit?.Item2 ?? [],
            ReplicasAgree = audit?.Item3,
        };
        results.Write(run, log, o);
        // Follow one claim: the visit (from the book) and every step the institutions wrote, for the followed claims.
        var followed = records.Select((r, i) => (r.Trail, Visit: book.Visits[i])).Where(x => x.Trail is not null)
            .SelectMany(x => x.Trail!.Prepend(new ClaimStep(x.Visit.AtNs, ClaimStage.Visit, x.Visit.AmountFen)).Select(s => (x.Visit, Step: s))).ToList();
        var m = run.Metrics;
        m.Samples[InsuranceMetrics.JourneyClaim] = [.. followed.Select(x => (double)x.Visit.Index)];
        m.Samples[InsuranceMetrics.JourneyStage] = [.. followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[InsuranceMetrics.JourneyWho] = [.. followed.Select(x => (double)ClaimTrail.Who(x.Step.Stage, x.Visit, book, o))];
        m.Samples[InsuranceMetrics.JourneyAt] = [.. followed.Select(x => x.Step.AtNs / 1e9)];
        m.Samples[InsuranceMetrics.JourneyDetail] = [.. followed.Select(x => (double)x.Step.Detail)];
        return results;
    }

    private void Write(RunResult run, ClaimLog log, InsuranceOptions o)
    {
        var m = run.Metrics;
        void S(string k, double v) => m.Scalars[k] = v;
        S(InsuranceMetrics.Claims, Claims);
        S(InsuranceMetrics.Paid, Paid);
        S(InsuranceMetrics.OpenAtEnd, Claims - Paid);
        S(InsuranceMetrics.RefusedNoConsent, RefusedNoConsent);
        S(InsuranceMetrics.AutoShare, Claims > 0 ? Automatic / (double)Claims : 0);
        S(InsuranceMetrics.Within14d, Within14d);
        S(InsuranceMetrics.Within30d, Within30d);
        S(InsuranceMetrics.CostPerClaim, CostPerClaimCny);
        S(InsuranceMetrics.TouchesPerClaim, Claims > 0 ? Touches / (double)Claims : 0);
        S(InsuranceMetrics.CostPerTouchCny, o.CostPerTouch);
        S(InsuranceMetrics.Chased, Chased);
        S(InsuranceMetrics.EvidenceVerified, EvidenceVerified);
        S(InsuranceMetrics.EvidenceFailed, EvidenceFailed);
        S(InsuranceMetrics.PaidCny, PaidFen / 100.0);
        S(InsuranceMetrics.AuditViolations, AuditViolations);
        S(InsuranceMetrics.OnChain, o.Process == ClaimsProcess.OnChain ? 1 : 0);
        if (ReplicasAgree is { } agree) S(InsuranceMetrics.ReplicasAgree, agree ? 1 : 0);
        var days = run.Stats.FinalTime.Seconds / 86400.0;
        S(InsuranceMetrics.ChainTxPerDay, days > 0 ? m.Counter(StandardMetrics.SubmittedTx) / days : 0);
        foreach (var (metric, values) in new[] { (InsuranceMetrics.ClaimToPayment, ClaimToPaymentS), (InsuranceMetrics.VisitToPayment, VisitToPaymentS) })
        {
            m.Samples[metric] = [.. values];
            var sorted = values.Order().ToArray();
            foreach (var p in new[] { 0.5, 0.9 })
                if (sorted.Length > 0) S(Quantile.Name(metric, p), Quantile.OfSorted(sorted, p));
        }
        var end = run.Stats.FinalTime.Nanos;
        var n = log.Records.Length;
        var picked = n <= TimelineItems ? Enumerable.Range(0, n) : Enumerable.Range(0, TimelineItems).Select(i => (int)((long)i * n / TimelineItems));
        m.Samples[InsuranceMetrics.ClaimStart] = [.. picked.Select(i => Math.Max(0, log.Records[i].FiledNs) / 1e9)];
        m.Samples[InsuranceMetrics.ClaimEnd] = [.. picked.Select(i => (log.Records[i].PaidNs >= 0 ? log.Records[i].PaidNs : end) / 1e9)];
    }
}
