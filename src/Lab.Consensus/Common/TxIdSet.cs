using Lab.Ledger.Transactions;

namespace Lab.Consensus.Common;

/// <summary>
/// A set of transaction ids for checkers that see every transaction of a run: clients number their
/// transactions 0, 1, 2, … so one bit per (client, sequence) replaces a hash-table entry or a
/// <see cref="TxIdMap"/> slot (8 bytes) per transaction. Ids far from that pattern (a Byzantine
/// leader's invented ones) go to an ordinary hash set. A client's bits are pages of 32,768 ids
/// (4 KB), allocated as its sequence numbers reach them.
/// </summary>
public sealed class TxIdSet
{
    private const long DenseSequences = 1L << 26;
    private const int DenseClients = 1 << 20;
    private const int PageBits = 15;
    private const int PageSize = 1 << PageBits;
    private ulong[]?[]?[] _pages = [];   // per client, its pages of bits
    private HashSet<TxId>? _sparse;

    public int Count { get; private set; }

    private static bool Dense(TxId id) => id.Client.Value is >= 0 and < DenseClients && id.Sequence < DenseSequences;

    public bool Contains(TxId id)
    {
        if (!Dense(id)) return _sparse?.Contains(id) ?? false;
        var client = id.Client.Value;
        var page = (int)(id.Sequence >> PageBits);
        var bit = (int)(id.Sequence & (PageSize - 1));
        return client < _pages.Length && _pages[client] is { } pages && page < pages.Length
            && pages[page] is { } bits && (bits[bit >> 6] & (1UL << bit)) != 0;
    }

    /// <summary>Adds <paramref name="id"/>; false (and no change) if it is there already.</summary>
    public bool Add(TxId id)
    {
        if (!Dense(id))
        {
            if (!(_sparse ??= []).Add(id)) return false;
            Count++;
            return true;
        }
        var client = id.Client.Value;
        if (client >= _pages.Length) Array.Resize(ref _pages, Math.Max(client + 1, 2 * _pages.Length));
        var pages = _pages[client] ??= new ulong[]?[1];
        var page = (int)(id.Sequence >> PageBits);
        if (page >= pages.Length)
        {
            Array.Resize(ref pages, Math.Max(page + 1, 2 * pages.Length));
            _pages[client] = pages;
        }
        var bits = pages[page] ??= new ulong[PageSize / 64];
        var bit = (int)(id.Sequence & (PageSize - 1));
        ref var word = ref bits[bit >> 6];
        var mask = 1UL << bit;   // shifts of a ulong use the low 6 bits of the count
        if ((word & mask) != 0) return false;
        word |= mask;
        Count++;
        return true;
    }
}
