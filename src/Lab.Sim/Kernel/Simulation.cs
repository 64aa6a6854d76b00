using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>
/// One run of a world in virtual time, with conservative parallel windows: with lookahead L (the
/// smallest latency the network can produce) every event in [T, T+L) can run at once, because no
/// message sent in that window can arrive inside it. Each node's events run in key order; messages
/// between nodes are handed over between windows. Faults, observers and stop predicates act only
/// between windows. The result depends on the seed alone, never on threads.
/// </summary>
public sealed class Simulation : ISimulationView
{
    private readonly SimulationOptions _options;
    private readonly NetworkModel _network;
    private readonly NodeHost[] _hosts;
    private readonly List<ScheduledFault> _faults;
    private readonly List<ISimulationObserver> _observers = [];
    private readonly WakeupQueue _wakeups = new();
    private readonly Mailroom _mail;
    private readonly long[] _registered;
    private readonly bool[] _inWindow;
    private readonly SimRandom _faultRandom;
    private readonly List<FaultWindow> _faultLog = [];
    // Keyed by reference: two equal fault records are still two faults.
    private readonly Dictionary<ScheduledFault, ScheduledFault> _undoOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ScheduledFault, IReadOnlyList<NodeId>> _hit = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ScheduledFault, int> _openFaults = new(ReferenceEqualityComparer.Instance);
    private int _nextFault;
    private SimTime _now;
    private long _windows;
    private long _nodesVersion;
    private bool _ran;
    private bool _measuring;   // utilisation is measured from time zero (the default) or from MeasureFrom, reached

    public Simulation(SimulationOptions options, NetworkSpec network, IReadOnlyList<NodeSpec> nodes, IEnumerable<ScheduledFault>? faults = null)
    {
        _options = options;
        // The actor system starts while the world is built.
        if (options.Mode == ExecutionMode.Actors) ActorExecutor.Prewarm();
        Directory = new NodeDirectory(nodes);
        _network = new NetworkModel(network, nodes.Select(n => n.Region).ToList());
        _hosts = new NodeHost[nodes.Count];
        _mail = new Mailroom(nodes.Count, group: nodes.Count > options.GroupDeliveriesAbove);
        for (int i = 0; i < nodes.Count; i++)
            _hosts[i] = new NodeHost(new NodeId(i), nodes[i], Directory, _network, _mail, options.Seed, options.SeriesBin);
        _mail.Attach(_hosts);
        _registered = _mail.Registered;
        _inWindow = new bool[nodes.Count];
        _activeBits = new ulong[(nodes.Count + 63) / 64];
        _faultRandom = SimRandom.Stream(options.Seed, "faults");
        _faults = ExpandUndos(faults ?? []);
        _registerAt = RegisterAt;
    }

    private readonly Action<int, long> _registerAt;
    private readonly List<int> _activeIds = [];
    private readonly ulong[] _activeBits;
    private const int ImmediateMaxNodes = 512;

    public NodeDirectory Directory { get; }
    public SimTime Now => _now;
    public Duration Lookahead => _network.Lookahead;
    public NetworkConditions Network => _network.Conditions;
    public NodeState StateOf(NodeId node) => _hosts[node.Value].State;
    public INodeBehaviour BehaviourOf(NodeId node) => _hosts[node.Value].Behaviour;
    public int RegionIndex(string region) => _network.Spec.RegionIndex(region);
    public long NodesVersion => _nodesVersion;

    /// <summary>Stops the run between windows when this returns true.</summary>
    public Func<ISimulationView, bool>? StopWhen { get; set; }

    public void AddObserver(ISimulationObserver observer) => _observers.Add(observer);

