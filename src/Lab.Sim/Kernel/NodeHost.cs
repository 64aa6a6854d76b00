using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>
/// Everything the kernel keeps for one node: its event queue, clock, CPU, timers, random streams
/// and outbox. Processes its own events for one window at a time; touched by one thread at a time.
/// </summary>
internal sealed class NodeHost : INodeContext
{
    private EventQueue _queue; // a struct in place: one object fewer to reach per event
    private readonly HashSet<long> _liveTimers = [];
    private readonly LinkTable _links;
    private readonly NetworkModel _network;
    private readonly Mailroom _mail;
    // The NIC: null where the capacity is unlimited (and the collections until first needed), so an
    // idle node in a network without bandwidth limits costs no more than before.
    private readonly Uplink? _uplink;
    private readonly Downlink? _downlink;
    // Messages whose last bit has not left this node's NIC yet (in uplink order): lost if the node crashes first.
    private Queue<(int To, long Sequence, long LeavesAt)>? _unsent;
    // Messages queued here whose sender crashed before they left it: dropped when their turn comes.
    private HashSet<(int Source, long Sequence)>? _neverSent;
    private readonly SimRandom _netRandom;
    private SimTime _now;
    private SimTime _busyUntil;
    private long _sequence;
    private SimTime _windowFloor; // earliest arrival allowed for a cross-node message in this window

    public NodeHost(NodeId id, NodeSpec spec, NodeDirectory directory, NetworkModel network, Mailroom mail, ulong rootSeed, Duration seriesBin)
    {
        Self = id;
        _mail = mail;
        _links = new LinkTable(network.DelaysNonNegative);
        Spec = spec;
        Directory = directory;
        _network = network;
        // Streams keyed by node index: adding a node never changes another node's draws.
        Random = SimRandom.Stream(rootSeed, "node", id.Value);
        _netRandom = SimRandom.Stream(rootSeed, "network", id.Value);
        if (network.HasUplinkLimit(id.Value)) _uplink = new Uplink();
        if (network.HasDownlinkLimit(id.Value)) _downlink = new Downlink(network.DownloadOf(id.Value));
        Metrics = new MetricRecorder(() => _now, seriesBin);
        Behaviour = spec.Factory();
    }

    public NodeId Self { get; }
    public NodeSpec Spec { get; }
    public NodeDirectory Directory { get; }
    public SimRandom Random { get; }
    public MetricRecorder Metrics { get; }
    public DurableStore Storage { get; } = new();
    public INodeBehaviour Behaviour { get; private set; }
    public NodeState State { get; private set; } = NodeState.Up;
    public SimTime Now => _now;

    public readonly List<Outgoing> Outbox = [];
    /// <summary>Set while a worker of the actor executor runs this node: its run slice's messages, by destination range.</summary>
    public Outbound? Sink;
    public long EventsProcessed, MessagesSent, BytesSent, MessagesDelivered, MessagesDropped;
    public Duration BusyTime;
    /// <summary>Running hash of every event this node handled (time, source, sequence): equal
    /// hashes mean the same events in the same order.</summary>
    public ulong TraceHash = 14695981039346656037UL;

    /// <summary>When this node can next do something, or <see cref="SimTime.MaxValue"/> if never.</summary>
    public SimTime NextReady
    {
        get
        {
            if (State != NodeState.Up || !_queue.TryPeek(out var env, out var key)) return SimTime.MaxValue;
            // The NIC works while the CPU is busy.
            return env.Kind == EnvelopeKind.AtDownlink ? new SimTime(key.Time) : SimTime.Max(new SimTime(key.Time), _busyUntil);
        }
    }

    public void Start(SimTime at)
    {
        _now = SimTime.Max(at, _busyUntil);
        _windowFloor = at + _network.Lookahead;
        Behaviour.OnStart(this);
        _busyUntil = _now;
    }

    /// <summary>Handles every event that can start before <paramref name="windowEnd"/>.</summary>
    public void RunWindow(SimTime windowStart, SimTime windowEnd, Duration lookahead)
    {
        _windowFloor = windowStart + lookahead;
        while (State == NodeState.Up && _queue.TryPeek(out var env, out var key))
        {
            if (env.Kind == EnvelopeKind.AtDownlink)
            {
                if (key.Time >= windowEnd.Nanos) break;
                _queue.Dequeue();
                ReachDownlink(env, key);
                continue;
            }
            var start = SimTime.Max(new SimTime(key.Time), _busyUntil);
            if (start >= windowEnd) break;
            _queue.Dequeue();
            TraceHash = unchecked(((TraceHash ^ (ulong)start.Nanos) * 1099511628211UL ^ (ulong)key.Source * 0x9E3779B97F4A7C15UL ^ (ulong)key.Sequence) * 1099511628211UL);
            if (env.Kind == EnvelopeKind.Timer)
            {
                if (!_liveTimers.Remove(env.Aux)) continue; // cancelled
                _now = start;
                EventsProcessed++;
                Behaviour.OnTimer(this, env.Payload);
            }
            else
            {
                if (key.Source != Self.Value && Undeliverable(key)) { MessagesDropped++; continue; }
                _now = start;
                EventsProcessed++;
                if (key.Source != Self.Value) MessagesDelivered++;
                Behaviour.OnMessage(this, new NodeId(key.Source), env.Payload);
            }
            BusyTime += _now - start;
            _busyUntil = _now;
        }
    }

