using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Consensus.Kv;

/// <summary>
/// One operation of a key-value history, as its client saw it: invoked (submitted) and completed (final, with
/// the store's answer) at virtual times. <see cref="Completed"/> is null while it has no answer: it may or may not
/// have taken effect (a write), or says nothing (a read).
/// </summary>
public sealed record KvOperation(int Client, TxId Tx, KvCommand Command, SimTime Invoked, SimTime? Completed = null, string? Answer = null)
{
    public override string ToString() =>
        $"c{Client} {Command} [{Invoked} → {(Completed is { } c ? c.ToString() : "…")}]" + (Answer is null ? "" : $" = {Answer}");
}
