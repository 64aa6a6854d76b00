using Lab.Ledger.Contracts;

namespace Lab.Finance.Securities;

/// <summary>
/// Opening on-chain balances: each member's cash as deposit tokens in its wallet, its committed credit
/// line in <c>credit/member</c> (drawn into the wallet on request), its shares, and for market makers a
/// borrowed buffer of shares (their intraday inventory limit times the buffer share) taken from the
/// agent lenders before trading; the borrow is charged at the borrow fee for the whole run.
/// </summary>
public sealed record OnChainGenesis(IReadOnlyList<long> Cash, IReadOnlyList<long> Shares, IReadOnlyList<long> Borrowed)
{
    public static OnChainGenesis Of(MarketSetup setup, OnChainSettlement settlement)
    {
        var shares = setup.Sheet.Holdings.ToArray();
        var borrowed = new long[shares.Length];
        for (int k = 0; k < shares.Length; k++)
        {
            borrowed[k] = (long)Math.Ceiling(setup.Sheet.InventoryLimit[k] * settlement.MarketMakerBorrowBuffer);
            shares[k] += borrowed[k];
        }
        return new OnChainGenesis(setup.Sheet.Cash.ToArray(), shares, borrowed);
    }

    /// <summary>The issue calls every replica applies at genesis: cash and credit lines by the settlement bank, shares by the CSD.</summary>
    public IReadOnlyList<(string Caller, ContractCall Call)> Calls(MarketSetup setup)
    {
        var names = setup.Names;
        var calls = new List<(string, ContractCall)>();
        for (int m = 0; m < names.Members; m++)
        {
            if (Cash[m] > 0) calls.Add((MarketNames.Bank, TokenContract.IssueCall(names.Currency, names.Member(m), Cash[m])));
            if (setup.Sheet.CreditLine[m] > 0) calls.Add((MarketNames.Bank, TokenContract.IssueCall(names.Currency, DvpContract.CreditAccount(names.Member(m)), setup.Sheet.CreditLine[m])));
        }
        for (int m = 0; m < names.Members; m++)
            for (int s = 0; s < names.Securities; s++)
            {
                var q = Shares[m * names.Securities + s];
                if (q > 0) calls.Add((MarketNames.Csd, TokenContract.IssueCall(names.Security(s), names.Member(m), q)));
            }
        return calls;
    }
}
