using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// A sender's <see cref="LinkState"/> per destination: an open-addressing hash table of structs in
/// one array (a lookup is one or two cache lines, where a dictionary of objects chased three).
/// Forgets the links whose state can no longer change a send (every field at or before now) when a
/// lookup passes them and when it would otherwise grow: a send from now on leaves at or after now and, where no delay can be
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
            for (int i = Home(key); ; )
            {
                ref var s = ref _slots[i];
                if (s.Key == key) return ref s.State;
                if (s.Key == 0) break;
                // A forgettable link on the way is deleted (its state equals a fresh one), so chains stay as
                // short as the live links make them: a miss used to walk ~8 mostly dead slots at 75% load.
                // Slot i then holds a later entry of the chain (or is empty): look at it again.
                if (canForget && Forgettable(s.State, now)) { Delete(i, mask); continue; }
                i = (i + 1) & mask;
            }
        }
        if (4 * (_count + 1) > 3 * _slots.Length) Rebuild(now);
        return ref Insert(key);
    }

    /// <summary>Empties slot <paramref name="hole"/> by shifting back the entries after it that may move
    /// (linear probing's deletion without tombstones): every key stays reachable from its home slot.</summary>
    private void Delete(int hole, int mask)
    {
        _count--;
        for (int j = (hole + 1) & mask; _slots[j].Key != 0; j = (j + 1) & mask)
        {
            var home = Home(_slots[j].Key);
            // Stays if its home lies cyclically in (hole, j]: moving it before its home would lose it.
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays) continue;
            _slots[hole] = _slots[j];
            hole = j;
        }
        _slots[hole] = default;
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

    /// <summary>Drops the links that can no longer matter, then sizes the table to at most half full.</summary>
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
