using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;

namespace Lab.Finance.Confirmations;

/// <summary>The figures of one run, from the firms' records and, on chain, a replica's state.</summary>
public sealed record ConfirmationResults
{
    public long Requests { get; init; }
    public long Answered { get; init; }
    public long Blocked { get; init; }
    public IReadOnlyList<double> TurnaroundsS { get; init; } = [];
    public IReadOnlyList<double> OfficeTurnaroundsS { get; init; } = [];
    public long FollowUps { get; init; }
    public long Tampered { get; init; }
    public long ForgedAccepted { get; init; }
    public long TamperDetected { get; init; }
    public long Unopened { get; init; }
    public long AuditViolations { get; init; }
    public IReadOnlyList<string> AuditFindings { get; init; } = [];
    public bool? ReplicasAgree { get; init; }
    /// <summary>On chain: the who-can-read matrix read from the latest replica's state, and where it breaks the rules.</summary>
    public ReadMatrix? Privacy { get; init; }
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];
    /// <summary>On chain: the filed replies checked against their anchored roots, and altered copies put to the same check (<see cref="ConfirmationEvidence"/>).</summary>
    public EvidenceTally? Evidence { get; init; }

    public static ConfirmationResults Derive(RunResult run, ConfirmationObserver observer, ConfirmationSetup setup)
    {
        var o = setup.Options;
        var book = setup.Book;
        ConfirmationRecord R(ConfirmationRequestDraw r) => observer.Records.TryGetValue(r.Index, out var x) ? x : new ConfirmationRecord();
        var answered = book.Requests.Where(r => R(r).RepliedNs >= 0).ToList();
        var onChain = o.Channel == ConfirmationChannel.OnChain;
        var (violations, findings, agree) = onChain ? observer.ChainAudit() : (0, [], true);
        ReadMatrix? matrix = null;
        IReadOnlyList<string> breaches = [];
        EvidenceTally? evidence = null;
        if (onChain && observer.Latest() is { } latest)
        {
            matrix = ConfirmationPrivacy.Derive(latest.State.Get, book.Requests.Select(r => r.Id), o, setup.Keys);
            breaches = matrix.Differences((p, i) => ConfirmationPrivacy.Expected(p, i, o.RegulatorReads));
            evidence = ConfirmationEvidence.Measure(latest.State.Get, setup, observer.Records);
        }
        var results = new ConfirmationResults
        {
            Requests = book.Requests.Count,
            Answered = answered.Count,
            Blocked = book.Requests.Count - answered.Count,
            TurnaroundsS = [.. answered.Select(r => (R(r).RepliedNs - r.PostedNs) / 1e9)],
            OfficeTurnaroundsS = [.. answered.Select(r => setup.Hours.WorkingSeconds(r.PostedNs, R(r).RepliedNs))],
            FollowUps = book.Requests.Count(r => R(r).FollowedUp),
            Tampered = answered.Count(r => r.Tampered),
            ForgedAccepted = book.Requests.Count(r => R(r).ForgedAccepted),
            TamperDetected = book.Requests.Count(r => R(r).TamperDetectedNs >= 0),
            Unopened = onChain ? answered.Count(r => !R(r).Opened) : 0,
            AuditViolations = violations,
            AuditFindings = findings,
            ReplicasAgree = onChain ? agree : null,
            Privacy = matrix,
            PrivacyBreaches = breaches,
            Evidence = evidence,
        };
        results.Write(run, onChain);
        // Follow one confirmation: every step of the followed requests; who is the request's firm, client or bank.
        var followed = setup.Trails.All.SelectMany(t => t.Steps.Select(s => (t.Request, Step: s))).ToList();
        int Who(int request, ConfirmationStep s)
        {
            var r = book.Requests[request];
            return s.Party switch { ConfirmationParty.Firm => r.Firm, ConfirmationParty.Client => o.AuditFirms + r.Client, _ => o.AuditFirms + o.Clients + r.Bank };
        }
        var m = run.Metrics;
        m.Samples[ConfirmationMetrics.JourneyRequest] = [.. followed.Select(x => (double)x.Request)];
        m.Samples[ConfirmationMetrics.JourneyStage] = [.. followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[ConfirmationMetrics.JourneyWho] = [.. followed.Select(x => (double)Who(x.Request, x.Step))];
        m.Samples[ConfirmationMetrics.JourneyAt] = [.. followed.Select(x => x.Step.AtNs / 1e9)];
        m.Samples[ConfirmationMetrics.JourneyDetail] = [.. followed.Select(x => (double)x.Step.Detail)];
        return results;
    }

    private void Write(RunResult run, bool onChain)
    {
        var m = run.Metrics;
        void S(string k, double v) => m.Scalars[k] = v;
        S(ConfirmationMetrics.Requests, Requests);
        S(ConfirmationMetrics.Answered, Answered);
        S(ConfirmationMetrics.Blocked, Blocked);
        S(ConfirmationMetrics.FollowUps, FollowUps);
        S(ConfirmationMetrics.Tampered, Tampered);
        S(ConfirmationMetrics.ForgedAccepted, ForgedAccepted);
        S(ConfirmationMetrics.TamperDetected, TamperDetected);
        S(ConfirmationMetrics.OnChain, onChain ? 1 : 0);
        foreach (var (samples, metric, mean, min) in new[]
                 {
                     (TurnaroundsS, ConfirmationMetrics.Turnaround, ConfirmationMetrics.TurnaroundMean, ConfirmationMetrics.TurnaroundMin),
                     (OfficeTurnaroundsS, ConfirmationMetrics.OfficeTurnaround, ConfirmationMetrics.OfficeTurnaroundMean, ConfirmationMetrics.OfficeTurnaroundMin),
                 })
        {
            m.Samples[metric] = [.. samples];
            if (samples.Count == 0) continue;
            var sorted = samples.Order().ToArray();
            S(mean, sorted.Average());
            S(min, sorted[0]);
            foreach (var p in new[] { 0.5, 0.9 }) S(Quantile.Name(metric, p), Quantile.OfSorted(sorted, p));
        }
        if (!onChain) return;
        S(ConfirmationMetrics.Unopened, Unopened);
        S(ConfirmationMetrics.AuditViolations, AuditViolations);
        if (ReplicasAgree is { } agree) S(ConfirmationMetrics.ReplicasAgree, agree ? 1 : 0);
        S(ConfirmationMetrics.PrivacyBreaches, PrivacyBreaches.Count);
        if (Privacy is not null)
            foreach (var (name, value) in Privacy.Metrics(ConfirmationPrivacy.MetricPrefix)) S(name, value);
        if (Evidence is not null) ConfirmationEvidence.Write(Evidence, m);
    }
}
