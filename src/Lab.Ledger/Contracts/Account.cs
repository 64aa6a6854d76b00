namespace Lab.Ledger.Contracts;

/// <summary>
/// A holder's balance of one asset, named once: its state key (<c>balance/&lt;asset&gt;/&lt;holder&gt;</c>) is built
/// here rather than on every call. The same on every replica (only names, no state), so a contract may keep its
/// accounts in a table by index and hand them to <see cref="ContractContext.Balance(Account)"/> and
/// <see cref="ContractContext.Transfer(Account, Account, long)"/>.
/// </summary>
public sealed class Account
{
    public Account(string asset, string holder)
    {
        Asset = asset;
        Holder = holder;
        // One string object per key in the process, shared by every replica's accounts: the state's table then stores the object
        // a lookup brings, and finding a balance compares references instead of characters (a few thousand keys at most).
        Key = string.Intern(ContractRuntime.BalanceKey(asset, holder));
        // The asset the conservation totals count this key under: read back from the key up to its first slash, as for keys written by name.
        TotalOf = string.Intern(Key[ContractRuntime.BalancePrefix.Length..Key.IndexOf('/', ContractRuntime.BalancePrefix.Length)]);
    }

    public string Asset { get; }
    public string Holder { get; }
    /// <summary>The state key of this balance.</summary>
    public string Key { get; }
    internal string TotalOf { get; }

    public override string ToString() => Key;
}
