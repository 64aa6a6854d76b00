using Lab.Consensus.Common;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Finance.Abs;

/// <summary>The figures of one run, derived from the parties' records, the replicas' ledgers and the reference waterfall over the book's tapes.</summary>
public sealed record AbsResults
{
    public IReadOnlyList<double> EventVisibleS { get; init; } = [];
    public IReadOnlyList<double> WaterfallVisibleS { get; init; } = [];
    public long LateReports { get; init; }
    public long Breaks { get; init; }
    public IReadOnlyList<double> BreakFoundAfterS { get; init; } = [];
    public long BreaksOpen { get; init; }
    public long WaterfallMismatches { get; init; }
    public long WaterfallViolations { get; init; }
    public IReadOnlyList<WaterfallResult> Reference { get; init; } = [];
    public IReadOnlyList<double> TradeSettlementS { get; init; } = [];
    public long MisdirectedFen { get; init; }
    public long Refusals { get; init; }
    public long AuditViolations { get; init; }
    public IReadOnlyList<string> AuditFindings { get; init; } = [];
    public bool? ReplicasAgree { get; init; }
    /// <summary>On chain with privacy: measured cells of the who-can-read matrix that break <see cref="AbsPrivacy.Expected"/>.</summary>
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];
    /// <summary>The followed loan events' steps (report: follow one loan event), event by event.</summary>
    public IReadOnlyList<(int Event, LoanEventStep Step)> Followed { get; init; } = [];

    public static AbsResults Derive(RunResult run, AbsObserver observer, AbsOptions o, AbsBook book)
    {
        var end = run.Stats.FinalTime.Nanos;
        var periods = book.Periods;
        var reference = book.Reference(o.Terms);
        var onChain = o.Reporting == AbsReporting.OnChain;

        // When every party holds each period (traditional) or each batch and close (on chain) correctly.
        var periodSeen = new long[periods.Count];
        var eventVisible = new List<double>(book.Events.Count);
        var knownNs = new long[book.Events.Count]; // per event: when every party holds it (the run's end: not by then)
        var breakFound = new List<double>();
        long breaks = 0, open = 0, mismatches = 0;
        if (onChain)
        {
            var batches = observer.SeenByNode(l => l.BatchSeenNs);
            var closes = observer.SeenByNode(l => l.CloseSeenNs);
            long AllSeen(SortedDictionary<string, SortedDictionary<int, long>> byNode, int key) => AbsObserver.Everyone(byNode, key, end);
            for (int k = 0; k < periods.Count; k++) periodSeen[k] = AllSeen(closes, k);
            var batchOf = observer.Servicer?.BatchOf;
            foreach (var e in book.Events)
            {
                var b = batchOf is null ? -1 : batchOf[e.Index];
                knownNs[e.Index] = b < 0 ? end : AllSeen(batches, b);
                eventVisible.Add(Math.Max(0, knownNs[e.Index] - e.AtNs) / 1e9);
            }
            foreach (var rt in observer.LatestRuntimes())
                for (int k = 0; k < periods.Count; k++)
                    if (rt.State.Get(DealContract.WaterfallKey(k)) is WaterfallResult r && r != reference[k]) mismatches++;
        }
        else
        {
            var trustee = observer.Trustee?.WaterfallNs;
            for (int k = 0; k < periods.Count; k++)
            {
                var seen = trustee is null || trustee[k] < 0 ? end : trustee[k];
                foreach (var (reader, party) in observer.Parties)
                {
                    var at = party.ReconciledNs;
                    var correct = at[k] < 0 ? end : at[k];
                    if (at[k] >= 0 && book.ReconcileError[reader][k])
                    {
                        breaks++;
                        // The break surfaces at this party's next reconciliation; until then its books are wrong.
                        var found = k + 1 < periods.Count && at[k + 1] >= 0 ? at[k + 1] : -1;
                        if (found >= 0) breakFound.Add((found - at[k]) / 1e9);
                        else open++;
                        correct = found >= 0 ? found : end;
                    }
                    seen = Math.Max(seen, correct);
                }
                periodSeen[k] = seen;
            }
            foreach (var e in book.Events)
            {
                knownNs[e.Index] = periodSeen[e.Period];
                eventVisible.Add(Math.Max(0, knownNs[e.Index] - e.AtNs) / 1e9);
            }
        }
        var waterfallVisible = periods.Select(p => Math.Max(0, periodSeen[p.Index] - p.EndNs) / 1e9).ToList();
        var late = periods.Count(p => periodSeen[p.Index] > p.PaymentNs);

        // Trades: when the register showed the buyer, and what was paid to the seller in the meantime.
        var settled = book.Trades.Select(t =>
        {
            long at = onChain
                ? observer.Parties.Values.Select(p => p.SettledNs[t.Index]).DefaultIfEmpty(-1).Max()
                : observer.Trustee?.RegisteredNs[t.Index] ?? -1;
            return at >= 0 ? at : end;
        }).ToArray();
        var units = book.Allocation.ToDictionary(kv => kv.Key, kv => kv.Value.Sum(), StringComparer.Ordinal);
        long misdirected = 0;
        foreach (var t in book.Trades)
            foreach (var p in periods)
                if (t.AtNs <= p.RecordNs && p.RecordNs < settled[t.Index] && p.PaymentNs <= end)
                {
                    var r = reference[p.Index];
                    var paid = t.Class == "A" ? r.InterestA + r.PrincipalA : r.InterestB + r.PrincipalB;
                    misdirected += (long)((Int128)paid * t.Units / units[t.Class]);
                }

        var (violations, findings, agree) = onChain ? observer.ChainAudit() : (0, [], true);
        var results = new AbsResults
        {
            EventVisibleS = eventVisible,
            WaterfallVisibleS = waterfallVisible,
            LateReports = late,
            Breaks = breaks,
            BreakFoundAfterS = breakFound,
            BreaksOpen = open,
            WaterfallMismatches = mismatches,
            WaterfallViolations = reference.Count(r => Waterfall.Check(r) is not null),
            Reference = reference,
            TradeSettlementS = book.Trades.Select(t => Math.Max(0, settled[t.Index] - t.AtNs) / 1e9).ToList(),
            MisdirectedFen = misdirected,
            Refusals = (observer.Servicer?.Declined ?? 0) + observer.Parties.Values.Sum(p => p.Declined) + (observer.Trustee?.IssueRefused is null ? 0 : 1),
            AuditViolations = violations,
            AuditFindings = findings,
            ReplicasAgree = onChain ? agree : null,
        };
        var (posted, closed) = LoanEventTrail.Submitted(observer);
        results = results with
        {
            Followed = [.. LoanEventTrail.FollowedEvents(book).SelectMany(i =>
                LoanEventTrail.Of(i, book, o, observer, knownNs, posted, closed, reference, end).Select(step => (i, step)))],
        };
        results.Write(run, o, book);
        return results;
    }

    private void Write(RunResult run, AbsOptions o, AbsBook book)
    {
        var m = run.Metrics;
        void S(string k, double v) => m.Scalars[k] = v;
        static double Cny(long fen) => fen / 100.0;
        var first = Reference[0].Before;
        var last = Reference[^1].After;
        var initial = book.InitialPool;
        S(AbsMetrics.LoanEvents, book.Events.Count);
        S(AbsMetrics.Periods, book.Periods.Count);
        S(AbsMetrics.PoolCny, Cny(initial));
        S(AbsMetrics.LateReports, LateReports);
        S(AbsMetrics.Breaks, Breaks);
        S(AbsMetrics.BreaksOpen, BreaksOpen);
        S(AbsMetrics.WaterfallMismatches, WaterfallMismatches);
        S(AbsMetrics.WaterfallViolations, WaterfallViolations);
        S(AbsMetrics.InterestA, Cny(Reference.Sum(r => r.InterestA)));
        S(AbsMetrics.InterestB, Cny(Reference.Sum(r => r.InterestB)));
        S(AbsMetrics.PrincipalA, Cny(Reference.Sum(r => r.PrincipalA)));
        S(AbsMetrics.PrincipalB, Cny(Reference.Sum(r => r.PrincipalB)));
        S(AbsMetrics.PrincipalSub, Cny(Reference.Sum(r => r.PrincipalSub)));
        S(AbsMetrics.Residual, Cny(Reference.Sum(r => r.Residual)));
        S(AbsMetrics.Fees, Cny(Reference.Sum(r => r.Fees)));
        S(AbsMetrics.Shortfall, Cny(Reference.Sum(r => r.Shortfall)));
        S(AbsMetrics.FactorA, first.A > 0 ? last.A / (double)first.A : 0);
        S(AbsMetrics.FactorB, first.B > 0 ? last.B / (double)first.B : 0);
        S(AbsMetrics.FactorSub, first.Sub > 0 ? last.Sub / (double)first.Sub : 0);
        S(AbsMetrics.ReserveEnd, Cny(last.Reserve));
        S(AbsMetrics.CumulativeDefaults, last.CumulativeDefaults / (double)initial);
        S(AbsMetrics.CumulativeLoss, (last.CumulativeDefaults - book.Periods.Sum(p => p.Tape.Recoveries)) / (double)initial);
        S(AbsMetrics.SequentialFrom, Reference.FirstOrDefault(r => r.After.Sequential)?.Period ?? -1);
        S(AbsMetrics.PoolFactor, book.Periods[^1].Tape.PoolEnd / (double)initial);
        S(AbsMetrics.Trades, book.Trades.Count);
        S(AbsMetrics.Misdirected, Cny(MisdirectedFen));
        S(AbsMetrics.Refusals, Refusals);
        S(AbsMetrics.AuditViolations, AuditViolations);
        S(AbsMetrics.OnChain, o.Reporting == AbsReporting.OnChain ? 1 : 0);
        if (ReplicasAgree is { } agree) S(AbsMetrics.ReplicasAgree, agree ? 1 : 0);
        var days = run.Stats.FinalTime.Seconds / 86400.0;
        S(AbsMetrics.ChainTxPerDay, days > 0 ? m.Counter(StandardMetrics.SubmittedTx) / days : 0);
        foreach (var (metric, values) in new[] { (AbsMetrics.EventVisible, EventVisibleS), (AbsMetrics.WaterfallVisible, WaterfallVisibleS), (AbsMetrics.BreakFoundAfter, BreakFoundAfterS), (AbsMetrics.TradeSettlement, TradeSettlementS) })
        {
            m.Samples[metric] = [.. values];
            var sorted = values.Order().ToArray();
            foreach (var p in new[] { 0.5, 0.9 })
                if (sorted.Length > 0) S(Quantile.Name(metric, p), Quantile.OfSorted(sorted, p));
        }

        m.Samples[AbsMetrics.JourneyEvent] = [.. Followed.Select(x => (double)x.Event)];
        m.Samples[AbsMetrics.JourneyStage] = [.. Followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[AbsMetrics.JourneyWho] = [.. Followed.Select(x => (double)x.Step.Who)];
        m.Samples[AbsMetrics.JourneyAt] = [.. Followed.Select(x => x.Step.AtNs / 1e9)];
        m.Samples[AbsMetrics.JourneyDetail] = [.. Followed.Select(x => (double)x.Step.Detail)];

        // Series: the pool steps at month ends, the notes at payment dates.
        var end = run.Stats.FinalTime.Nanos;
        var bin = run.Metrics.SeriesBin.Nanos > 0 ? run.Metrics.SeriesBin.Nanos : Duration.FromDays(1).Nanos;
        var bins = (int)Math.Max(1, (end + bin - 1) / bin);
        double[] Steps(long initialValue, IEnumerable<(long At, long Value)> steps)
        {
            var list = steps.OrderBy(s => s.At).ToList();
            var series = new double[bins];
            var value = initialValue;
            var next = 0;
            for (int i = 0; i < bins; i++)
            {
                var at = Math.Min((i + 1) * bin, end);
                while (next < list.Count && list[next].At <= at) value = list[next++].Value;
                series[i] = Cny(value);
            }
            return series;
        }
        m.Series[AbsMetrics.PoolBalance] = Steps(initial, book.Periods.Select(p => (p.EndNs, p.Tape.PoolEnd)));
        m.Series[AbsMetrics.Delinquent] = Steps(0, book.Periods.Select(p => (p.EndNs, p.Delinquent60)));
        m.Series[AbsMetrics.BalanceA] = Steps(first.A, Reference.Select(r => (book.Periods[r.Period].PaymentNs, r.After.A)));
        m.Series[AbsMetrics.BalanceB] = Steps(first.B, Reference.Select(r => (book.Periods[r.Period].PaymentNs, r.After.B)));
        m.Series[AbsMetrics.BalanceSub] = Steps(first.Sub, Reference.Select(r => (book.Periods[r.Period].PaymentNs, r.After.Sub)));
    }
}
