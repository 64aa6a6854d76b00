using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// An institution's durable diary of things to do at given virtual times (a night cycle, a money
/// settlement, a margin deadline). One timer is armed for the earliest entry; a crash loses the
/// timer but not the diary, and after a restart everything overdue runs at once, in time order —
/// so a cycle missed while the node was down runs late rather than never.
/// </summary>
public sealed class Agenda(string storageKey)
{
    private sealed class State
    {
        public readonly SortedDictionary<(long At, long Seq), object> Entries = [];
        public long Seq;
    }

    private sealed record Due;

    private State _state = new();
    private long _armedFor = long.MaxValue;

    public int Count => _state.Entries.Count;
    public bool IsEmpty => _state.Entries.Count == 0;

    /// <summary>Loads the diary; <paramref name="seed"/> fills a new one (first start only).</summary>
    public void Start(INodeContext ctx, Action? seed = null)
    {
        var fresh = !ctx.Storage.TryGet<State>(storageKey, out _);
        _state = ctx.Storage.GetOrAdd(storageKey, () => new State());
        _armedFor = long.MaxValue;
        if (fresh) seed?.Invoke();
        Arm(ctx);
    }

    public void Add(INodeContext ctx, long atNs, object activity)
    {
        _state.Entries[(atNs, ++_state.Seq)] = activity;
        Arm(ctx);
    }

    /// <summary>The agenda's timer fired: returns the entries now due, earliest first, and re-arms.</summary>
    public bool TryTimer(INodeContext ctx, object state, out List<object> due)
    {
        due = [];
        if (state is not Due) return false;
        _armedFor = long.MaxValue;
        while (_state.Entries.Count > 0)
        {
            var first = _state.Entries.First();
            if (first.Key.At > ctx.Now.Nanos) break;
            _state.Entries.Remove(first.Key);
            due.Add(first.Value);
        }
        Arm(ctx);
        return true;
    }

    private void Arm(INodeContext ctx)
    {
        if (_state.Entries.Count == 0) return;
        var at = _state.Entries.First().Key.At;
        if (at >= _armedFor) return;
        _armedFor = at;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, at - ctx.Now.Nanos)), new Due());
    }
}
