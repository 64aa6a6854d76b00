namespace Lab.Ledger.Transactions;

/// <summary>
/// A map from transaction id to a non-negative number (a log index, a height), for indexes that hold
/// every transaction of a run: clients number their transactions 0, 1, 2, … so a slot per
/// (client, sequence) in a per-client array replaces a hash-table entry per transaction (less memory,
/// no rehashing, no cache miss per probe). Ids far from that pattern (a Byzantine leader's invented
/// ones) go to an ordinary dictionary. A client's slots are pages of 4,096 (the first grows from 256 up to
/// that), so an index that grows with the run is never copied to a larger array. Values are log indexes and
/// heights: below 2³¹ − 1, so a slot is an int (4 bytes a transaction, not 8).
/// </summary>
public sealed class TxIdMap
{
    private const long DenseSequences = 1L << 26;
    private const int DenseClients = 1 << 20;
    private const int PageBits = TxSlotPages.PageBits;
    private const int PageSize = TxSlotPages.PageSize;
    // Per client, its pages; value + 1 per sequence number; 0 = absent.
    private int[]?[]?[] _slots = [];
    private Dictionary<TxId, long>? _sparse;

    public int Count { get; private set; }

    private static bool Dense(TxId id) => id.Client.Value is >= 0 and < DenseClients && id.Sequence < DenseSequences;

    public bool TryGetValue(TxId id, out long value)
    {
        value = 0;
        if (!Dense(id)) return _sparse?.TryGetValue(id, out value) ?? false;
        var client = id.Client.Value;
        var seq = id.Sequence;
        var page = (int)(seq >> PageBits);
        var at = (int)(seq & (PageSize - 1));
        if (client >= _slots.Length || _slots[client] is not { } pages || page >= pages.Length
            || pages[page] is not { } slots || at >= slots.Length || slots[at] == 0) return false;
        value = slots[at] - 1;
        return true;
    }

    public bool ContainsKey(TxId id) => TryGetValue(id, out _);

    /// <summary>Sets the value for <paramref name="id"/> (0 ≤ <paramref name="value"/> &lt; 2³¹ − 1).</summary>
    public void Set(TxId id, long value)
    {
        TxSlotPages.CheckValue(value);
        if (!Dense(id))
        {
            _sparse ??= [];
            if (_sparse.TryAdd(id, value)) Count++;
            else _sparse[id] = value;
            return;
        }
        ref var slot = ref Slot(id);
        if (slot == 0) Count++;
        slot = (int)value + 1;
    }

    /// <summary>Adds <paramref name="id"/> with <paramref name="value"/>; false (and no change) if it is there already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        TxSlotPages.CheckValue(value);
        if (!Dense(id))
        {
            if (!(_sparse ??= []).TryAdd(id, value)) return false;
            Count++;
            return true;
        }
        ref var slot = ref Slot(id);
        if (slot != 0) return false;
        slot = (int)value + 1;
        Count++;
        return true;
    }

    private ref int Slot(TxId id)
    {
        var client = id.Client.Value;
        if (client >= _slots.Length) Array.Resize(ref _slots, Math.Max(client + 1, 2 * _slots.Length));
        return ref TxSlotPages.Slot(ref _slots[client], id.Sequence, out _);
    }
}

/// <summary>
/// The per-client slot layout of the indexes that hold every transaction of a run (<see cref="TxIdMap"/>, and the
/// consensus layer's index of executed requests): a client's sequence numbers in pages of 4,096 int slots, the first
/// page growing from 256 up to that, value + 1 per slot and 0 for absent.
/// </summary>
public static class TxSlotPages
{
    public const int PageBits = 12;
    public const int PageSize = 1 << PageBits;

    /// <summary>A value a slot can hold: 0 ≤ <paramref name="value"/> &lt; 2³¹ − 1.</summary>
    public static void CheckValue(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, int.MaxValue);
    }

    /// <summary>The slot of sequence number <paramref name="sequence"/> (below 2²⁶) in a client's page table
    /// <paramref name="pages"/>, made or grown as needed; <paramref name="page"/> is the page that holds it.</summary>
    public static ref int Slot(ref int[]?[]? pages, long sequence, out int[] page)
    {
        pages ??= new int[]?[1];
        var number = (int)(sequence >> PageBits);
        var at = (int)(sequence & (PageSize - 1));
        if (number >= pages.Length) Array.Resize(ref pages, Math.Max(number + 1, 2 * pages.Length));
        // Page 0 starts at 256 slots and doubles up to a full page; the others are full pages.
        page = pages[number] ??= new int[number == 0 ? Math.Min(PageSize, Math.Max(256, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)at + 1))) : PageSize];
        if (at >= page.Length)
        {
            Array.Resize(ref page, Math.Min(PageSize, Math.Max(at + 1, 2 * page.Length)));
            pages[number] = page;
        }
        return ref page[at];
    }
}
