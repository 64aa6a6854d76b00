namespace Lab.Ledger;

/// <summary>Names of the metrics the ledger layer records (membership gate, contract runtime), defined once.</summary>
public static class LedgerMetrics
{
    /// <summary>Messages rejected: from a non-member, a bad signature, a wrong sender (counter).</summary>
    public const string RejectedMessages = "rejected_messages";
    /// <summary>Contract calls that succeeded (counter, recorded by one replica).</summary>
    public const string ContractAccepted = "contract_accepted";
    /// <summary>Contract calls the contract refused (counter, recorded by one replica).</summary>
    public const string ContractRejected = "contract_rejected";
    /// <summary>Contract calls by a caller without the right role (counter).</summary>
    public const string ContractUnauthorised = "contract_unauthorised";
    /// <summary>Blocks after which an asset's balances no longer summed to its supply (counter).</summary>
    public const string ConservationViolations = "conservation_violations";
    /// <summary>Finding kind of a conservation violation.</summary>
    public const string ConservationFinding = "conservation-violation";
}
