using Lab.Consensus.Common;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>The figures of one run, derived from the banks' and warehouses' records and the book's physical truth.</summary>
public sealed record WarehouseResults
{
    public long Applications { get; init; }
    public long Funded { get; init; }
    public long Refused { get; init; }
    public long FraudAttempts { get; init; }
    public long FraudFunded { get; init; }
    public long FraudRefused { get; init; }
    public long HonestRefused { get; init; }
    public long FraudLots { get; init; }
    public long FraudLotsDetected { get; init; }
    public long FraudLossCny { get; init; }
    public long ExposurePeakCny { get; init; }
    public long ExposureEndCny { get; init; }
    public long LoansFundedCny { get; init; }
    public IReadOnlyList<double> DetectionTimesS { get; init; } = [];
    public IReadOnlyList<double> TurnaroundsS { get; init; } = [];
    public long SensorMessages { get; init; }
    public double SensorMessagesPerLotDay { get; init; }
    public long SensorTransactions { get; init; }
    public long ReceiptsIssued { get; init; }
    public long ReceiptsRefused { get; init; }
    public long AuditViolations { get; init; }
    public IReadOnlyList<string> AuditFindings { get; init; } = [];
    public bool? ReplicasAgree { get; init; }
    /// <summary>On chain: who can read what and the receipt documents' evidence check, from the latest replica (<see cref="WarehousePrivacy"/>).</summary>
    public WarehousePrivacyResults? Privacy { get; init; }

