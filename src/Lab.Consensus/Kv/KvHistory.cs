using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Consensus.Kv;

/// <summary>
/// The history of a run's key-value clients: every operation with its invocation and completion times. Each client
/// writes only its own list (clients run in parallel windows), so recording needs no lock; <see cref="Operations"/>
/// merges them in a fixed order.
/// </summary>
public sealed class KvHistory(int clients)
{
    private readonly List<KvOperation>[] _byClient = [.. Enumerable.Range(0, clients).Select(_ => new List<KvOperation>())];
    private readonly Dictionary<TxId, int>[] _open = [.. Enumerable.Range(0, clients).Select(_ => new Dictionary<TxId, int>())];

    public void Invoke(int client, TxId tx, KvCommand command, SimTime at)
    {
        _open[client][tx] = _byClient[client].Count;
        _byClient[client].Add(new KvOperation(client, tx, command, at));
    }

    public void Complete(int client, TxId tx, string? answer, SimTime at)
    {
        if (!_open[client].Remove(tx, out var i)) return;
        _byClient[client][i] = _byClient[client][i] with { Completed = at, Answer = answer };
    }

    /// <summary>Every operation, ordered by invocation time, then client.</summary>
    public IReadOnlyList<KvOperation> Operations =>
        [.. _byClient.SelectMany(c => c).OrderBy(o => o.Invoked.Nanos).ThenBy(o => o.Client).ThenBy(o => o.Tx.Value)];
}
