using Lab.Ledger.Transactions;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// A replica's executed (committed) requests → the sequence number or height that executed them: a
/// <see cref="TxIdMap"/> plus, per client, the newest sequence number in it. Every replica checks every
/// request it receives against this index (at n = 64, 64 lookups per transaction), and almost all of them are
/// new: a client's sequence number above its newest executed one answers "not executed" from one small array,
/// without walking the map's pages (which are cold, one set per replica).
/// </summary>
public sealed class CommittedRequests
{
    private const int MaxFilteredClients = 1 << 16;
    private readonly TxIdMap _map = new();
    // Per client node id: 1 + the highest sequence number executed (0: none).
    private long[] _newest = [];

    public int Count => _map.Count;

    public bool TryGetValue(TxId id, out long value)
    {
        var client = id.Client.Value;
        if ((uint)client < MaxFilteredClients && (client >= _newest.Length || id.Sequence >= _newest[client]))
        {
            value = 0;
            return false;
        }
        return _map.TryGetValue(id, out value);
    }

    public bool ContainsKey(TxId id) => TryGetValue(id, out _);

    /// <summary>Records <paramref name="id"/> as executed at <paramref name="value"/>; false (no change) if it was already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        if (!_map.TryAdd(id, value)) return false;
        var client = id.Client.Value;
        if ((uint)client < MaxFilteredClients)
        {
            if (client >= _newest.Length) Array.Resize(ref _newest, Math.Max(client + 1, 2 * _newest.Length));
            if (id.Sequence >= _newest[client]) _newest[client] = id.Sequence + 1;
        }
        return true;
    }
}