    public static WarehouseResults Derive(RunResult run, WarehouseObserver observer, WarehouseOptions o, WarehouseBook book, Lab.Finance.Privacy.Keyring? keys = null)
    {
        var end = run.Stats.FinalTime.Nanos;
        var records = observer.Records;
        PledgeRecord R(Application a) => records.TryGetValue(a.Index, out var r) ? r : new PledgeRecord();
        var apps = book.Applications;
        bool OnFraudLot(Application a) => book.Lots[a.Lot].Fraud != FraudKind.None;

        // Loss: on fraud lots, what was lent and not recovered (disposal yielded less), plus what is still open and unbacked at the end.
        long loss = 0;
        foreach (var a in apps.Where(OnFraudLot))
        {
            var r = R(a);
            if (!r.Funded) continue;
            if (r.ClosedNs >= 0) loss += a.LoanCny - r.RecoveredCny;
        }
        // Exposure: principal outstanding on fraudulent pledges, and on pledges whose goods are being removed, until closed.
        (long From, long To, long Cny)? Exposed(Application a)
        {
            var r = R(a);
            if (!r.Funded) return null;
            var lot = book.Lots[a.Lot];
            long from;
            if (a.Fraudulent) from = r.DecidedNs;
            else if (lot.Fraud == FraudKind.RemoveGoods) from = Math.Max(r.DecidedNs, lot.RemovalStartNs);
            else return null;
            var to = r.ClosedNs >= 0 ? r.ClosedNs : end;
            return to > from ? (from, to, a.LoanCny) : null;
        }
        var exposed = apps.Select(Exposed).OfType<(long From, long To, long Cny)>().ToList();
        var bin = run.Metrics.SeriesBin.Nanos > 0 ? run.Metrics.SeriesBin.Nanos : Duration.FromHours(1).Nanos;
        var bins = (int)Math.Max(1, (end + bin - 1) / bin);
        var series = new double[bins];
        foreach (var (from, to, cny) in exposed)
            for (long i = from / bin; i < bins; i++)
            {
                var at = Math.Min((i + 1) * bin, end);
                if (at >= to) break;
                if (at >= from) series[i] += cny;
            }
        // Still open at the end: unbacked principal (a removal pledge is backed by what remains).
        long endExposure = 0;
        foreach (var a in apps.Where(OnFraudLot))
        {
            var r = R(a);
            if (!r.Funded || r.ClosedNs >= 0) continue;
            var lot = book.Lots[a.Lot];
            var unbacked = a.Fraudulent ? a.LoanCny : Math.Max(0, a.LoanCny - (long)(lot.KgPresent(end, o.RemovalTime) / 1000.0 * o.PricePerTonne));
            endExposure += unbacked;
        }
        loss += endExposure;

        // Detection: per fraud lot that put a bank at risk, first fraudulent act → first bank aware.
        var detections = new List<double>();
        long fraudLots = 0, detected = 0;
        foreach (var lot in book.Lots.Where(l => l.Fraud != FraudKind.None))
        {
            var mine = apps.Where(a => a.Lot == lot.Index).ToList();
            long act = lot.Fraud == FraudKind.RemoveGoods ? lot.RemovalStartNs : mine.Where(a => a.Fraudulent).Select(a => a.AppliedNs).DefaultIfEmpty(-1).Min();
            if (act < 0) continue;
            // A removal that starts after every pledge of the lot closed harmed nobody.
            var lastClosed = mine.Select(a => R(a)).Select(r => r.ClosedNs >= 0 ? r.ClosedNs : r.Funded ? long.MaxValue : r.DecidedNs).DefaultIfEmpty(-1).Max();
            if (lot.Fraud == FraudKind.RemoveGoods && act >= lastClosed) continue;
            fraudLots++;
            var aware = mine.Select(a => R(a).DetectedNs).Where(t => t >= 0).DefaultIfEmpty(-1).Min();
            if (aware < 0) continue;
            detected++;
            detections.Add(Math.Max(0, aware - act) / 1e9);
        }

        var funded = apps.Where(a => R(a).Funded).ToList();
        var turnaround = funded.Select(a => (R(a).DecidedNs - a.AppliedNs) / 1e9).ToList();
        var lotSeconds = observer.Warehouses.Sum(w => w.LotSecondsMonitored);
        var sensorMessages = observer.Warehouses.Sum(w => w.SensorMessages);
        var onChain = o.Registry == PledgeRegistry.OnChain;
        var (violations, findings, agree) = onChain ? observer.ChainAudit() : (0, [], true);
        var (tlStart, tlEnd) = Timeline(book, R, end);
        var results = new WarehouseResults
        {
            TimelineStartS = tlStart,
            TimelineEndS = tlEnd,
            Applications = apps.Count,
            Funded = funded.Count,
            Refused = apps.Count(a => R(a).RefusedReason is not null),
            FraudAttempts = apps.Count(a => a.Fraudulent),
            FraudFunded = apps.Count(a => a.Fraudulent && R(a).Funded),
            FraudRefused = apps.Count(a => a.Fraudulent && R(a).RefusedReason is not null),
            HonestRefused = apps.Count(a => book.Lots[a.Lot].Fraud == FraudKind.None && R(a).RefusedReason is not null),
            FraudLots = fraudLots,
            FraudLotsDetected = detected,
            FraudLossCny = loss,
            ExposurePeakCny = (long)series.DefaultIfEmpty(0).Max(),
            ExposureEndCny = endExposure,
            LoansFundedCny = funded.Sum(a => a.LoanCny),
            DetectionTimesS = detections,
            TurnaroundsS = turnaround,
            SensorMessages = sensorMessages,
            SensorMessagesPerLotDay = lotSeconds > 0 ? sensorMessages / (lotSeconds / 86400.0) : 0,
            SensorTransactions = observer.Warehouses.Sum(w => w.SensorTransactions),
            ReceiptsIssued = onChain ? observer.Warehouses.Sum(w => w.Issued.Count(x => x)) : book.Receipts.Count,
            ReceiptsRefused = onChain ? observer.Warehouses.Sum(w => w.IssueRefused.Count(x => x is not null)) : 0,
            AuditViolations = violations,
            AuditFindings = findings,
            ReplicasAgree = onChain ? agree : null,
            Privacy = onChain && keys is not null && observer.Latest() is { } latest ? WarehousePrivacy.Measure(latest.State.Get, book, o, keys) : null,
        };
        results.Write(run, series, o, book);
        results.Privacy?.Write(run.Metrics);
        // Follow one lot: every step of the followed lots (the same lots in both registries of a seed).
        var followed = LotTrail.FollowedLots(book).SelectMany(l => LotTrail.Of(l, book, o, R, observer.Warehouses).Select(s => (Lot: l, Step: s))).ToList();
        var m = run.Metrics;
        m.Samples[WarehouseMetrics.JourneyLot] = [.. followed.Select(x => (double)x.Lot)];
        m.Samples[WarehouseMetrics.JourneyStage] = [.. followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[WarehouseMetrics.JourneyWho] = [.. followed.Select(x => (double)x.Step.Who)];
        m.Samples[WarehouseMetrics.JourneyAt] = [.. followed.Select(x => x.Step.AtNs / 1e9)];
        m.Samples[WarehouseMetrics.JourneyDetail] = [.. followed.Select(x => (double)x.Step.Detail)];
        return results;
    }

    private void Write(RunResult run, double[] exposure, WarehouseOptions o, WarehouseBook book)
    {
        var m = run.Metrics;
        void S(string k, double v) => m.Scalars[k] = v;
        S(WarehouseMetrics.Applications, Applications);
        S(WarehouseMetrics.Funded, Funded);
        S(WarehouseMetrics.Refused, Refused);
        S(WarehouseMetrics.FraudAttempts, FraudAttempts);
        S(WarehouseMetrics.FraudFunded, FraudFunded);
        S(WarehouseMetrics.FraudRefused, FraudRefused);
        S(WarehouseMetrics.FraudRefusedShare, FraudAttempts > 0 ? FraudRefused / (double)FraudAttempts : 0);
        S(WarehouseMetrics.HonestRefused, HonestRefused);
        S(WarehouseMetrics.FraudLots, FraudLots);
        S(WarehouseMetrics.FraudLotsDetected, FraudLotsDetected);
        S(WarehouseMetrics.FraudLoss, FraudLossCny);
        S(WarehouseMetrics.FraudExposurePeak, ExposurePeakCny);
        S(WarehouseMetrics.FraudExposureEnd, ExposureEndCny);
        S(WarehouseMetrics.LoansFunded, LoansFundedCny);
        S(WarehouseMetrics.SensorMessages, SensorMessages);
        S(WarehouseMetrics.SensorMessagesPerLotDay, SensorMessagesPerLotDay);
        S(WarehouseMetrics.SensorTransactions, SensorTransactions);
        S(WarehouseMetrics.ReceiptsIssued, ReceiptsIssued);
        S(WarehouseMetrics.ReceiptsRefused, ReceiptsRefused);
        S(WarehouseMetrics.AuditViolations, AuditViolations);
        S(WarehouseMetrics.OnChain, o.Registry == PledgeRegistry.OnChain ? 1 : 0);
        if (ReplicasAgree is { } agree) S(WarehouseMetrics.ReplicasAgree, agree ? 1 : 0);
        var days = run.Stats.FinalTime.Seconds / 86400.0;
        S(WarehouseMetrics.ChainTxPerDay, days > 0 ? m.Counter(StandardMetrics.SubmittedTx) / days : 0);
        m.Samples[WarehouseMetrics.DetectionTime] = [.. DetectionTimesS];
        m.Samples[WarehouseMetrics.LoanTurnaround] = [.. TurnaroundsS];
        foreach (var (metric, values) in new[] { (WarehouseMetrics.DetectionTime, DetectionTimesS), (WarehouseMetrics.LoanTurnaround, TurnaroundsS) })
        {
            var sorted = values.Order().ToArray();
            foreach (var p in new[] { 0.5, 0.9 })
                if (sorted.Length > 0) S(Quantile.Name(metric, p), Quantile.OfSorted(sorted, p));
        }
        m.Series[WarehouseMetrics.FraudExposure] = exposure;
        m.Samples[WarehouseMetrics.PledgeStart] = [.. TimelineStartS];
        m.Samples[WarehouseMetrics.PledgeEnd] = [.. TimelineEndS];
    }

    public IReadOnlyList<double> TimelineStartS { get; init; } = [];
    public IReadOnlyList<double> TimelineEndS { get; init; } = [];

    /// <summary>Pledges on the timeline: about as many as the chart shows.</summary>
    public const int TimelineItems = 30;

    /// <summary>About <see cref="TimelineItems"/> pledges chosen from the book alone (so both registries show the same ones):
    /// up to half fraudulent, the rest honest, each group evenly spaced, by application time. Each ends when it was refused,
    /// found out (fraudulent ones), or funded (honest ones); one never found out ends at the run's end.</summary>
    private static (List<double> Start, List<double> End) Timeline(WarehouseBook book, Func<Application, PledgeRecord> record, long endNs)
    {
        static IEnumerable<Application> Spaced(List<Application> xs, int n) =>
            xs.Count <= n ? xs : Enumerable.Range(0, n).Select(i => xs[(int)((long)i * xs.Count / n)]);
        var fraud = book.Applications.Where(a => a.Fraudulent || book.Lots[a.Lot].Fraud == FraudKind.RemoveGoods).ToList();
        var honest = book.Applications.Where(a => !a.Fraudulent && book.Lots[a.Lot].Fraud == FraudKind.None).ToList();
        var fraudPick = Spaced(fraud, TimelineItems / 2).ToList();
        var chosen = fraudPick.Concat(Spaced(honest, TimelineItems - fraudPick.Count)).OrderBy(a => a.AppliedNs).ThenBy(a => a.Index).ToList();
        var start = new List<double>();
        var end = new List<double>();
        foreach (var a in chosen)
        {
            var r = record(a);
            var isFraud = a.Fraudulent || book.Lots[a.Lot].Fraud == FraudKind.RemoveGoods;
            var at = r.RefusedReason is not null ? r.DecidedNs : isFraud ? r.DetectedNs : r.DecidedNs;
            start.Add(a.AppliedNs / 1e9);
            end.Add((at >= 0 ? at : endNs) / 1e9);
        }
        return (start, end);
    }
}
