namespace Lab.Finance.Securities.Clearing;

/// <summary>
/// The settlement bank's book of cash accounts (minor units). Every change is a transfer from one
/// account to another, so the total never changes. Internal accounts never go negative; a transfer
/// that would take one below zero is refused (returns false) and nothing moves.
/// </summary>
public sealed class CashLedger(AccountMap accounts)
{
    private readonly long[] _balance = new long[accounts.CashAccounts];

    public AccountMap Accounts => accounts;
    public long this[int account] => _balance[account];
    public long Total => _balance.Sum();
    public IReadOnlyList<long> Balances => _balance;

    public bool Transfer(int from, int to, long amount)
    {
        if (amount < 0) throw new ArgumentOutOfRangeException(nameof(amount), "transfer a non-negative amount");
        if (amount == 0 || from == to) return true;
        if (!accounts.IsExternalCash(from) && _balance[from] < amount) return false;
        _balance[from] = checked(_balance[from] - amount);
        _balance[to] = checked(_balance[to] + amount);
        return true;
    }

    /// <summary>Opening balances: each internal amount comes from the outside world.</summary>
    public void Open(int account, long amount) => Transfer(accounts.Outside, account, amount);
}

/// <summary>
/// The depository's book of securities accounts: shares per account and security. Every change is a
/// transfer; only the street may go negative (it is the market beyond the members).
/// </summary>
public sealed class SecuritiesLedger(AccountMap accounts, int securities)
{
    private readonly long[] _held = new long[accounts.SecuritiesAccounts * securities];

    public AccountMap Accounts => accounts;
    public int Securities => securities;
    public long Held(int account, int security) => _held[account * securities + security];
    public long Total(int security)
    {
        long t = 0;
        for (int a = 0; a < accounts.SecuritiesAccounts; a++) t += _held[a * securities + security];
        return t;
    }

    public bool Transfer(int from, int to, int security, long quantity)
    {
        if (quantity < 0) throw new ArgumentOutOfRangeException(nameof(quantity), "transfer a non-negative quantity");
        if (quantity == 0 || from == to) return true;
        var f = from * securities + security;
        if (!accounts.IsExternalSecurities(from) && _held[f] < quantity) return false;
        _held[f] = checked(_held[f] - quantity);
        _held[to * securities + security] = checked(_held[to * securities + security] + quantity);
        return true;
    }

    /// <summary>Opening holdings: shares come from the street (issued before the run).</summary>
    public void Open(int account, int security, long quantity) => Transfer(accounts.Street, account, security, quantity);
}
