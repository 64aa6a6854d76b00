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
    private readonly PriorityQueue<Envelope, EventKey> _queue = new(EventKeyComparer.Instance);
    private readonly HashSet<long> _liveTimers = [];
    private readonly Dictionary<int, LinkState> _links = [];
    private readonly NetworkModel _network;
    private readonly SimRandom _netRandom;
    private SimTime _now;
    private SimTime _busyUntil;
    private long _sequence;
    private SimTime _windowFloor; // earliest arrival allowed for a cross-node message in this window

    public NodeHost(NodeId id, NodeSpec spec, NodeDirectory directory, NetworkModel network, ulong rootSeed, Duration seriesBin)
    {
        Self = id;
        Spec = spec;
        Directory = directory;
        _network = network;
        // Streams keyed by node index: adding a node never changes another node's draws.
        Random = SimRandom.Stream(rootSeed, "node", id.Value);
        _netRandom = SimRandom.Stream(rootSeed, "network", id.Value);
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
    public long EventsProcessed, MessagesSent, BytesSent, MessagesDelivered, MessagesDropped;
    public Duration BusyTime;
    /// <summary>Running hash of every event this node handled (time, source, sequence): equal
    /// hashes mean the same events in the same order.</summary>
    public ulong TraceHash = 14695981039346656037UL;

    private long _claimedWindow;

    /// <summary>Takes the right to run window <paramref name="window"/>; false if already taken.</summary>
    public bool Claim(long window)
    {
        while (true)
        {
            var c = Volatile.Read(ref _claimedWindow);
            if (c >= window) return false;
            if (Interlocked.CompareExchange(ref _claimedWindow, window, c) == c) return true;
        }
    }

    /// <summary>When this node can next do something, or <see cref="SimTime.MaxValue"/> if never.</summary>
    public SimTime NextReady
    {
        get
        {
            if (State != NodeState.Up || !_queue.TryPeek(out _, out var key)) return SimTime.MaxValue;
            return SimTime.Max(new SimTime(key.Time), _busyUntil);
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
            var start = SimTime.Max(new SimTime(key.Time), _busyUntil);
            if (start >= windowEnd) break;
            _queue.Dequeue();
            TraceHash = unchecked(((TraceHash ^ (ulong)start.Nanos) * 1099511628211UL ^ (ulong)key.Source * 0x9E3779B97F4A7C15UL ^ (ulong)key.Sequence) * 1099511628211UL);
            if (env.TimerId != 0)
            {
                if (!_liveTimers.Remove(env.TimerId)) continue; // cancelled
                _now = start;
                EventsProcessed++;
                Behaviour.OnTimer(this, env.Payload);
            }
            else
            {
                // A partition that started while the message was in flight drops it on arrival.
                if (key.Source != Self.Value && _network.Conditions.Blocks(key.Source, Self.Value)) { MessagesDropped++; continue; }
                _now = start;
                EventsProcessed++;
                if (key.Source != Self.Value) MessagesDelivered++;
                Behaviour.OnMessage(this, new NodeId(key.Source), env.Payload);
            }
            BusyTime += _now - start;
            _busyUntil = _now;
        }
    }

    /// <summary>Accepts a message from another node (between windows).</summary>
    public void Deliver(in Outgoing m)
    {
        if (State == NodeState.Down) { MessagesDropped++; return; }
        _queue.Enqueue(m.Envelope, m.Key);
    }

    public void Send(NodeId to, object message, int sizeBytes)
    {
        if (to == Self)
        {
            // A message to oneself is a local event: no network, no latency.
            _queue.Enqueue(new Envelope(message, sizeBytes, 0), new EventKey(_now.Nanos, Self.Value, ++_sequence));
            return;
        }
        MessagesSent++;
        BytesSent += sizeBytes;
        if (_network.Conditions.Blocks(Self.Value, to.Value)) { MessagesDropped++; return; }
        if (!_links.TryGetValue(to.Value, out var link)) _links[to.Value] = link = new LinkState();
        if (!_network.Route(Self.Value, to.Value, sizeBytes, _now, _netRandom, link, out var arrival, out var duplicate))
        { MessagesDropped++; return; }
        if (arrival < _windowFloor)
            throw new InvalidOperationException(
                $"kernel invariant broken: {Spec.Name} sent a message arriving at {arrival}, inside the current window (ends {_windowFloor}); the network's minimum latency is wrong");
        var env = new Envelope(message, sizeBytes, 0);
        Outbox.Add(new Outgoing(to, new EventKey(arrival.Nanos, Self.Value, ++_sequence), env));
        if (duplicate is { } d) Outbox.Add(new Outgoing(to, new EventKey(d.Nanos, Self.Value, ++_sequence), env));
    }

    public TimerId SetTimer(Duration after, object state)
    {
        if (after.IsNegative) throw new ArgumentOutOfRangeException(nameof(after), "a timer cannot fire in the past");
        var id = ++_sequence;
        _liveTimers.Add(id);
        _queue.Enqueue(new Envelope(state, 0, id), new EventKey((_now + after).Nanos, Self.Value, id));
        return new TimerId(id);
    }

    public void CancelTimer(TimerId id) => _liveTimers.Remove(id.Value);

    public void ChargeCpu(Duration cpu)
    {
        if (cpu.IsNegative) throw new ArgumentOutOfRangeException(nameof(cpu));
        _now += cpu;
    }

    // ---- faults, applied between windows ----

    public void Crash()
    {
        if (State == NodeState.Down) return;
        State = NodeState.Down;
        MessagesDropped += _queue.UnorderedItems.Count(i => i.Element.TimerId == 0);
        _queue.Clear();
        _liveTimers.Clear();
        _links.Clear();
    }

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
