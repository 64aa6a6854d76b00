namespace Lab.Sim.Kernel;

/// <summary>
/// Holds the messages sent in a window and hands them to their destinations after it, with many nodes grouped by
/// destination: each destination's host and queue are touched once per window for all of its
/// messages (with thousands of nodes each touch is a cache miss), and each node is registered with
/// the kernel's wake-up queue once, right after its messages are in. Grouping is a counting sort over
/// the destinations only, so a window costs nothing for idle nodes. The order in which a node's
/// messages enter its queue never matters: the queue orders them by their unique keys.
/// </summary>
internal sealed class Mailroom(int nodes, bool group = true)
{
    // Grouping pays where the nodes' state is far beyond the caches (thousands of nodes); a few nodes' hosts and queues stay
    // in cache, and there each message goes straight to its destination in posted order (the same order per destination as
    // the stable grouping gives), without the counting sort's three passes (SimulationOptions.GroupDeliveriesAbove).
    private readonly bool _group = group;

    /// <summary>The time each node is registered at in the wake-up queue (<see cref="long.MaxValue"/>: not registered).</summary>
    public readonly long[] Registered = Enumerable.Repeat(long.MaxValue, nodes).ToArray();
    private readonly bool[] _marked = new bool[nodes];
    private readonly int[] _markedList = new int[nodes];
    private readonly int[] _slot = new int[nodes]; // per marked node: its message count, then where its group ends
    private int _markedCount;
    private Outgoing[] _posted = new Outgoing[64];
    private Outgoing[] _grouped = [];
    private int _postedCount;
    private NodeHost[] _hosts = [];

    /// <summary>True while one thread runs every node of a window: senders post here straight away,
    /// with no outbox of their own. (With several threads each node keeps an outbox, posted after the window.)</summary>
    public bool Direct;

    /// <summary>True while one thread runs a window whose every message arrives at or after its end (a positive
    /// lookahead): a message then goes straight into its destination's queue, which cannot run it in this window.</summary>
    public bool Immediate;

    public void Attach(NodeHost[] hosts) => _hosts = hosts;

    /// <summary>Puts a message straight into its destination's queue (see <see cref="Immediate"/>); the destination is registered at the next <see cref="Deliver"/>.</summary>
    public void DeliverNow(in Outgoing m)
    {
        var to = m.To.Value;
        _hosts[to].Deliver(m);
        Mark(to);
    }

    public void Post(in Outgoing m)
    {
        if (_postedCount == _posted.Length) Array.Resize(ref _posted, 2 * _posted.Length);
        _posted[_postedCount++] = m;
    }

    /// <summary>Asks for <paramref name="node"/> to be registered again at the next <see cref="Deliver"/> (e.g. it ran).</summary>
    public void Mark(int node)
    {
        if (_marked[node]) return;
        _marked[node] = true;
        _slot[node] = 0;
        _markedList[_markedCount++] = node;
    }

    /// <summary>Delivers every posted message, destination by destination, and calls
    /// <paramref name="register"/> once for each destination and marked node.</summary>
    public void Deliver(Simulation register)
    {
        var posted = _posted.AsSpan(0, _postedCount);
        if (!_group)
        {
            foreach (ref readonly var m in posted)
            {
                Mark(m.To.Value);
                _hosts[m.To.Value].Deliver(m);
            }
            foreach (var n in _markedList.AsSpan(0, _markedCount))
            {
                _marked[n] = false;
                register.Register(n);
            }
            posted.Clear();   // let the payloads go
            _postedCount = 0;
            _markedCount = 0;
            return;
        }
        foreach (ref readonly var m in posted)
        {
            var to = m.To.Value;
            Mark(to);
            _slot[to]++;
        }
        var marked = _markedList.AsSpan(0, _markedCount);
        int offset = 0;
        foreach (var n in marked) { var c = _slot[n]; _slot[n] = offset; offset += c; }
        if (_grouped.Length < _postedCount) _grouped = new Outgoing[_posted.Length];
        foreach (ref readonly var m in posted) _grouped[_slot[m.To.Value]++] = m;
        int start = 0;
        foreach (var n in marked)
        {
            var end = _slot[n];
            if (end > start)
            {
                var h = _hosts[n];
                for (int i = start; i < end; i++) h.Deliver(_grouped[i]);
            }
            start = end;
            _marked[n] = false;
            register.Register(n);
        }
        // Let the payloads go.
        posted.Clear();
        _grouped.AsSpan(0, _postedCount).Clear();
        _postedCount = 0;
        _markedCount = 0;
    }
}
