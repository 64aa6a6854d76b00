using Lab.Sim.Distributions;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Benchmarks.Kernel;

/// <summary>
/// The baseline for the kernel benchmark: the same node handlers driven by one global priority queue
/// on one thread, with constant latency and nothing else (no network model, no windows, no actors,
/// no faults). As close to the limit as plain C# gets for this workload. With a jitter it draws each
/// message's delay as the kernel does (base + jitter, from a per-node network stream), so both do the
/// same random-number and latency work per message.
/// </summary>
public sealed class BareLoop
{
    private readonly PriorityQueue<(int To, int From, object Message), (long Time, long Seq)> _queue = new();
    private readonly Node[] _nodes;
    private readonly long _latencyNs;
    private long _seq;

    private readonly Distribution? _jitter;

    public BareLoop(IReadOnlyList<NodeSpec> specs, Duration latency, ulong seed, Distribution? jitter = null)
    {
        _latencyNs = latency.Nanos;
        _jitter = jitter;
        var dir = new NodeDirectory(specs);
        _nodes = specs.Select((s, i) => new Node(this, new NodeId(i), s.Factory(), dir, SimRandom.Stream(seed, "node", i), SimRandom.Stream(seed, "network", i))).ToArray();
    }

    private long Delay(SimRandom net) => _jitter is null ? _latencyNs : _latencyNs + (long)Math.Floor(_jitter.Sample(net) * 1e9);

    public long Run(long maxEvents)
    {
        foreach (var n in _nodes) n.Behaviour.OnStart(n);
        long events = 0;
        while (events < maxEvents && _queue.TryDequeue(out var e, out var key))
        {
            var node = _nodes[e.To];
            node.NowNs = key.Time;
            node.Behaviour.OnMessage(node, new NodeId(e.From), e.Message);
            events++;
        }
        return events;
    }

    private sealed class Node(BareLoop loop, NodeId self, INodeBehaviour behaviour, NodeDirectory dir, SimRandom rng, SimRandom net) : INodeContext
    {
        public long NowNs;
        public INodeBehaviour Behaviour { get; } = behaviour;
        public SimTime Now => new(NowNs);
        public NodeId Self { get; } = self;
        public SimRandom Random { get; } = rng;
        public MetricRecorder Metrics { get; } = new(() => SimTime.Zero, Duration.FromSeconds(1));
        public DurableStore Storage { get; } = new();
        public NodeDirectory Directory { get; } = dir;
        public void Send(NodeId to, object message, int sizeBytes) =>
            loop._queue.Enqueue((to.Value, Self.Value, message), (NowNs + loop.Delay(net), ++loop._seq));
        public SimTime? SendUncharged(NodeId to, object message, int sizeBytes, Duration delay) => throw new NotSupportedException("the ping workload sends plainly");
        public TimerId SetTimer(Duration after, object state) => throw new NotSupportedException("the ping workload sets no timers");
        public void CancelTimer(TimerId id) { }
        public void ChargeCpu(Duration cpu) => NowNs += cpu.Nanos;
    }
}
