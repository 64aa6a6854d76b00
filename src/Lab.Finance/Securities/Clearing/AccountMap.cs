namespace Lab.Finance.Securities.Clearing;

/// <summary>
/// Account numbers of the market's ledgers. Securities (at the CSD): members 0..M−1, then the CCP's
/// account, the street (the market outside the member set, where buy-ins and liquidations trade),
/// and the agent lenders' pool. Cash (at the settlement bank): members, then the CCP's settlement
/// account, the street, members' outside funding (credit lines), the CCP's liquidity facility, its
/// skin in the game, and per member its margin (initial and variation) and clearing-fund deposits.
/// Street, outside funding and the facility are the world beyond the market: they may go negative
/// (within a limit, for the facility); every other account never does.
/// </summary>
public sealed record AccountMap(int Members)
{
    public int Ccp => Members;
    public int Street => Members + 1;
    public int LendingPool => Members + 2;
    public int SecuritiesAccounts => Members + 3;

    public int CcpSettlement => Members;
    public int CashStreet => Members + 1;
    public int Outside => Members + 2;
    public int Facility => Members + 3;
    public int SkinInTheGame => Members + 4;
    public int Margin(int member) => Members + 5 + member;
    public int Fund(int member) => 2 * Members + 5 + member;
    public int CashAccounts => 3 * Members + 5;

    /// <summary>Whether a cash account belongs to the outside world (may go negative).</summary>
    public bool IsExternalCash(int account) => account == CashStreet || account == Outside || account == Facility;

    public bool IsExternalSecurities(int account) => account == Street;

    public string CashName(int a, MarketNames names) => a < Members ? names.Member(a)
        : a == CcpSettlement ? "ccp/settlement" : a == CashStreet ? "street" : a == Outside ? "outside-funding"
        : a == Facility ? "ccp/liquidity-facility" : a == SkinInTheGame ? "ccp/skin-in-the-game"
        : a < Fund(0) ? $"ccp/margin/{names.Member(a - Margin(0))}" : $"ccp/fund/{names.Member(a - Fund(0))}";
}
