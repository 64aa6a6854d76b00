namespace Lab.Ledger.Contracts;

/// <summary>
/// Plain tokens: an owner transfers its own units; an issuer issues and redeems its asset.
/// Anyone else moving someone's units is rejected as unauthorised.
/// </summary>
public sealed class TokenContract : IContract
{
    public const string ContractName = "token";
    public string Name => ContractName;

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("transfer", TokenTransfer t):
                if (t.From != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} may not move {t.From}'s {t.Asset}");
                if (!ctx.IsMember(t.To)) ctx.Reject($"{t.To} is not a member");
                ctx.Transfer(t.Asset, t.From, t.To, t.Amount);
                ctx.Emit("transfer", t);
                break;
            case ("issue", TokenIssue i):
                ctx.Issue(i.Asset, i.To, i.Amount);
                ctx.Emit("issue", i);
                break;
            case ("redeem", TokenRedeem r):
                ctx.Redeem(r.Asset, r.Amount);
                ctx.Emit("redeem", r);
                break;
            default:
                ctx.Reject($"token has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    public static ContractCall TransferCall(string asset, string from, string to, long amount) => new(ContractName, "transfer", new TokenTransfer(asset, from, to, amount));
    public static ContractCall IssueCall(string asset, string to, long amount) => new(ContractName, "issue", new TokenIssue(asset, to, amount));
    public static ContractCall RedeemCall(string asset, long amount) => new(ContractName, "redeem", new TokenRedeem(asset, amount));
}

public sealed record TokenTransfer(string Asset, string From, string To, long Amount);
public sealed record TokenIssue(string Asset, string To, long Amount);
public sealed record TokenRedeem(string Asset, long Amount);