    /// <summary>Runs to a stop condition. <paramref name="progress"/> is called between windows with the virtual time.</summary>
    public RunResult Run(CancellationToken cancel = default, Action<SimTime>? progress = null)
    {
        if (_ran) throw new InvalidOperationException("a Simulation runs once; build a new one for another run");
        _ran = true;
        using var executor = _options.Mode == ExecutionMode.Actors ? new ActorExecutor(_hosts, _options.ParallelMinEvents, _options.Threads) : null;
        var active = new List<NodeHost>();
        var lookahead = _network.Lookahead;
        var minWindow = Duration.FromNanos(Math.Max(1, lookahead.Nanos));
        long events = 0, lastWindowEvents = 0;
        var reason = StopReason.EndTime;
        _measuring = _options.MeasureFrom <= SimTime.Zero;

        foreach (var h in _hosts) h.Start(SimTime.Zero);
        foreach (var h in _hosts) Merge(h);
        foreach (var h in _hosts) _mail.Mark(h.Self.Value);
        RegisterMarked();
        foreach (var o in _observers) o.OnStart(this);

        while (true)
        {
            if (cancel.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            var next = PeekWakeup();
            var fault = _nextFault < _faults.Count ? _faults[_nextFault].At : SimTime.MaxValue;
            if (fault <= next && fault < _options.EndTime)
            {
                _now = fault;
                while (_nextFault < _faults.Count && _faults[_nextFault].At == fault) Apply(_faults[_nextFault++]);
                if (Barrier()) { reason = StopReason.Predicate; break; }
                continue;
            }
            if (next >= _options.EndTime)
            {
                if (next == SimTime.MaxValue && _options.EndTime == SimTime.MaxValue) reason = StopReason.Idle;
                else _now = _options.EndTime;
                break;
            }
            if (events >= _options.MaxEvents) { reason = StopReason.MaxEvents; break; }

            var windowEnd = SimTime.Min(SimTime.Min(next + minWindow, fault), _options.EndTime);
            if (!_measuring && windowEnd > _options.MeasureFrom)
            {
                // Before the first window that reaches the measured part: nothing has run at or after MeasureFrom
                // unless this window straddles it (then what it runs before MeasureFrom counts as measured: an error of
                // less than one window). Windows are not cut there: observers act at barriers, and an extra one would
                // change results.
                StartMeasuring();
            }
            active.Clear();
            _activeIds.Clear();
            while (_wakeups.TryDequeueBefore(windowEnd.Nanos, out var n, out var t))
            {
                if (t != _registered[n] || _inWindow[n]) continue;
                _inWindow[n] = true;
                _registered[n] = long.MaxValue;
                _activeIds.Add(n);
            }
            // A dense window runs its nodes in index order: their hosts, queues and tables were allocated in that
            // order, so walking them (and their destinations, mostly the same nodes) in it is kinder to the caches
            // and the TLB than the wake-up queue's time order. The order never changes a result: a node's window reads
            // only its own queue, whose order is its events' unique keys (the actor executor runs them in any order).
            if (_activeIds.Count * 64 >= _hosts.Length && _activeIds.Count > 1) SortDense(_activeIds);
            foreach (var n in _activeIds) active.Add(_hosts[n]);

            long before = events;
            if (executor is not null && executor.Worthwhile(active.Count, lastWindowEvents))
            {
                foreach (var h in active) _inWindow[h.Self.Value] = false;
                events += executor.RunWindow(active, next, windowEnd, lookahead, _registerAt);
            }
            else
            {
                // One pass per node: run it and count its events; its messages go straight to the mailroom.
                _mail.Direct = true;
                // Straight into the destination's queue when nothing sent now can arrive before windowEnd (a
                // positive lookahead) and the nodes are few enough to stay in cache: measured on RandomPing,
                // 64 nodes ~12% less CPU per event than grouping by destination; 6,000 nodes ~35% more (and ~60%
                // more once dense windows run in index order). Why: with ~4 messages per destination per window,
                // grouping reaches a destination's host, queue and heap array once for all of them, in index order,
                // where putting each straight in reaches them at four random moments, evicted again in between
                // (6,000 nodes' state is far beyond the 2 MB L2). Only the copy is saved, which pays in cache alone.
                _mail.Immediate = lookahead.Nanos > 0 && _hosts.Length <= ImmediateMaxNodes;
                try
                {
                    foreach (var h in active)
                    {
                        var done = h.EventsProcessed;
                        h.RunWindow(next, windowEnd, lookahead);
                        events += h.EventsProcessed - done;
                        _inWindow[h.Self.Value] = false;
                        _mail.Mark(h.Self.Value);
                    }
                }
                finally { _mail.Direct = _mail.Immediate = false; }
            }
            lastWindowEvents = events - before;
            RegisterMarked();
            _now = windowEnd;
            _windows++;
            if (Barrier()) { reason = StopReason.Predicate; break; }
            progress?.Invoke(_now);
        }

        foreach (var o in _observers) o.OnEnd(this);
        return BuildResult(reason);
    }

    /// <summary>Utilisation is measured from <see cref="SimulationOptions.MeasureFrom"/> on: each node notes what its CPU
    /// and NIC had done by then.</summary>
    private void StartMeasuring()
    {
        _measuring = true;
        foreach (var h in _hosts) h.StartMeasuring(_options.MeasureFrom);
    }

    private bool Barrier()
    {
        foreach (var o in _observers) o.OnBarrier(this);
        return StopWhen?.Invoke(this) == true;
    }

    private SimTime PeekWakeup()
    {
        while (_wakeups.TryPeek(out var n, out var t))
        {
            if (t == _registered[n] && !_inWindow[n]) return new SimTime(t);
            _wakeups.Dequeue();
        }
        return SimTime.MaxValue;
    }

    /// <summary>Sorts node indices through a bitmap of the nodes: one word per 64 nodes, no more than one per
    /// index when at least one node in 64 is in the list.</summary>
    private void SortDense(List<int> ids)
    {
        int lo = int.MaxValue, hi = -1;
        foreach (var n in ids)
        {
            _activeBits[n >> 6] |= 1UL << n;
            lo = Math.Min(lo, n >> 6);
            hi = Math.Max(hi, n >> 6);
        }
        ids.Clear();
        for (int w = lo; w <= hi; w++)
        {
            var bits = _activeBits[w];
            _activeBits[w] = 0;
            while (bits != 0)
            {
                ids.Add((w << 6) | System.Numerics.BitOperations.TrailingZeroCount(bits));
                bits &= bits - 1;
            }
        }
    }

    /// <summary>Delivers the messages sent since the last call and registers every node that ran or got one, once each.</summary>
    private void RegisterMarked() => _mail.Deliver(this);

    internal void Register(int node) => RegisterAt(node, _hosts[node].NextReady.Nanos);

    /// <summary>Registers <paramref name="node"/> in the wake-up queue at <paramref name="t"/>, its <see cref="NodeHost.NextReady"/>.</summary>
    private void RegisterAt(int node, long t)
    {
        if (t == _registered[node]) return;
        _registered[node] = t;
        if (t != long.MaxValue) _wakeups.Enqueue(node, t);
        if (_wakeups.Count > 4 * _hosts.Length + 1024) CompactWakeups();
    }

    /// <summary>
    /// Lazy deletion leaves a stale entry behind each superseded registration (e.g. a far-future
    /// timer overtaken by a message); without pruning the heap grows with the run and every
    /// operation slows. Rebuilds it from the live registrations, one per node. Which equal-time
    /// node comes out first never affects results (a window takes all of them).
    /// </summary>
    private void CompactWakeups()
    {
        _wakeups.Clear();
        for (int n = 0; n < _hosts.Length; n++)
            if (_registered[n] != long.MaxValue && !_inWindow[n]) _wakeups.Enqueue(n, _registered[n]);
    }

    /// <summary>Hands a node's sent messages to their destinations (between windows, one thread);
    /// the destinations are registered by the next <see cref="RegisterMarked"/>.</summary>
    private void Merge(NodeHost from)
    {
        if (from.Outbox.Count == 0) return;
        foreach (var m in from.Outbox) _mail.Post(m);
        from.Outbox.Clear();
    }

    // ---- faults ----

    private List<ScheduledFault> ExpandUndos(IEnumerable<ScheduledFault> faults)
    {
        var list = new List<(ScheduledFault F, int Order)>();
        int order = 0;
        foreach (var f in faults)
        {
            list.Add((f, order++));
            if (f.For is not { } d) continue;
            var undo = new ScheduledFault(f.At + d, Undo(f.Action));
            _undoOf[undo] = f;
            list.Add((undo, order++));
        }
        return list.OrderBy(x => x.F.At.Nanos).ThenBy(x => x.Order).Select(x => x.F).ToList();
    }

    private static FaultAction Undo(FaultAction a) => a switch
    {
        Crash c => new Restart(c.Nodes),
        Pause p => new Resume(p.Nodes),
        Partition => new Heal(),
        Cut c => new Uncut(c.Nodes),
        LossBurst => new LossBurst(0),
        LatencySpike => new LatencySpike(1),
        SlowNodes s => new SlowNodes(s.Nodes, 1),
        _ => throw new ArgumentException($"{a.GetType().Name} cannot be given a duration"),
    };

    /// <summary>The nodes a fault hits. An undo hits exactly the nodes its fault hit ("crash: leader,
    /// for: 5s" restarts the node that was leader at the crash, not whoever leads 5 s later).</summary>
    private IReadOnlyList<NodeId> Targets(ScheduledFault f, NodeSelector selector)
    {
        if (_undoOf.TryGetValue(f, out var original) && _hit.TryGetValue(original, out var nodes)) return nodes;
        var resolved = selector.Resolve(this, _faultRandom);
        if (f.For is not null) _hit[f] = resolved;
        return resolved;
    }

    private void Apply(ScheduledFault f)
    {
        string Names(IReadOnlyList<NodeId> ns) => string.Join(", ", ns.Select(Directory.Name));
        int[] Ix(IReadOnlyList<NodeId> ns) => ns.Select(n => n.Value).ToArray();
        string text;
        if (f.Action is Crash or Restart or Pause or Resume) _nodesVersion++;
        switch (f.Action)
        {
            case Crash c:
                var crashed = Targets(f, c.Nodes);
                foreach (var n in crashed)
                    foreach (var (to, seq) in _hosts[n.Value].Crash(_now))
                        _hosts[to].NeverSent(n.Value, seq);
                foreach (var n in crashed) Register(n.Value);
                text = $"crash {Names(crashed)}";
                break;
            case Restart r:
                var restarted = Targets(f, r.Nodes);
                foreach (var n in restarted) _hosts[n.Value].Restart(_now, r.LoseDisk);
                foreach (var n in restarted) Merge(_hosts[n.Value]);
                foreach (var n in restarted) _mail.Mark(n.Value);
                RegisterMarked();
                text = $"restart {Names(restarted)}";
                break;
            case Pause p:
                var paused = Targets(f, p.Nodes);
                foreach (var n in paused) { _hosts[n.Value].Pause(); Register(n.Value); }
                text = $"pause {Names(paused)}";
                break;
            case Resume r:
                var resumed = Targets(f, r.Nodes);
                foreach (var n in resumed) { _hosts[n.Value].Resume(_now); Register(n.Value); }
                text = $"resume {Names(resumed)}";
                break;
            case Partition p:
                var groups = p.Groups.Select(g => (IReadOnlyList<int>)Ix(g.Resolve(this, _faultRandom))).ToList();
                // Unlisted nodes of a kind no group mentions (clients, institutions) keep reaching every side.
                var listedKinds = groups.SelectMany(g => g).Select(i => Directory[new NodeId(i)].Kind).ToHashSet();
                var bystanders = Directory.All.Where(n => !listedKinds.Contains(Directory[n].Kind)).Select(n => n.Value).ToList();
                _network.Conditions.Partition(groups, bystanders);
                text = "partition " + string.Join(" | ", groups.Select(g => string.Join(", ", g.Select(i => Directory.Name(new NodeId(i))))));
                break;
            case Heal:
                _network.Conditions.Heal();
                text = "heal partition";
                break;
            case Cut c:
                var cut = Targets(f, c.Nodes);
                _network.Conditions.Cut(Ix(cut));
                text = $"cut links among {Names(cut)}";
                break;
            case Uncut u:
                var uncut = Targets(f, u.Nodes);
                _network.Conditions.Uncut(Ix(uncut));
                text = $"restore links among {Names(uncut)}";
                break;
            case LossBurst l:
                _network.Conditions.ExtraLoss = l.Probability;
                text = l.Probability > 0 ? $"loss burst {l.Probability:P0}" : "loss burst ends";
                break;
            case LatencySpike s:
                _network.Conditions.SetLatencyFactor(s.Factor);
                text = s.Factor > 1 ? $"latency ×{s.Factor}" : "latency back to normal";
                break;
            case SlowNodes s:
                var slow = Targets(f, s.Nodes);
                _network.Conditions.SetSlow(Ix(slow), s.Factor);
                text = s.Factor > 1 ? $"links of {Names(slow)} ×{s.Factor} slower" : $"links of {Names(slow)} back to normal";
                break;
            default:
                throw new ArgumentException($"unknown fault {f.Action.GetType().Name}");
        }
        RecordFault(f, text);
    }

    private void RecordFault(ScheduledFault f, string text)
    {
        // An undo closes its fault's window; every other fault opens one (a point if it has no duration).
        if (_undoOf.TryGetValue(f, out var original) && _openFaults.Remove(original, out var index))
        {
            _faultLog[index] = _faultLog[index] with { End = _now };
            return;
        }
        _faultLog.Add(new FaultWindow(_now, f.For is null ? _now : null, text));
        if (f.For is not null) _openFaults[f] = _faultLog.Count - 1;
    }

    private RunResult BuildResult(StopReason reason)
    {
        long ev = 0, sent = 0, bytes = 0, delivered = 0, dropped = 0;
        ulong trace = 14695981039346656037UL;
        foreach (var h in _hosts)
        {
            trace = unchecked((trace ^ h.TraceHash) * 1099511628211UL);
            ev += h.EventsProcessed; sent += h.MessagesSent; bytes += h.BytesSent;
            delivered += h.MessagesDelivered; dropped += h.MessagesDropped;
        }
        // A run idle from before MeasureFrom to its end never reached a window there: nothing ran in the measured part.
        if (!_measuring && _now > _options.MeasureFrom) StartMeasuring();
        var span = Math.Max(1, _now.Nanos);
        var cpu = _hosts.Select(h => h.CpuUtilisation(new SimTime(span))).ToArray();
        // NIC figures only where the network charges bandwidth: elsewhere they are all zero, and
        // leaving them out keeps such runs' output as it was.
        NicUsage[] nic = _network.HasBandwidthLimits ? [.. _hosts.Select(h => h.NicUsage(new SimTime(span)))] : [];
        var stats = new RunStats(ev, sent, bytes, delivered, dropped, _windows, _now, reason, [.. _faultLog], cpu, trace) { Nic = nic };
        var metrics = RunMetrics.Merge(_options.SeriesBin, _hosts.Select(h => h.Metrics));
        if (nic.Length > 0)
        {
            metrics.Scalars[KernelMetrics.UplinkUtilisationMax] = nic.Max(u => u.UplinkUtilisation);
            metrics.Scalars[KernelMetrics.UplinkQueueP99] = nic.Max(u => u.UplinkQueueP99Seconds);
            metrics.Scalars[KernelMetrics.DownlinkUtilisationMax] = nic.Max(u => u.DownlinkUtilisation);
            metrics.Scalars[KernelMetrics.DownlinkQueueP99] = nic.Max(u => u.DownlinkQueueP99Seconds);
        }
        return new RunResult(stats, metrics, Directory);
    }
}

/// <summary>The outcome of one run: kernel counts and the merged metrics of every node.</summary>
public sealed record RunResult(RunStats Stats, RunMetrics Metrics, NodeDirectory Nodes);