    /// <summary>
    /// A message from <paramref name="key"/>'s source that its sender never finished sending (it
    /// crashed first), or that a partition which began while it was in flight cuts off.
    /// </summary>
    private bool Undeliverable(EventKey key) =>
        (_neverSent is { Count: > 0 } && _neverSent.Remove((key.Source, key.Sequence)))
        || _network.Conditions.Blocks(key.Source, Self.Value);

    /// <summary>
    /// The first bit of a message reaches this node's limited downlink (in key order, so in order of
    /// first-bit arrival); the node gets the message when the downlink has served its last byte.
    /// </summary>
    private void ReachDownlink(in Envelope env, EventKey key)
    {
        if (Undeliverable(key)) { MessagesDropped++; return; }
        var done = _downlink!.Receive(new SimTime(key.Time), new SimTime(env.Aux), env.SizeBytes);
        _queue.Enqueue(Envelope.Message(env.Payload, env.SizeBytes), key with { Time = done.Nanos });
    }

    /// <summary>Accepts a message from another node (between windows).</summary>
    public void Deliver(in Outgoing m)
    {
        if (State == NodeState.Down) { MessagesDropped++; return; }
        _queue.Enqueue(m.Envelope, m.Key);
    }

    /// <summary>Its sender crashed before <paramref name="sequence"/> left it (between windows).</summary>
    public void NeverSent(int source, long sequence)
    {
        if (State != NodeState.Down) (_neverSent ??= []).Add((source, sequence));
    }

    public void Send(NodeId to, object message, int sizeBytes)
    {
        if (to == Self)
        {
            // A message to oneself is a local event: no network, no latency.
            _queue.Enqueue(Envelope.Message(message, sizeBytes), new EventKey(_now.Nanos, Self.Value, ++_sequence));
            return;
        }
        MessagesSent++;
        BytesSent += sizeBytes;
        ref var link = ref _links.Get(to.Value, _now);
        SimTime firstLeaves, lastLeaves, nicDone;
        if (_uplink is null && !_network.HasLinkCaps) firstLeaves = lastLeaves = nicDone = _now; // nothing to queue for
        else lastLeaves = _network.Transmit(Self.Value, to.Value, sizeBytes, _now, _uplink, ref link, out firstLeaves, out nicDone);
        // Sent, so the uplink was used, but a partition or cut link drops it in the network.
        if (_network.Conditions.Blocks(Self.Value, to.Value)) { MessagesDropped++; return; }
        if (!_network.Propagate(Self.Value, to.Value, firstLeaves, lastLeaves, _netRandom, ref link, out var arrival, out var duplicate))
        { MessagesDropped++; return; }
        Post(to, message, sizeBytes, arrival, nicDone, viaDownlink: true);
        if (duplicate is { } d) Post(to, message, sizeBytes, d, nicDone, viaDownlink: true);
    }

    public SimTime? SendUncharged(NodeId to, object message, int sizeBytes, Duration delay)
    {
        if (delay.IsNegative) throw new ArgumentOutOfRangeException(nameof(delay), "a message cannot leave in the past");
        var leaves = _now + delay;
        if (to == Self)
        {
            _queue.Enqueue(Envelope.Message(message, sizeBytes), new EventKey(leaves.Nanos, Self.Value, ++_sequence));
            return leaves;
        }
        MessagesSent++;
        BytesSent += sizeBytes;
        if (_network.Conditions.Blocks(Self.Value, to.Value)) { MessagesDropped++; return null; }
        ref var link = ref _links.Get(to.Value, _now);
        if (!_network.Propagate(Self.Value, to.Value, leaves, leaves, _netRandom, ref link, out var arrival, out var duplicate))
        { MessagesDropped++; return null; }
        Post(to, message, sizeBytes, arrival, leaves, viaDownlink: false);
        if (duplicate is { } d) Post(to, message, sizeBytes, d, leaves, viaDownlink: false);
        return arrival.LastBit;
    }

