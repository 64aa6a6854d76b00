using Lab.Consensus.Common;
using Lab.Experiments.Models;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// Shrinks a failing configuration to a smaller one that still fails the same way (same <see cref="FuzzFailure"/>),
/// greedily, one change at a time, keeping each change whose run still fails: a shorter run (cut just after the
/// first violation), fewer faults (halves, then quarters, … then one by one), fewer Byzantine replicas, fewer
/// nodes (faults and Byzantine roles of removed nodes go with them), fewer clients and less load, shorter faults,
/// a plainer network (no loss, duplication, jitter or reordering; constant latency), a shorter load phase. Passes
/// repeat until one changes nothing or <c>maxRuns</c> runs are spent. A configuration drawn within the tolerance
/// stays within it (a shrink never trades a bug for an excess of faults).
/// </summary>
public sealed class Shrinker(ModelRegistry registry, FuzzRunner runner)
{
    /// <summary>The smallest failing configuration found, its verdict, the runs spent and the changes kept.</summary>
    public sealed record Result(FuzzCase Case, FuzzVerdict Verdict, int Runs, int Kept);

    public Result Shrink(FuzzCase failing, FuzzVerdict verdict, int maxRuns = 150, Action<string>? kept = null, CancellationToken cancel = default)
    {
        var best = failing with { Shrunk = true };
        var bestVerdict = verdict;
        int runs = 0, changes = 0;

        bool Try(FuzzCase candidate, string what)
        {
            if (runs >= maxRuns || cancel.IsCancellationRequested || candidate == best || !Admissible(candidate)) return false;
            runs++;
            FuzzVerdict v;
            try { v = runner.Run(candidate, cancel: cancel).Verdict; }
            catch (OperationCanceledException) { return false; }
            if (v.Failure != verdict.Failure) return false;
            best = candidate;
            bestVerdict = v;
            changes++;
            kept?.Invoke(what);
            return true;
        }

        for (var pass = 0; pass < 4 && runs < maxRuns && !cancel.IsCancellationRequested; pass++)
        {
            var before = changes;
            // A safety or validity violation is seen when it happens: nothing after it matters.
            if (bestVerdict.FirstViolationSeconds is { } first && verdict.Failure is FuzzFailure.Safety or FuzzFailure.Validity)
            {
                var end = (long)Math.Ceiling(first * 1000) + 500;
                if (end < best.RunMs) Try(Cut(best, end), $"run ends at {end}ms, just after the first violation");
            }
            for (var chunk = Math.Max(1, best.Faults.Count / 2); chunk >= 1; chunk /= 2)
            {
                for (var i = 0; i + chunk <= best.Faults.Count && runs < maxRuns;)
                {
                    var without = best.Faults.Take(i).Concat(best.Faults.Skip(i + chunk)).ToList();
                    if (!Try(best with { Faults = without }, chunk == 1 ? $"without fault {i + 1}" : $"without faults {i + 1}-{i + chunk}")) i += chunk;
                }
                if (chunk == 1) break;
            }
            for (var i = 0; i < best.Byzantine.Count;)
            {
                var node = best.Byzantine[i].Node;
                if (!Try(Restrict(best with { Byzantine = [.. best.Byzantine.Where((_, j) => j != i)] }, best.Nodes), $"{node} honest")) i++;
            }
            for (var n = 1; n < best.Nodes; n++)
                if (Try(Restrict(best with { Nodes = n }, n), $"{n} node(s)")) break;
            if (best.Clients > 1) Try(best with { Clients = 1 }, "one client");
            while (best.Outstanding is null && best.Rate > 1 && Try(best with { Rate = Math.Max(1, Math.Floor(best.Rate / 2)) }, $"rate {Math.Max(1, Math.Floor(best.Rate / 2))}/s")) { }
            if (best.Outstanding is > 1) Try(best with { Outstanding = 1 }, "one transaction in flight per client");
            for (var i = 0; i < best.Faults.Count; i++)
                while (best.Faults[i].ForMs > 100 && Try(best with { Faults = [.. best.Faults.Select((f, j) => j == i ? f with { ForMs = Math.Max(50, f.ForMs / 2) } : f)] }, $"fault {i + 1} lasts {Math.Max(50, best.Faults[i].ForMs / 2)}ms")) { }
            if (best.Loss > 0) Try(best with { Loss = 0 }, "no loss");
            if (best.Duplication > 0) Try(best with { Duplication = 0 }, "no duplication");
            if (best.JitterMs > 0) Try(best with { JitterMs = 0 }, "no jitter");
            if (!best.Fifo) Try(best with { Fifo = true }, "FIFO links");
            if (best.LatencyHighMs > best.LatencyLowMs) Try(best with { LatencyHighMs = best.LatencyLowMs }, $"constant latency {best.LatencyLowMs}ms");
            var firstFault = best.Faults.Count == 0 ? 0 : best.Faults.Min(f => f.AtMs);
            if (best.LoadForMs > firstFault && best.LoadForMs > 200) Try(best with { LoadForMs = Math.Max(firstFault, 200) }, "clients stop when the faults end");
            if (changes == before) break;
        }
        return new Result(best, bestVerdict, runs, changes);
    }

    /// <summary>The run cut at <paramref name="endMs"/>: faults from then on are dropped (a fault must start before the end).</summary>
    private static FuzzCase Cut(FuzzCase c, long endMs) =>
        c with { DurationMs = endMs, Faults = [.. c.Faults.Where(f => f.AtMs < endMs)], LoadForMs = Math.Min(c.LoadForMs, endMs) };

    /// <summary>Only what exists among <paramref name="nodes"/> replicas (and the twins of Byzantine ones that remain):
    /// other names leave faults and Byzantine roles; a fault left with nobody to hit goes.</summary>
    private static FuzzCase Restrict(FuzzCase c, int nodes)
    {
        var byzantine = c.Byzantine.Where(b => Index(b.Node) < nodes).ToList();
        var twins = byzantine.Where(b => b.Behaviour == "twin").Select(b => b.Node + ChainWorld.TwinSuffix).ToHashSet();
        bool Exists(string name) => name is "leader" || name.StartsWith('c') || twins.Contains(name) || (Index(name) is { } i && i < nodes);
        var faults = new List<FuzzFault>();
        foreach (var f in c.Faults)
        {
            var groups = f.Targets.Select(g => (IReadOnlyList<string>)[.. g.Where(Exists)]).Where(g => g.Count > 0).ToList();
            if (f.Targets.Count > 0 && groups.Count == 0) continue;
            if (f.Action != "partition" && f.Targets.Count > 0 && groups.Count != f.Targets.Count) continue;
            faults.Add(f with { Targets = groups });
        }
        return c with { Byzantine = byzantine, Faults = faults };
    }

    private static int? Index(string name) =>
        name.Length > 1 && name[0] == 'n' && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>Within the tolerance a shrink stays within it: at most f faulty replicas (Byzantine or amnesiac)
    /// for a BFT protocol, no lost disk for Raft and solo.</summary>
    private bool Admissible(FuzzCase c)
    {
        if (c.Nodes < 1 || c.Clients < 1) return false;
        if (c.Beyond) return true;
        var tolerance = (registry.Find(ModelKind.Protocol, c.Protocol) as ChainModel)?.Tolerance ?? FaultTolerance.None;
        if (tolerance != FaultTolerance.Byzantine && c.Faults.Any(f => f.Action == FuzzFault.Amnesia)) return false;
        return c.Faulty <= tolerance.Tolerated(c.Nodes);
    }
}
