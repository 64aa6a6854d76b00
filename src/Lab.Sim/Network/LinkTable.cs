using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// A sender's <see cref="LinkState"/> per destination: an open-addressing hash table of structs in
/// one array (a lookup is one or two cache lines, where a dictionary of objects chased three).
/// Forgets the links whose state can no longer change a send (every field at or before now) when it
/// would otherwise grow: a send from now on leaves at or after now and, where no delay can be
/// negative, arrives no earlier, so such a link's cap queue and FIFO clamp are no-ops, exactly as for
/// a fresh one. Without this a node that talks to many peers (random traffic over thousands of
/// nodes) keeps one entry per peer it ever reached.
/// </summary>
public sealed class LinkTable(bool canForget)
{
    private struct Slot
    {
        public int Key; // destination + 1; 0 = empty
        public LinkState State;
    }

    private Slot[] _slots = [];
    private Slot[] _spare = []; // the previous array, reused when the size stays (no garbage per rebuild)
    private int _count;
    private int _shift = 32;

    public int Count => _count;

    /// <summary>The state of the link to <paramref name="to"/> (fresh if unknown), valid until the next call.</summary>
    public ref LinkState Get(int to, SimTime now)
    {
        var key = to + 1;
        if (_count > 0)
        {
            var mask = _slots.Length - 1;
            int reusable = -1;
            for (int i = Home(key); ; i = (i + 1) & mask)
            {
                ref var s = ref _slots[i];
                if (s.Key == key) return ref s.State;
                if (s.Key == 0) break;
                if (reusable < 0 && canForget && Forgettable(s.State, now)) reusable = i;
            }
            // An unknown link takes the place of a forgettable one on its way (the table stays small):
            // the forgotten link's state equals a fresh one, and every chain stays unbroken.
            if (reusable >= 0)
            {
                ref var r = ref _slots[reusable];
                r.Key = key;
                r.State = default;
                return ref r.State;
            }
        }
        if (4 * (_count + 1) > 3 * _slots.Length) Rebuild(now);
        return ref Insert(key);
    }

    private static bool Forgettable(in LinkState s, SimTime now) => s.CapFreeAt <= now && s.LastFirstBit <= now && s.LastLastBit <= now;

    public void Clear()
    {
        _slots = _spare = [];
        _count = 0;
        _shift = 32;
    }

    private int Home(int key) => (int)(unchecked((uint)key * 2654435769u) >> _shift);

    private ref LinkState Insert(int key)
    {
        var mask = _slots.Length - 1;
        int i = Home(key);
        while (_slots[i].Key != 0) i = (i + 1) & mask;
        _slots[i].Key = key;
        _slots[i].State = default;
        _count++;
        return ref _slots[i].State;
    }

    /// <summary>Drops the links that can no longer matter, then sizes the table to a quarter full.</summary>
    private void Rebuild(SimTime now)
    {
        var old = _slots;
        int live = 0;
        foreach (ref var s in old.AsSpan())
        {
            if (s.Key == 0) continue;
            if (canForget && Forgettable(s.State, now)) { s.Key = 0; continue; }
            live++;
        }
        int bits = 3;
        while ((1 << bits) < 2 * (live + 1)) bits++;
        if (_spare.Length == 1 << bits) { _slots = _spare; Array.Clear(_slots); }
        else _slots = new Slot[1 << bits];
        _spare = old;
        _shift = 32 - bits;
        _count = 0;
        foreach (ref var s in old.AsSpan())
            if (s.Key != 0) Insert(s.Key) = s.State;
    }
}
