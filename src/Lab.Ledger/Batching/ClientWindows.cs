using Lab.Ledger.Transactions;

namespace Lab.Ledger.Batching;

/// <summary>
/// Transaction id → a non-negative number (a queue position), for ids that come and go in about the order clients
/// number them: per client a ring of slots for the sequence numbers [lo, lo + capacity), which grows (up to
/// <see cref="MaxWindow"/>) when a client runs ahead and moves on when its oldest entry goes. An id outside its
/// client's window (behind it, too far ahead, or not a client's numbering at all) is kept in a dictionary instead.
/// An id is in at most one of the two. The windows are structs in one array (one cache line less per use than an
/// object per client: every replica's index is cold when the next request reaches it).
/// </summary>
public sealed class ClientWindows
{
    private const int DenseClients = 1 << 16;
    private const int FirstWindow = 64;
    /// <summary>Most consecutive sequence numbers one client's ring covers.</summary>
    public const int MaxWindow = 1 << 16;

    private struct Window
    {
        public long Lo;        // the oldest sequence number the ring covers
        public long Hi;        // one past the newest sequence number in the ring (Lo == Hi: empty)
        public long[]? Slots;  // value + 1 at [seq & (length − 1)]; 0: absent (null: the client never had one)
        public int Live;
    }

    private Window[] _clients = [];
    private Dictionary<TxId, long>? _others;
    private int _inWindows;

    public int Count => _inWindows + (_others?.Count ?? 0);

    public void Clear()
    {
        _clients = [];
        _others = null;
        _inWindows = 0;
    }

    /// <summary>True if <paramref name="id"/>'s client window covers it: its slot is <paramref name="slots"/>[<paramref name="at"/>].</summary>
    private bool InWindow(TxId id, out long[] slots, out int at)
    {
        var client = id.Client.Value;
        if ((uint)client < (uint)_clients.Length)
        {
            ref var w = ref _clients[client];
            var seq = id.Sequence;
            if (seq >= w.Lo && seq < w.Hi)
            {
                slots = w.Slots!;
                at = (int)(seq & (slots.Length - 1));
                return true;
            }
        }
        slots = [];
        at = 0;
        return false;
    }

    public bool TryGetValue(TxId id, out long value)
    {
        if (InWindow(id, out var slots, out var at) && slots[at] != 0)
        {
            value = slots[at] - 1;
            return true;
        }
        value = 0;
        return _others is not null && _others.TryGetValue(id, out value);
    }

    /// <summary>Adds <paramref name="id"/> with <paramref name="value"/> (≥ 0); false (no change) if it is there already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (_others is not null && _others.ContainsKey(id)) return false;
        var client = id.Client.Value;
        var seq = id.Sequence;
        if ((uint)client < DenseClients)
        {
            if (client >= _clients.Length) Array.Resize(ref _clients, Math.Max(client + 1, 2 * _clients.Length));
            ref var w = ref _clients[client];
            if (seq >= w.Lo && seq < w.Hi && w.Slots![seq & (w.Slots.Length - 1)] != 0) return false; // there already
            w.Slots ??= new long[FirstWindow];
            if (w.Live == 0) w.Lo = w.Hi = seq; // empty: the window starts here
            if (seq >= w.Lo && seq - w.Lo < MaxWindow)
            {
                if (seq - w.Lo >= w.Slots.Length) Grow(ref w, seq - w.Lo + 1);
                var slots = w.Slots!;
                slots[seq & (slots.Length - 1)] = value + 1;
                if (seq >= w.Hi) w.Hi = seq + 1;
                w.Live++;
                _inWindows++;
                return true;
            }
        }
        (_others ??= []).Add(id, value);
        return true;
    }

    /// <summary>Changes the value of <paramref name="id"/>, which must be present.</summary>
    public void Set(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (InWindow(id, out var slots, out var at) && slots[at] != 0) slots[at] = value + 1;
        else if (_others is not null && _others.ContainsKey(id)) _others[id] = value;
        else throw new KeyNotFoundException($"{id} is not in the index");
    }

    public bool Remove(TxId id, out long value)
    {
        if (InWindow(id, out var slots, out var at) && slots[at] != 0)
        {
            value = slots[at] - 1;
            slots[at] = 0;
            ref var w = ref _clients[id.Client.Value];
            w.Live--;
            _inWindows--;
            if (w.Live == 0) w.Lo = w.Hi;
            else while (w.Slots![w.Lo & (w.Slots.Length - 1)] == 0) w.Lo++; // the oldest live one is the new start
            return true;
        }
        value = 0;
        return _others is not null && _others.Remove(id, out value);
    }

    private static void Grow(ref Window w, long needed)
    {
        var old = w.Slots!;
        var length = old.Length;
        while (length < needed) length *= 2;
        var slots = new long[length];
        for (var s = w.Lo; s < w.Hi; s++) slots[s & (length - 1)] = old[s & (old.Length - 1)];
        w.Slots = slots;
    }
}
