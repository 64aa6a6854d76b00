using System.Globalization;
using System.Text;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// One configuration <c>lab fuzz</c> drew (<see cref="FuzzGenerator"/>), kept in the few numbers the shrinker
/// changes, and written out as an ordinary experiment file (<see cref="ToYaml"/>): a fuzz run, a replay and the
/// shrunk file are all plain runs of that file. Times are whole milliseconds.
/// </summary>
public sealed record FuzzCase
{
    /// <summary>The value of <c>chain.protocol</c>.</summary>
    public required string Protocol { get; init; }
    /// <summary>Where it came from: <c>lab fuzz --seed FuzzSeed</c>, run number <see cref="Run"/>.</summary>
    public required ulong FuzzSeed { get; init; }
    public required long Run { get; init; }
    /// <summary>Drawn beyond the protocol's fault tolerance (<c>--beyond</c>): violations are the result, not a bug.</summary>
    public required bool Beyond { get; init; }
    /// <summary>The experiment's <c>seed</c>.</summary>
    public required ulong Seed { get; init; }
    /// <summary>True once the shrinker changed it (it no longer is what the replay id draws).</summary>
    public bool Shrunk { get; init; }

    public required int Nodes { get; init; }
    public required double LatencyLowMs { get; init; }
    public required double LatencyHighMs { get; init; }
    /// <summary>Upper end of a uniform jitter from 0 (0: none).</summary>
    public double JitterMs { get; init; }
    public double Loss { get; init; }
    public double Duplication { get; init; }
    public bool Fifo { get; init; } = true;

    public required int Clients { get; init; }
    /// <summary>Open loop: total arrivals per second (Poisson or constant); ignored in a closed loop.</summary>
    public double Rate { get; init; }
    public bool Poisson { get; init; } = true;
    /// <summary>Closed loop: transactions each client keeps in flight (null: open loop).</summary>
    public int? Outstanding { get; init; }
    public required long RetryMs { get; init; }
    /// <summary><c>chain.block.max-tx</c> and <c>chain.block.timeout</c>.</summary>
    public required int MaxTx { get; init; }
    public required long BatchMs { get; init; }

    /// <summary>Other keys as written (transaction size, the protocol's own keys), in order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; }
    /// <summary>The protocol timeout that recovery after the faults waits on (Raft: the longest election timeout;
    /// PBFT: the view-change timeout; HotStuff: the view timeout; solo: the head interval).</summary>
    public required long RecoveryMs { get; init; }

    public IReadOnlyList<FuzzByzantine> Byzantine { get; init; } = [];
    public IReadOnlyList<FuzzFault> Faults { get; init; } = [];

    /// <summary>Clients submit at least until here, faults or not.</summary>
    public required long LoadForMs { get; init; }
    /// <summary>Beyond tolerance: how long the run goes on after the last fault ends (no liveness is asked).</summary>
    public long TailMs { get; init; } = 3000;
    /// <summary>A shorter run set by the shrinker (null: the last fault's end plus the liveness bound or the tail).</summary>
    public long? DurationMs { get; init; }

    /// <summary>When the last fault is over, and clients stop submitting.</summary>
    public long HealMs => Math.Max(LoadForMs, Faults.Count == 0 ? 0 : Faults.Max(f => f.EndMs));

    /// <summary>Replicas that are faulty in the Byzantine sense: the Byzantine ones and those that lose their disk.</summary>
    public int Faulty => Byzantine.Select(b => b.Node).Concat(Faults.Where(f => f.Action == FuzzFault.Amnesia).SelectMany(f => f.Nodes)).Distinct().Count();

    /// <summary>The liveness deadline after the last fault (<see cref="LivenessBound"/>); null beyond tolerance.</summary>
    public long? LivenessMs => Beyond ? null : LivenessBound.Of(this);

    public long RunMs => DurationMs ?? HealMs + (LivenessMs ?? TailMs);

    /// <summary>Events a run may process before it counts as a runaway (<see cref="FuzzFailure.Runaway"/>): five times
    /// a generous estimate of what it needs (every transaction in its own batch, each costing an all-to-all exchange,
    /// 3n² + 4n events; a thousand timer and heartbeat events per replica and second), plus 200,000. A 10 s,
    /// 4-replica PBFT run at 100 tx/s needs 11,000 events; its cap is 3.5 million.</summary>
    public long MaxEvents
    {
        get
        {
            var perSecond = (Outstanding is { } k ? Clients * k * 50.0 : Rate) * (3.0 * Nodes * Nodes + 4 * Nodes) + 1000.0 * Nodes;
            return 200_000 + (long)(5 * perSecond * Math.Max(1, RunMs / 1000.0));
        }
    }

    /// <summary>What reproduces it: <c>pbft:7:123</c>.</summary>
    public string Id => $"{Protocol}:{FuzzSeed}:{Run}";

