using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Experiments.Schema;
using Lab.Experiments.Values;
using Lab.Ledger.Batching;
using Lab.Ledger.Crypto;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The parts of <c>chain:</c> and <c>workload:</c> that every consensus protocol shares: block
/// cutting, signatures and their CPU costs, clients and their arrival process. Protocol models turn
/// a run's configuration into <see cref="ChainOptions"/> and <see cref="WorkloadOptions"/> here.
/// </summary>
public static class ChainConfig
{
    public static IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Choice("chain.signatures", "`modelled`: signatures cost CPU time only; `real`: ECDSA P-256 signed by clients and verified by replicas.", ["modelled", "real"], "modelled"),
        Key.Time("chain.cpu.verify", "CPU time of one signature verification (default: this machine's measured ECDSA P-256 cost).", Duration.FromNanos(CryptoCosts.ThisMachine.Verify.Nanos).ToString()),
        Key.Time("chain.cpu.sign", "CPU time of one signature (default: this machine's measured ECDSA P-256 cost).", Duration.FromNanos(CryptoCosts.ThisMachine.Sign.Nanos).ToString()),
        Key.Time("chain.cpu.hash-per-kb", "CPU time to hash one kilobyte with SHA-256 (default: measured on this machine).", Duration.FromNanos(CryptoCosts.ThisMachine.HashPerKb.Nanos).ToString()),
        Key.Rate("workload.rate", "Total offered load; overrides the rate written in arrivals (handy to sweep: `workload.rate: [1000/s, 5000/s]`)."),
        Key.Int("workload.outstanding", "Closed loop: each client keeps this many transactions in flight (absent: open loop, see arrivals).", null, min: 1, max: 1_000_000),
        Key.Time("workload.think-time", "Closed loop: pause between a transaction's finality and the client's next one.", "0s"),
        Key.Time("workload.retry-timeout", "A client resends a transaction not final after this long.", "1s", min: 1e-6),
        Key.Choice("workload.profile", "Shape of the arrival rate over the day: `flat`, or `trading-hours` (the rate is the peak; quiet outside 09:30–15:00).", ["flat", "trading-hours"], "flat"),
        new("workload.trace", KeyType.Trace, "A CSV trace to replay instead of arrivals: columns time (seconds), size (bytes), type; path relative to the experiment file; checked line by line when the experiment is validated."),
        Key.Time("workload.submit-until", "Clients stop submitting at this time (absent: until the run ends)."),
    ];

    public static ChainOptions Chain(RunContext context)
    {
        var c = context.Config;
        var costs = new CryptoCosts
        {
            Verify = c.Time("chain.cpu.verify"),
            Sign = c.Time("chain.cpu.sign"),
            HashPerKb = c.Time("chain.cpu.hash-per-kb"),
        };
        var mode = c.Text("chain.signatures") == "real" ? SignatureMode.Real : SignatureMode.Modelled;
        return new ChainOptions
        {
            Nodes = c.Int("chain.nodes"),
            Placement = c.GetOr<Placement?>("chain.placement", null) is { Regions.Count: > 0 } p ? [.. p.Regions.Select(r => r.Name)] : null,
            Block = new BlockOptions
            {
                MaxTransactions = c.Int("chain.block.max-tx"),
                MaxBytes = c.Size("chain.block.max-size").Bytes,
                BatchTimeout = c.Time("chain.block.timeout"),
            },
            Signing = new TransactionSigning(mode, costs),
        };
    }

    public static WorkloadOptions Workload(RunContext context, FinalityRule finality)
    {
        var c = context.Config;
        var arrivals = c.GetOr<Arrivals?>("workload.arrivals", null) ?? new Arrivals("poisson", new Rate(1000));
        var rate = OfferedRate(c, 1000);
        ArrivalProcess process = arrivals.Process switch
        {
            "constant" => new ConstantArrivals(rate),
            _ => new PoissonArrivals(rate),
        };
        if (c.Text("workload.profile") == "trading-hours") process = TimeOfDayArrivals.TradingHours(rate);
        // Read and checked at validation (KeyType.Trace): the run replays what was validated.
        if (c.GetOr<TraceArrivals?>("workload.trace", null) is { } trace) process = trace;
        var regions = c.GetOr<List<object>?>("workload.clients.regions", null)?.Cast<string>().ToList();
        return new WorkloadOptions
        {
            Arrivals = process,
            Clients = c.Int("workload.clients.count"),
            ClientRegions = regions is null || regions.Count == 0 || regions.Contains("all") ? null : regions,
            ClosedLoopOutstanding = c.GetOr<long?>("workload.outstanding", null) is { } k ? checked((int)k) : null,
            ThinkTime = c.Time("workload.think-time"),
            TxSizeBytes = new Constant(c.Size("workload.tx-size").Bytes),
            SubmitUntil = c.GetOr<Duration?>("workload.submit-until", null),
            Warmup = context.Warmup,
            Finality = finality with { RetryTimeout = c.Time("workload.retry-timeout") },
        };
    }

    /// <summary>Total offered load in transactions per second: <c>workload.rate</c>, else the rate in <c>workload.arrivals</c>.</summary>
    public static double OfferedRate(RunConfig c, double fallback) =>
        c.GetOr<Rate?>("workload.rate", null)?.PerSecond ?? c.GetOr<Arrivals?>("workload.arrivals", null)?.Rate.PerSecond ?? fallback;

    /// <summary>Hands a built chain to the runner: its nodes, checkers, the "leader" fault target and its metrics.</summary>
    public static World ToWorld(ChainWorld chain)
    {
        var world = new World();
        world.Nodes.AddRange(chain.Nodes);
        world.Observers.AddRange(chain.Observers);
        world.Targets["leader"] = ChainWorld.Leader;
        world.Finish = chain.Complete;
        return world;
    }

    /// <summary>The low and high ends of a timeout written as a duration or a distribution (uniform(150ms, 300ms)).</summary>
    public static (Duration Low, Duration High) Range(Distribution d) => d switch
    {
        Uniform u => (Duration.FromSeconds(u.Low), Duration.FromSeconds(u.High)),
        _ => (Duration.FromSeconds(d.Minimum), Duration.FromSeconds(Math.Max(d.Minimum, d.Mean * 2 - d.Minimum))),
    };
}
