namespace Lab.Ledger.Contracts;

/// <summary>
/// The payload of a contract transaction: which contract, which method, with what arguments.
/// The caller is the transaction's <c>Submitter</c> (its consortium identity).
/// </summary>
/// <param name="Arguments">An immutable record the contract understands (e.g. a DvP instruction).</param>
public sealed record ContractCall(string Contract, string Method, object? Arguments = null)
{
    public override string ToString() => $"{Contract}.{Method}({Arguments})";
}
