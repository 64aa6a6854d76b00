namespace Lab.Ledger.Contracts;

/// <summary>Thrown by <see cref="ContractContext.Reject"/>: the call is rejected and all its writes discarded.</summary>
public sealed class ContractRejected(string reason, bool unauthorised = false) : Exception(reason)
{
    public string Reason { get; } = reason;
    /// <summary>The caller lacked the identity or role for the call (counted separately).</summary>
    public bool Unauthorised { get; } = unauthorised;
}
