namespace Lab.Ledger.Contracts;

/// <summary>
/// A contract: plain C# run by every replica on every committed call addressed to it. It must be
/// deterministic (no clock, no randomness, no unordered iteration): it reads and writes state only
/// through <see cref="ContractContext"/>, and rejects with <see cref="ContractContext.Reject"/>.
/// </summary>
public interface IContract
{
    /// <summary>Address used in <see cref="ContractCall.Contract"/>.</summary>
    string Name { get; }

    /// <summary>Executes one call. Writes become visible only if the call returns normally.</summary>
    void Execute(ContractContext ctx, string method, object? arguments);
}
