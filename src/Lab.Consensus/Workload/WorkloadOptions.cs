using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// The <c>workload:</c> section: who submits, how often, how big, and how long they wait before
/// retrying. Open loop (an <see cref="ArrivalProcess"/>) unless <see cref="ClosedLoopOutstanding"/> is
/// set. Every option works with every protocol: where and how often a client sends, and when it calls
/// a transaction final, is the protocol's <see cref="FinalityRule"/>.
/// </summary>
public sealed record WorkloadOptions
{
    /// <summary>Open-loop arrivals, total over all clients. Default Poisson 1000 tx/s.</summary>
    public ArrivalProcess Arrivals { get; init; } = new PoissonArrivals(1000);

    /// <summary>Number of client nodes. Default 4.</summary>
    public int Clients { get; init; } = 4;

    /// <summary>Region names clients are placed in, round robin (null: every region of the network in turn).</summary>
    public IReadOnlyList<string>? ClientRegions { get; init; }

    /// <summary>Closed loop: each client keeps this many transactions outstanding (null: open loop).</summary>
    public int? ClosedLoopOutstanding { get; init; }

    /// <summary>Closed loop: pause between a finality and the next submission. Default none.</summary>
    public Duration ThinkTime { get; init; } = Duration.Zero;

    /// <summary>Transaction size in bytes (a trace's own sizes win). Default 512 B.</summary>
    public Distribution TxSizeBytes { get; init; } = new Constant(512);

    /// <summary>No submissions before this time (default: from the start). A benchmark loads a running cluster: starting
    /// the clients after the first leader election keeps the requests that pile up while there is none (and their
    /// retries) out of the measured window. Open-loop arrivals before it are drawn and dropped, so the arrivals after it
    /// fall where they would without it (a profile keeps its clock, a trace its times).</summary>
    public Duration SubmitFrom { get; init; } = Duration.Zero;

    /// <summary>No new submissions after this time (null: until the run ends); outstanding ones are still chased.</summary>
    public Duration? SubmitUntil { get; init; }

    /// <summary>Transactions submitted before this are left out of <c>commit_latency_s</c> and <c>throughput_tps</c>. Default none.</summary>
    public Duration Warmup { get; init; } = Duration.Zero;

    /// <summary>A client resends a transaction not final after this long (the protocol's finality rule says
    /// where to, and whether the timeout doubles). Default 1 s.</summary>
    public Duration RetryTimeout { get; init; } = Duration.FromSeconds(1);

    /// <summary>A client gives up on a transaction after this many sends (redirects and retries included; counted
    /// as <c>abandoned_tx</c>). Default 20.</summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>No load at all (a scenario whose institutions submit instead).</summary>
    public static readonly WorkloadOptions None = new() { Clients = 0, Arrivals = new PoissonArrivals(0) };

    public void Validate()
    {
        if (Clients < 0) throw new ArgumentException("workload.clients cannot be negative");
        if (RetryTimeout.Nanos <= 0) throw new ArgumentException("workload.retry-timeout must be positive");
        if (MaxAttempts < 1) throw new ArgumentException("workload.max-attempts must be at least 1");
        if (ClosedLoopOutstanding is < 1) throw new ArgumentException("workload.outstanding must be at least 1");
        if (ThinkTime.IsNegative) throw new ArgumentException("workload.think-time cannot be negative");
    }
}