    /// <summary>The command that draws and runs it again with a trace.</summary>
    public string ReplayCommand => $"lab replay {Id}" + (Beyond ? " --beyond" : "");

    /// <summary>A file name for it: <c>fuzz-pbft-7-123.yaml</c> (<c>-shrunk</c> once shrunk).</summary>
    public string FileName => $"fuzz-{Protocol}-{FuzzSeed}-{Run}" + (Beyond ? "-beyond" : "") + (Shrunk ? "-shrunk" : "") + ".yaml";

    /// <summary>The configuration as an experiment file.</summary>
    public string ToYaml()
    {
        var ci = CultureInfo.InvariantCulture;
        var y = new StringBuilder();
        y.Append("# Drawn by lab fuzz (").Append(Beyond ? "beyond the fault tolerance" : "within the fault tolerance").Append("): ")
         .Append(Shrunk ? $"run {Run} of seed {FuzzSeed}, shrunk" : $"run {Run} of seed {FuzzSeed}").Append(".\n");
        y.Append("# Drawn again and traced by: ").Append(ReplayCommand).Append(Shrunk ? " (the unshrunk run)\n" : "\n");
        y.Append("name: ").Append($"fuzz-{Protocol}-{FuzzSeed}-{Run}").Append(Shrunk ? "-shrunk" : "").Append('\n');
        y.Append("seed: ").Append(Seed.ToString(ci)).Append('\n');
        y.Append("duration: ").Append(FuzzFault.Ms(RunMs)).Append('\n');
        y.Append("max-events: ").Append(MaxEvents.ToString(ci)).Append("      # a runaway guard, far above what the load needs\n");
        y.Append("network:\n");
        y.Append("  latency: ").Append(LatencyLowMs == LatencyHighMs ? Num(LatencyLowMs) + "ms" : $"uniform({Num(LatencyLowMs)}ms, {Num(LatencyHighMs)}ms)").Append('\n');
        if (JitterMs > 0) y.Append("  jitter: uniform(0ms, ").Append(Num(JitterMs)).Append("ms)\n");
        if (Loss > 0) y.Append("  loss: ").Append(Num(Loss)).Append('\n');
        if (Duplication > 0) y.Append("  duplication: ").Append(Num(Duplication)).Append('\n');
        if (!Fifo) y.Append("  fifo: false\n");
        y.Append("chain:\n");
        y.Append("  protocol: ").Append(Protocol).Append('\n');
        y.Append("  nodes: ").Append(Nodes.ToString(ci)).Append('\n');
        y.Append("  block: { max-tx: ").Append(MaxTx.ToString(ci)).Append(", timeout: ").Append(FuzzFault.Ms(BatchMs)).Append(" }\n");
        foreach (var (key, value) in Settings.Where(s => s.Key.StartsWith("chain.", StringComparison.Ordinal)))
            y.Append("  ").Append(key["chain.".Length..]).Append(": ").Append(value).Append('\n');
        y.Append("workload:\n");
        y.Append("  clients.count: ").Append(Clients.ToString(ci)).Append('\n');
        if (Outstanding is { } k) y.Append("  outstanding: ").Append(k.ToString(ci)).Append('\n');
        else y.Append("  arrivals: ").Append(Poisson ? "poisson" : "constant").Append("(rate: ").Append(Num(Rate)).Append("/s)\n");
        y.Append("  retry-timeout: ").Append(FuzzFault.Ms(RetryMs)).Append('\n');
        y.Append("  submit-until: ").Append(FuzzFault.Ms(Math.Min(HealMs, RunMs))).Append('\n');
        foreach (var (key, value) in Settings.Where(s => s.Key.StartsWith("workload.", StringComparison.Ordinal)))
            y.Append("  ").Append(key["workload.".Length..]).Append(": ").Append(value).Append('\n');
        if (Byzantine.Count > 0)
        {
            y.Append("byzantine:\n");
            foreach (var b in Byzantine)
                y.Append("  - { nodes: [").Append(b.Node).Append("], behaviour: ").Append(b.Behaviour).Append(b.Collude ? ", collude: true" : "").Append(" }\n");
        }
        if (Faults.Count > 0)
        {
            y.Append("faults:\n");
            foreach (var f in Faults)
                foreach (var entry in f.YamlEntries()) y.Append("  - ").Append(entry).Append('\n');
        }
        y.Append("expect:\n");
        y.Append("  safety: ").Append(Beyond ? "violated" : "hold").Append(Beyond ? "          # beyond the tolerance a violation is the result\n" : "\n");
        // A shrunk run that stops before the liveness deadline no longer asks for liveness.
        if (LivenessMs is { } bound && HealMs + bound <= RunMs)
            y.Append("  liveness: ").Append(FuzzFault.Ms(bound)).Append("      # see LivenessBound: everything submitted before the last fault ends is final by then\n");
        return y.ToString();
    }

    private static string Num(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
