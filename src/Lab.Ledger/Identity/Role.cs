namespace Lab.Ledger.Identity;

/// <summary>What a consortium member may do.</summary>
public enum Role
{
    /// <summary>Runs consensus: may send protocol messages and submit transactions.</summary>
    Validator,
    /// <summary>Submits transactions (a bank, a broker, a load generator).</summary>
    Client,
    /// <summary>Reads the ledger but may not write to it (e.g. a regulator with a supervisory view).</summary>
    Regulator,
}
