using System.Globalization;
using System.Text;
using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
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
        Key.Time("chain.cpu.verify", "CPU time of one signature verification (default: this machine's measured ECDSA P-256 cost).", Duration.FromNanos(CryptoCosts.ThisMachine.Verify.Nanos).ToString(), max: Key.MaxCpuPerOperation),
        Key.Time("chain.cpu.sign", "CPU time of one signature (default: this machine's measured ECDSA P-256 cost).", Duration.FromNanos(CryptoCosts.ThisMachine.Sign.Nanos).ToString(), max: Key.MaxCpuPerOperation),
        Key.Time("chain.cpu.hash-per-kb", "CPU time to hash one kilobyte with SHA-256 (default: measured on this machine).", Duration.FromNanos(CryptoCosts.ThisMachine.HashPerKb.Nanos).ToString(), max: Key.MaxCpuPerOperation),
        Key.Rate("workload.rate", "Total offered load; overrides the rate written in arrivals (handy to sweep: `workload.rate: [1000/s, 5000/s]`)."),
        Key.Int("workload.outstanding", "Closed loop: each client keeps this many transactions in flight (absent: open loop, see arrivals).", null, min: 1, max: 1_000_000),
        Key.Time("workload.think-time", "Closed loop: pause between a transaction's finality and the client's next one.", "0s"),
        Key.Time("workload.retry-timeout", "A client resends a transaction not final after this long.", "1s", min: 1e-6),
        Key.Int("workload.max-attempts", "A client gives up on a transaction after this many sends, redirects included (counted as abandoned_tx).", 20, min: 1, max: int.MaxValue),
        Key.Choice("workload.profile", "Shape of the arrival rate over time: `flat`; `trading-hours` (the rate is the peak; quiet outside 09:30–16:00, heavier at the open and the close); `bursty` (the rate between bursts, see workload.burst).", ["flat", "trading-hours", "bursty"], "flat"),
        Key.Rate("workload.burst.rate", "bursty profile: total rate during a burst (e.g. orders at a market open or on news)."),
        Key.Time("workload.burst.every", "bursty profile: a burst starts every this long.", "60s", min: 1e-6),
        Key.Time("workload.burst.for", "bursty profile: how long each burst lasts (shorter than workload.burst.every).", "5s", min: 1e-6),
        new("workload.trace", KeyType.Trace, "A CSV trace to replay instead of arrivals: columns time (seconds), size (bytes), type; path relative to the experiment file; checked line by line when the experiment is validated."),
        Key.Time("workload.submit-from", "Clients start submitting at this time, e.g. once a chain has elected its first leader, as a benchmark loads a running cluster (arrivals before it are dropped). Must not be after warmup: throughput is measured from there.", "0s"),
        Key.Time("workload.submit-until", "Clients stop submitting at this time (absent: until the run ends)."),
    ];

    /// <summary>Block cutting from <c>chain.block.*</c> (every protocol that batches reads it).</summary>
    public static BlockOptions Block(RunConfig c) => new()
    {
        MaxTransactions = c.Int("chain.block.max-tx"),
        MaxBytes = c.Size("chain.block.max-size").Bytes,
        BatchTimeout = c.Time("chain.block.timeout"),
    };

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
            Block = Block(c),
            Signing = new TransactionSigning(mode, costs),
        };
    }

    public static WorkloadOptions Workload(RunContext context)
    {
        var c = context.Config;
        var arrivals = c.GetOr<Arrivals?>("workload.arrivals", null) ?? new Arrivals("poisson", new Rate(1000));
        var rate = OfferedRate(c, 1000);
        ArrivalProcess process = arrivals.Process switch
        {
            "constant" => new ConstantArrivals(rate),
            _ => new PoissonArrivals(rate),
        };
        switch (c.Text("workload.profile"))
        {
            case "trading-hours": process = TimeOfDayArrivals.TradingHours(rate); break;
            case "bursty": process = new BurstyArrivals(rate, c.GetOr<Rate?>("workload.burst.rate", null)?.PerSecond ?? rate, c.Time("workload.burst.every"), c.Time("workload.burst.for")); break;
        }
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
            SubmitFrom = c.Time("workload.submit-from"),
            SubmitUntil = c.GetOr<Duration?>("workload.submit-until", null),
            Warmup = context.Warmup,
            RetryTimeout = c.Time("workload.retry-timeout"),
            MaxAttempts = c.Int("workload.max-attempts"),
        };
    }

    /// <summary>
    /// Rules between workload keys, so that none is silently ignored: a closed loop (<c>workload.outstanding</c>)
    /// has no arrival process, rate, profile or trace; think time belongs to a closed loop; a trace replaces the
    /// profile; the burst keys belong to the bursty profile; clients start (<c>workload.submit-from</c>) before the run
    /// ends, before they stop, and no later than the warm-up.
    /// </summary>
    public static void Check(RunConfig c, Diagnostics problems)
    {
        bool Set(string key) => c.Entry(key) is { Origin: not "default" };
        var profile = c.Text("workload.profile");
        if (c.Has("workload.outstanding"))
        {
            foreach (var key in new[] { "workload.arrivals", "workload.rate", "workload.trace" }.Where(Set))
                problems.Error(c.MarkOf(key), key, "a closed loop (workload.outstanding) submits when a transaction is final, not on arrivals: remove one of the two");
            if (profile != "flat") problems.Error(c.MarkOf("workload.profile"), "workload.profile", "a closed loop (workload.outstanding) has no arrival profile: remove one of the two");
        }
        else if (c.Time("workload.think-time").Nanos > 0)
            problems.Error(c.MarkOf("workload.think-time"), "workload.think-time", "think time is the pause of a closed loop: set workload.outstanding, or remove it");
        var from = c.Time("workload.submit-from");
        if (from.Nanos > 0)
        {
            if (from >= c.Time("duration"))
                problems.Error(c.MarkOf("workload.submit-from"), "workload.submit-from", $"clients would start at {from}, when the run ({c.Time("duration")}) is over: make it earlier");
            else if (c.GetOr<Duration?>("workload.submit-until", null) is { } until && from >= until)
                problems.Error(c.MarkOf("workload.submit-from"), "workload.submit-from", $"clients would start at {from} and stop at {until} (workload.submit-until): nothing would be submitted");
            else if (from > c.Time("warmup"))
                problems.Error(c.MarkOf("workload.submit-from"), "workload.submit-from", $"clients start at {from}, after the warm-up ({c.Time("warmup")}) ends: throughput_tps would average in time without load; set warmup to {from} or more");
        }
        if (c.Has("workload.trace") && profile != "flat")
            problems.Error(c.MarkOf("workload.profile"), "workload.profile", "a trace replays its own arrival times: remove the profile or the trace");
        if (profile == "bursty")
        {
            if (!c.Has("workload.burst.rate"))
                problems.Error(c.MarkOf("workload.profile"), "workload.burst.rate", "the bursty profile needs the rate during bursts, e.g. workload.burst: { rate: 5000/s }");
            if (c.Time("workload.burst.for") >= c.Time("workload.burst.every"))
                problems.Error(c.MarkOf("workload.burst.for"), "workload.burst.for", $"a burst of {c.Time("workload.burst.for")} every {c.Time("workload.burst.every")} never ends: make it shorter");
        }
        else
            foreach (var key in new[] { "workload.burst.rate", "workload.burst.every", "workload.burst.for" }.Where(Set))
                problems.Error(c.MarkOf(key), key, "only the bursty profile has bursts (workload.profile: bursty)");
    }

    /// <summary>Total offered load in transactions per second: <c>workload.rate</c>, else the rate in <c>workload.arrivals</c>.</summary>
    public static double OfferedRate(RunConfig c, double fallback) =>
        c.GetOr<Rate?>("workload.rate", null)?.PerSecond ?? c.GetOr<Arrivals?>("workload.arrivals", null)?.Rate.PerSecond ?? fallback;

    /// <summary>The <c>byzantine</c> list as the protocol's replicas see it: replica index, behaviour, collusion.
    /// Node names that are not replicas (<c>n&lt;i&gt;</c> with i &lt; chain.nodes) are left for the loader to report.</summary>
    public static IReadOnlyList<ByzantineSpec> Byzantine(RunConfig c)
    {
        var n = c.Int("chain.nodes");
        var list = new List<ByzantineSpec>();
        foreach (var b in c.GetOr<List<Faults.ByzantineSpec>>("byzantine", []))
        {
            if (!TryBehaviour(b.Behaviour, out var behaviour)) continue;
            foreach (var node in b.Nodes)
                if (ReplicaIndex(node, n) is { } r) list.Add(new ByzantineSpec(r, behaviour, b.Collude));
        }
        return list;
    }

    /// <summary>Replica index of a node name <c>n&lt;i&gt;</c> among <paramref name="replicas"/>, or null.</summary>
    public static int? ReplicaIndex(string node, int replicas) =>
        node.Length > 1 && node[0] == 'n' && node.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
        && int.TryParse(node.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r < replicas ? r : null;

    /// <summary>The YAML name of a Byzantine behaviour: <c>DoubleVote</c> → <c>double-vote</c>.</summary>
    public static string BehaviourName(ByzantineBehaviour b)
    {
        var name = b.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static bool TryBehaviour(string name, out ByzantineBehaviour behaviour)
    {
        foreach (var b in Enum.GetValues<ByzantineBehaviour>())
            if (BehaviourName(b) == name) { behaviour = b; return true; }
        behaviour = ByzantineBehaviour.Honest;
        return false;
    }

    /// <summary>A plain chain run of <paramref name="protocol"/>: replicas, load clients from <c>workload.*</c>, Byzantine nodes.</summary>
    public static ChainWorld Build(RunContext context, ChainProtocol protocol) =>
        ChainWorld.Build(protocol, Chain(context), Workload(context), context.Network, Byzantine(context.Config), keySeed: context.Seed);

    /// <summary>Hands a built chain to the runner: its nodes, checkers, fault-target words and its metrics.</summary>
    public static World ToWorld(ChainWorld chain)
    {
        var world = new World();
        world.Nodes.AddRange(chain.Nodes);
        world.Observers.AddRange(chain.Observers);
        foreach (var (word, nodes) in chain.FaultTargets) world.Targets[word] = nodes;
        world.Finish = chain.Complete;
        world.StopWhen = chain.StopWhen;
        return world;
    }

    /// <summary>The low and high ends of a timeout written as a duration or a distribution (uniform(150ms, 300ms)).</summary>
    public static (Duration Low, Duration High) Range(Distribution d) => d switch
    {
        Uniform u => (Duration.FromSeconds(u.Low), Duration.FromSeconds(u.High)),
        _ => (Duration.FromSeconds(d.Minimum), Duration.FromSeconds(Math.Max(d.Minimum, d.Mean * 2 - d.Minimum))),
    };
}
