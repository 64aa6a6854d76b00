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
    internal readonly Dictionary<string, double> CounterValues = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, ChunkedList<double>> SampleValues = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, List<double>> SeriesBins = new(StringComparer.Ordinal);
    internal readonly List<Finding> Findings = [];

    public MetricRecorder(Func<SimTime> now, Duration seriesBin)
    {
        _now = now;
        _binNanos = Math.Max(1, seriesBin.Nanos);
    }

    public void Add(string counter, double amount = 1)
    {
        // One hash lookup per call (these run for every transaction and message).
        CollectionsMarshal.GetValueRefOrAddDefault(CounterValues, counter, out _) += amount;
    }

    public void Sample(string name, double value)
    {
        (CollectionsMarshal.GetValueRefOrAddDefault(SampleValues, name, out _) ??= new()).Add(value);
    }

    /// <summary>Adds <paramref name="value"/> to the time bin that holds the current virtual time.</summary>
    public void Series(string name, double value = 1) => SeriesAt(name, _now(), value);

    public void SeriesAt(string name, SimTime at, double value = 1)
    {
        var bins = CollectionsMarshal.GetValueRefOrAddDefault(SeriesBins, name, out _) ??= [];
        var bin = (int)Math.Min(int.MaxValue - 1, at.Nanos / _binNanos);
        while (bins.Count <= bin) bins.Add(0);
        bins[bin] += value;
    }

    /// <summary>Something notable a person should read, e.g. a safety violation with its details.</summary>
    public void Note(string kind, string text) => Findings.Add(new Finding(_now(), kind, text));
}

/// <summary>A notable event found during a run, with its virtual time.</summary>
public sealed record Finding(SimTime At, string Kind, string Text);
