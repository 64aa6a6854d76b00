using Lab.Experiments.Models;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// Many fuzz runs of one protocol from one seed: run r draws its configuration from (protocol, seed, r) alone,
/// so the runs, their verdicts and the summary are the same at any number of workers. Workers take run numbers
/// in order; when <c>stopStarting</c> fires (a time budget) no new run starts and those under way finish, so the
/// runs done are always 0..k−1.
/// </summary>
public sealed class FuzzCampaign(ModelRegistry registry)
{
    private readonly FuzzRunner _runner = new(registry);

    public FuzzRunner Runner => _runner;

    /// <summary>One finished run. <paramref name="Fingerprint"/>: the kernel's hash of every event it handled
    /// (equal fingerprints, same run), 0 if the run crashed.</summary>
    public sealed record RunReport(FuzzCase Case, FuzzVerdict Verdict, ulong Fingerprint);

    /// <summary>What the campaign found. <see cref="Failures"/> in run order.</summary>
    public sealed record Summary(string Protocol, ulong Seed, bool Beyond, long Requested, long Done, IReadOnlyList<RunReport> Failures)
    {
        public long Failed => Failures.Count;
        /// <summary>Runs until the first failure, counting it (null: none failed).</summary>
        public long? RunsToFirstFailure => Failures.Count == 0 ? null : Failures[0].Case.Run + 1;
        public double FailedShare => Done == 0 ? 0 : (double)Failed / Done;
        public long Count(FuzzFailure kind) => Failures.Count(f => f.Verdict.Failure == kind);
    }

    /// <param name="finished">Called as each run ends (from the worker that ran it; in any order).</param>
    public Summary Run(string protocol, ulong seed, long runs, bool beyond, int parallel, Action<RunReport>? finished = null,
        CancellationToken stopStarting = default, CancellationToken cancel = default)
    {
        var reports = new RunReport?[runs];
        long next = -1;
        Exception? failure = null;

        void Worker()
        {
            while (!stopStarting.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                var r = Interlocked.Increment(ref next);
                if (r >= runs) return;
                try
                {
                    var c = FuzzGenerator.Generate(registry, protocol, seed, r, beyond);
                    var outcome = _runner.Run(c, cancel: cancel);
                    var report = new RunReport(c, outcome.Verdict, outcome.Result?.Stats.TraceHash ?? 0);
                    reports[r] = report;
                    finished?.Invoke(report);
                }
                catch (OperationCanceledException) { return; }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    return;
                }
            }
        }

        var workers = (int)Math.Clamp(parallel, 1, Math.Max(1, runs));
        if (workers == 1) Worker();
        else
        {
            var threads = Enumerable.Range(0, workers).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        if (failure is not null) throw new InvalidOperationException($"lab fuzz failed outside a run: {failure.Message}", failure);
        // The longest prefix of finished runs: a run cancelled half-way is not counted, nor anything after it.
        long done = 0;
        while (done < runs && reports[done] is not null) done++;
        return new Summary(protocol, seed, beyond, runs, done, [.. reports.Take((int)done).Where(r => r!.Verdict.Failed).Select(r => r!)]);
    }
}
