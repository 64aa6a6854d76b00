using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lab.Sim.Collections;
using Lab.Sim.Time;

namespace Lab.Sim.Metrics;

/// <summary>
/// One node's metrics, written only by that node (never shared across threads). Three shapes:
/// counters (totals), samples (a distribution, e.g. latency in seconds) and series (values summed
/// into fixed time bins, e.g. committed transactions per bin → throughput over time).
/// Names are snake_case with their unit: <c>commit_latency_s</c>, <c>throughput_tps</c>.
/// </summary>
public sealed class MetricRecorder
{
    private readonly Func<SimTime> _now;
    private readonly long _binNanos;
    internal readonly Dictionary<string, StrongBox<double>> CounterValues = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, ChunkedList<double>> SampleValues = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, List<double>> SeriesBins = new(StringComparer.Ordinal);
    internal readonly List<Finding> Findings = [];
    private RecentNames<StrongBox<double>> _recentCounters;
    private RecentNames<ChunkedList<double>> _recentSamples;
    private RecentNames<List<double>> _recentSeries;

    public MetricRecorder(Func<SimTime> now, Duration seriesBin)
    {
        _now = now;
        _binNanos = Math.Max(1, seriesBin.Nanos);
    }

    public void Add(string counter, double amount = 1)
    {
        // These run for every transaction and message: a recently used name is found by reference, without hashing.
        var box = _recentCounters.Find(counter);
        if (box is null)
        {
            box = CollectionsMarshal.GetValueRefOrAddDefault(CounterValues, counter, out _) ??= new();
            _recentCounters.Remember(counter, box);
        }
        box.Value += amount;
    }

    public void Sample(string name, double value)
    {
        var list = _recentSamples.Find(name);
        if (list is null)
        {
            list = CollectionsMarshal.GetValueRefOrAddDefault(SampleValues, name, out _) ??= new();
            _recentSamples.Remember(name, list);
        }
        list.Add(value);
    }

    /// <summary>Adds <paramref name="value"/> to the time bin that holds the current virtual time.</summary>
    public void Series(string name, double value = 1) => SeriesAt(name, _now(), value);

    public void SeriesAt(string name, SimTime at, double value = 1)
    {
        var bins = _recentSeries.Find(name);
        if (bins is null)
        {
            bins = CollectionsMarshal.GetValueRefOrAddDefault(SeriesBins, name, out _) ??= [];
            _recentSeries.Remember(name, bins);
        }
        var bin = (int)Math.Min(int.MaxValue - 1, at.Nanos / _binNanos);
        while (bins.Count <= bin) bins.Add(0);
        bins[bin] += value;
    }

    /// <summary>Something notable a person should read, e.g. a safety violation with its details.</summary>
    public void Note(string kind, string text) => Findings.Add(new Finding(_now(), kind, text));
}

/// <summary>
/// The last four names a recorder used, compared by reference: nodes record the same few constant names over
/// and over, and a reference compare is cheaper than hashing the text. Another string with the same text is
/// a miss and goes to the dictionary, which finds the same entry, so a miss costs time, never a wrong total.
/// </summary>
internal struct RecentNames<T> where T : class
{
    private string? _k0, _k1, _k2, _k3;
    private T? _v0, _v1, _v2, _v3;
    private int _next;

    public readonly T? Find(string name) =>
        ReferenceEquals(name, _k0) ? _v0 : ReferenceEquals(name, _k1) ? _v1 : ReferenceEquals(name, _k2) ? _v2 : ReferenceEquals(name, _k3) ? _v3 : null;

    public void Remember(string name, T value)
    {
        var slot = _next;
        _next = (slot + 1) & 3;
        switch (slot)
        {
            case 0: (_k0, _v0) = (name, value); break;
            case 1: (_k1, _v1) = (name, value); break;
            case 2: (_k2, _v2) = (name, value); break;
            default: (_k3, _v3) = (name, value); break;
        }
    }
}

/// <summary>A notable event found during a run, with its virtual time.</summary>
public sealed record Finding(SimTime At, string Kind, string Text);
