namespace Lab.Experiments.Running;

/// <summary>
/// The time left of a batch of runs, for progress output (never for results). Runs of one point differ only in
/// their seed, so an unfinished run is expected to take as long as its point's finished runs took on average;
/// a point with none finished yet is timed by a run of it in flight once that is 5% through (elapsed ÷ share of
/// virtual time done), else borrows the average of finished runs of its cost class (<see cref="RunOrder.CostClass"/>),
/// else of all finished runs (an overestimate: costlier runs start first). The runs
/// not started yet are then dealt, in the order they will start, to the earliest free of the parallel slots.
/// Runs start costliest first (<see cref="RunOrder"/>), so elapsed ÷ runs done would overstate the rest
/// several times; this does not. Thread-safe.
/// </summary>
public sealed class RunEta
{
    private readonly Lock _lock = new();
    private readonly Func<double> _now;
    private readonly List<RunSpec> _pending;
    private readonly int _slots;
    private readonly Dictionary<RunSpec, (double Started, double Fraction)> _inFlight = [];
    private readonly Dictionary<int, (double Sum, int Count)> _byPoint = [];
    private readonly Dictionary<int, (double Sum, int Count)> _byClass = [];
    private (double Sum, int Count) _all;
    private int _mostInFlight;

    /// <param name="order">The runs still to do, in the order they start.</param>
    /// <param name="slots">How many run at once (0: unknown, the most seen in flight at once).</param>
    /// <param name="now">Seconds on a monotonic clock (a stopwatch by default; tests pass their own).</param>
    public RunEta(IReadOnlyList<RunSpec> order, int slots, Func<double>? now = null)
    {
        _pending = [.. order];
        _slots = slots;
        if (now is null)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            now = () => clock.Elapsed.TotalSeconds;
        }
        _now = now;
    }

    public void Started(RunSpec run)
    {
        lock (_lock)
        {
            _pending.Remove(run);
            _inFlight[run] = (_now(), 0);
            _mostInFlight = Math.Max(_mostInFlight, _inFlight.Count);
        }
    }

    public void Advanced(RunSpec run, double fraction)
    {
        lock (_lock)
            if (_inFlight.TryGetValue(run, out var r)) _inFlight[run] = (r.Started, fraction);
    }

    public void Finished(RunSpec run)
    {
        lock (_lock)
        {
            if (!_inFlight.Remove(run, out var r)) { _pending.Remove(run); return; }
            var took = _now() - r.Started;
            Add(_byPoint, run.Point.Index, took);
            Add(_byClass, RunOrder.CostClass(run), took);
            _all = (_all.Sum + took, _all.Count + 1);
        }
    }

    private static void Add(Dictionary<int, (double Sum, int Count)> means, int key, double took)
    {
        var (sum, count) = means.GetValueOrDefault(key);
        means[key] = (sum + took, count + 1);
    }

    /// <summary>The expected time until every run has finished; null while nothing is known to estimate from.</summary>
    public TimeSpan? Remaining()
    {
        lock (_lock)
        {
            var now = _now();
            var slots = Math.Max(1, Math.Max(_slots, _mostInFlight));
            // Each slot's time until free: the runs in flight first, then the runs not started, in their order.
            // Runs in flight of a point with no finished run, far enough along to time them by their own progress.
            var live = new Dictionary<int, double>();
            foreach (var (run, (started, fraction)) in _inFlight)
                if (!_byPoint.ContainsKey(run.Point.Index) && fraction >= 0.05) live[run.Point.Index] = (now - started) / fraction;
            var free = new PriorityQueue<int, double>();
            var busy = 0;
            foreach (var (run, (started, _)) in _inFlight.OrderBy(kv => kv.Value.Started))
            {
                var elapsed = now - started;
                var total = Expected(run, live);
                if (total is null) return null;
                if (busy < slots) free.Enqueue(busy++, Math.Max(0, total.Value - elapsed));
            }
            while (busy < slots) free.Enqueue(busy++, 0);
            var end = 0.0;
            free.TryPeek(out _, out end);
            foreach (var run in _pending)
            {
                if (Expected(run, live) is not { } took) return null;
                free.TryDequeue(out var slot, out var at);
                free.Enqueue(slot, at + took);
            }
            while (free.TryDequeue(out _, out var at)) end = Math.Max(end, at);
            return TimeSpan.FromSeconds(end);
        }
    }

    private double? Expected(RunSpec run, Dictionary<int, double> live)
    {
        if (_byPoint.TryGetValue(run.Point.Index, out var p)) return p.Sum / p.Count;
        if (live.TryGetValue(run.Point.Index, out var l)) return l;
        if (_byClass.TryGetValue(RunOrder.CostClass(run), out var c)) return c.Sum / c.Count;
        return _all.Count > 0 ? _all.Sum / _all.Count : null;
    }
}
