using Lab.Ledger.Transactions;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// A replica's executed (committed) requests → the sequence number or height that executed them. Every replica
/// records every request it executes and checks every request it receives against this index (at n = 64, 64 of
/// each per transaction), and the index of each replica is cold by the time it is used again, so what counts is
/// how many cache lines one use touches. Clients number their requests 0, 1, 2, …: per client, one record holds the
/// newest executed sequence number and the page of slots it is on, so a new request (a sequence number above the
/// newest) is answered from the record alone and an execution in order writes through the record into that page
/// (two lines), where <see cref="TxIdMap"/> walks from a per-client array through a page table (four). The
/// pages are <see cref="TxIdMap"/>'s (<see cref="TxSlotPages"/>); ids far from that pattern (a Byzantine leader's
/// invented ones) go to a dictionary.
/// </summary>
public sealed class CommittedRequests
{
    private const int DenseClients = 1 << 16;
    private const long DenseSequences = 1L << 26;
    private const int PageBits = TxSlotPages.PageBits;
    private const int PageSize = TxSlotPages.PageSize;

    private struct Client
    {
        public long Newest;        // 1 + the highest sequence number executed (0: none)
        public int[]? Last;        // the page last written, and its number
        public long LastPage;
        public int[]?[]? Pages;
    }

    private Client[] _clients = [];
    private Dictionary<TxId, long>? _others;

    public int Count { get; private set; }

    private static bool Dense(TxId id) => (uint)id.Client.Value < DenseClients && id.Sequence < DenseSequences;

    public bool TryGetValue(TxId id, out long value)
    {
        value = 0;
        if (!Dense(id)) return _others is not null && _others.TryGetValue(id, out value);
        var c = id.Client.Value;
        if (c >= _clients.Length) return false;
        ref var client = ref _clients[c];
        var seq = id.Sequence;
        if (seq >= client.Newest) return false; // newer than anything executed: the common case, one record read
        var page = seq >> PageBits;
        var slots = page == client.LastPage ? client.Last : page < client.Pages!.Length ? client.Pages[page] : null;
        var at = (int)(seq & (PageSize - 1));
        if (slots is null || at >= slots.Length || slots[at] == 0) return false;
        value = slots[at] - 1;
        return true;
    }

    public bool ContainsKey(TxId id) => TryGetValue(id, out _);

    /// <summary>Records <paramref name="id"/> as executed at <paramref name="value"/> (0 ≤ value &lt; 2³¹ − 1);
    /// false (no change) if it was already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        TxSlotPages.CheckValue(value);
        if (!Dense(id))
        {
            if (!(_others ??= []).TryAdd(id, value)) return false;
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
        var c = id.Client.Value;
        if (c >= _clients.Length) Array.Resize(ref _clients, Math.Max(c + 1, 2 * _clients.Length));
        ref var client = ref _clients[c];
        var seq = id.Sequence;
        var page = seq >> PageBits;
        var at = (int)(seq & (PageSize - 1));
        if (seq >= client.Newest) client.Newest = seq + 1;
        if (page == client.LastPage && client.Last is { } last && at < last.Length) return ref last[at];
        ref var slot = ref TxSlotPages.Slot(ref client.Pages, seq, out var slots);
        client.Last = slots;
        client.LastPage = page;
        return ref slot;
    }
}