    /// <summary>Hands a routed message to the kernel: to the receiver's downlink if it is limited, else straight to the receiver at its last bit.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Post(NodeId to, object message, int sizeBytes, Arrival arrival, SimTime leavesNic, bool viaDownlink)
    {
        if (arrival.FirstBit < _windowFloor)
            throw new InvalidOperationException(
                $"kernel invariant broken: {Spec.Name} sent a message arriving at {arrival.FirstBit}, inside the current window (ends {_windowFloor}); the network's minimum latency is wrong");
        var seq = ++_sequence;
        var outgoing = viaDownlink && _network.HasDownlinkLimit(to.Value)
            ? new Outgoing(to, new EventKey(arrival.FirstBit.Nanos, Self.Value, seq), Envelope.AtDownlink(message, sizeBytes, arrival.LastBit))
            : new Outgoing(to, new EventKey(arrival.LastBit.Nanos, Self.Value, seq), Envelope.Message(message, sizeBytes));
        // One thread runs the window: post it to the kernel at once (no outbox to copy it from).
        if (_mail.Immediate) _mail.DeliverNow(outgoing);
        else if (_mail.Direct) _mail.Post(outgoing);
        else if (Sink is { } sink) sink.Add(outgoing);
        else Outbox.Add(outgoing);
        if (leavesNic > _now)
        {
            _unsent ??= new();
            while (_unsent.TryPeek(out var u) && u.LeavesAt <= _now.Nanos) _unsent.Dequeue();
            _unsent.Enqueue((to.Value, seq, leavesNic.Nanos));
        }
    }

    public TimerId SetTimer(Duration after, object state)
    {
        if (after.IsNegative) throw new ArgumentOutOfRangeException(nameof(after), "a timer cannot fire in the past");
        var id = ++_sequence;
        _liveTimers.Add(id);
        _queue.Enqueue(Envelope.Timer(state, id), new EventKey((_now + after).Nanos, Self.Value, id));
        return new TimerId(id);
    }

    public void CancelTimer(TimerId id) => _liveTimers.Remove(id.Value);

    public void ChargeCpu(Duration cpu)
    {
        if (cpu.IsNegative) throw new ArgumentOutOfRangeException(nameof(cpu));
        _now += cpu;
    }

    // ---- faults, applied between windows ----

    /// <summary>
    /// Crashes the node at <paramref name="at"/>: its queue, timers and NIC queues are lost. Returns
    /// the messages it had sent whose last bit had not left its NIC by then (the receivers must drop them).
    /// </summary>
    public List<(int To, long Sequence)> Crash(SimTime at)
    {
        var neverSent = new List<(int To, long Sequence)>();
        if (State == NodeState.Down) return neverSent;
        State = NodeState.Down;
        MessagesDropped += _queue.CountMessages();
        _queue.Clear();
        _liveTimers.Clear();
        _links.Clear();
        _neverSent?.Clear();
        foreach (var (to, seq, leavesAt) in _unsent ?? [])
            if (leavesAt > at.Nanos) neverSent.Add((to, seq));
        _unsent?.Clear();
        _uplink?.Abandon(at);
        _downlink?.Abandon(at);
        return neverSent;
    }

    // What the CPU and NIC had done when the measured window began (all zero when it begins at time zero).
    private SimTime _measuredFrom;
    private Duration _busyAtFrom;
    private long _uplinkAtFrom;
    private double _downlinkAtFrom;

    /// <summary>Utilisation is measured from <paramref name="at"/> on (the experiment's warm-up ends): called between
    /// windows, when no event before <paramref name="at"/> is left to run. An event that began before it counts its whole
    /// CPU time before it.</summary>
    public void StartMeasuring(SimTime at)
    {
        _measuredFrom = at;
        _busyAtFrom = BusyTime;
        _uplinkAtFrom = _uplink?.BusyBefore(at) ?? 0;
        _downlinkAtFrom = _downlink?.ServedBefore(at) ?? 0;
    }

    /// <summary>Share of the measured window up to <paramref name="end"/> this node's CPU was busy, 0 to 1.</summary>
    public double CpuUtilisation(SimTime end) =>
        end <= _measuredFrom ? 0 : Math.Min(1.0, (double)(BusyTime - _busyAtFrom).Nanos / (end.Nanos - _measuredFrom.Nanos));

    /// <summary>How hard this node's NIC worked over the measured window up to <paramref name="end"/> (the queue
    /// percentiles are over the whole run: their samples are not kept with their times).</summary>
    public NicUsage NicUsage(SimTime end) => new(
        _uplink?.Utilisation(_measuredFrom, _uplinkAtFrom, end) ?? 0, _uplink?.Waits.Quantile(0.99) ?? 0,
        _downlink?.Utilisation(_measuredFrom, _downlinkAtFrom, end) ?? 0, _downlink?.Waits.Quantile(0.99) ?? 0);

    public void Restart(SimTime at, bool loseDisk)
    {
        if (State != NodeState.Down) return;
        if (loseDisk) Storage.Wipe();
        State = NodeState.Up;
        _busyUntil = at;
        Behaviour = Spec.Factory();
        Start(at);
    }

    public void Pause() { if (State == NodeState.Up) State = NodeState.Paused; }

    public void Resume(SimTime at)
    {
        if (State != NodeState.Paused) return;
        State = NodeState.Up;
        _busyUntil = SimTime.Max(_busyUntil, at);
    }
}
