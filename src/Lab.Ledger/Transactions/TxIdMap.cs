namespace Lab.Ledger.Transactions;

/// <summary>
/// A map from transaction id to a non-negative number (a log index, a height), for indexes that hold
/// every transaction of a run: clients number their transactions 0, 1, 2, … so a slot per
/// (client, sequence) in a per-client array replaces a hash-table entry per transaction (less memory,
/// no rehashing, no cache miss per probe). Ids far from that pattern (a Byzantine leader's invented
/// ones) go to an ordinary dictionary.
/// </summary>
public sealed class TxIdMap
{
    private const long DenseSequences = 1L << 26;
    private const int DenseClients = 1 << 20;
    // Value + 1 per sequence number; 0 = absent.
    private long[]?[] _slots = [];
    private Dictionary<TxId, long>? _sparse;

    public int Count { get; private set; }

    private static bool Dense(TxId id) => id.Client.Value is >= 0 and < DenseClients && id.Sequence < DenseSequences;

    public bool TryGetValue(TxId id, out long value)
    {
        value = 0;
        if (!Dense(id)) return _sparse?.TryGetValue(id, out value) ?? false;
        var client = id.Client.Value;
        if (client >= _slots.Length || _slots[client] is not { } slots || id.Sequence >= slots.Length || slots[id.Sequence] == 0) return false;
        value = slots[id.Sequence] - 1;
        return true;
    }

    public bool ContainsKey(TxId id) => TryGetValue(id, out _);

    /// <summary>Sets the value for <paramref name="id"/> (<paramref name="value"/> ≥ 0).</summary>
    public void Set(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (!Dense(id))
        {
            _sparse ??= [];
            if (_sparse.TryAdd(id, value)) Count++;
            else _sparse[id] = value;
            return;
        }
        ref var slot = ref Slot(id);
        if (slot == 0) Count++;
        slot = value + 1;
    }

    /// <summary>Adds <paramref name="id"/> with <paramref name="value"/>; false (and no change) if it is there already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (!Dense(id))
        {
            if (!(_sparse ??= []).TryAdd(id, value)) return false;
            Count++;
            return true;
        }
        ref var slot = ref Slot(id);
        if (slot != 0) return false;
        slot = value + 1;
        Count++;
        return true;
    }

    private ref long Slot(TxId id)
    {
        var client = id.Client.Value;
        if (client >= _slots.Length) Array.Resize(ref _slots, Math.Max(client + 1, 2 * _slots.Length));
        var slots = _slots[client] ??= new long[256];
        var seq = (int)id.Sequence;
        if (seq >= slots.Length)
        {
            Array.Resize(ref slots, (int)Math.Min(DenseSequences, Math.Max(seq + 1L, 2L * slots.Length)));
            _slots[client] = slots;
        }
        return ref slots[seq];
    }
}
