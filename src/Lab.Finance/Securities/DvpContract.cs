using System.Globalization;
using System.Text;
using Lab.Ledger.Contracts;

namespace Lab.Finance.Securities;

/// <summary>One trade as the DvP contract settles it (indices into <see cref="MarketNames"/>).</summary>
public sealed record DvpInstruction(int TradeIndex, int Buyer, int Seller, int Security, long Quantity, long PriceFen)
{
    public long Value => checked(Quantity * PriceFen);
    public static DvpInstruction Of(Trade t) => new(t.Index, t.Buyer, t.Seller, t.Security, t.Quantity, t.PriceFen);
}

/// <summary>Several trades in one call: gross (each trade atomic on its own, in order) or net (one multilateral batch, BIS model 3 on chain).</summary>
public sealed record DvpBatch(IReadOnlyList<DvpInstruction> Trades, bool Net)
{
    public override string ToString() => $"DvpBatch {{ Net = {Net}, Trades = [{string.Join(",", Trades.Select(t => t.TradeIndex))}] }}";
}

/// <summary>
/// Delivery versus payment on the consortium chain (BIS model 1 for single trades): the security
/// leg and the cash leg move in one contract call, so both happen or neither does — a replica that
/// crashes mid-call loses the buffered writes and re-executes the committed block after restart.
/// Only the exchange (role <see cref="SettlementAgentRole"/>, pre-authorised by the members) may
/// settle; a trade settles at most once. Pre-funding: a buyer without the cash or a seller without
/// the shares is rejected with a reason (the gateway then drops or queues the trade).
/// </summary>
public sealed class DvpContract(MarketNames names, Lab.Sim.Time.Duration? cpuPerTrade = null) : IContract
{
    private readonly Lab.Sim.Time.Duration _cpuPerTrade = cpuPerTrade ?? Lab.Sim.Time.Duration.Zero;

    public const string ContractName = "dvp";
    public const string SettlementAgentRole = "settlement-agent";
    public string Name => ContractName;

    public static ContractCall SettleCall(DvpInstruction t) => new(ContractName, "settle", t);
    public static ContractCall BatchCall(DvpBatch b) => new(ContractName, "settle-batch", b);

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        ctx.RequireRole(SettlementAgentRole);
        switch (method, arguments)
        {
            case ("settle", DvpInstruction t):
                if (Check(ctx, t) is { } reason) { ctx.Decline(reason); return; }
                SettleOne(ctx, t, checkOnly: false);
                ctx.Emit("settled", t.TradeIndex);
                break;
            case ("settle-batch", DvpBatch b):
                ctx.Charge(_cpuPerTrade * b.Trades.Count);
                var unsettled = b.Net ? SettleNet(ctx, b.Trades) : SettleGross(ctx, b.Trades);
                ctx.Emit(ContractRuntime.ResultEvent, FormatUnsettled(unsettled));
                break;
            default:
                ctx.Reject($"dvp has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private static string TradeKey(int index) => "trade/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks both legs, then moves both. Returns the reason it cannot settle, or null.</summary>
    private string? SettleOne(ContractContext ctx, DvpInstruction t, bool checkOnly)
    {
        var reason = Check(ctx, t);
        if (reason is not null)
        {
            if (checkOnly) return reason;
            ctx.Reject(reason);
        }
        if (checkOnly) return null;
        var buyer = names.Member(t.Buyer);
        var seller = names.Member(t.Seller);
        ctx.Transfer(names.Security(t.Security), seller, buyer, t.Quantity);   // delivery leg
        ctx.Transfer(names.Currency, buyer, seller, t.Value);                   // payment leg
        ctx.Put(TradeKey(t.TradeIndex), ctx.Height);
        return null;
    }

    private string? Check(ContractContext ctx, DvpInstruction t)
    {
        if (ctx.Get(TradeKey(t.TradeIndex)) is not null) return $"trade {t.TradeIndex} already settled";
        var buyer = names.Member(t.Buyer);
        var seller = names.Member(t.Seller);
        var cash = ctx.Balance(names.Currency, buyer);
        if (cash < t.Value) return $"prefunding: {buyer} holds {cash} {names.Currency} minor units, needs {t.Value}";
        var shares = ctx.Balance(names.Security(t.Security), seller);
        if (shares < t.Quantity) return $"prefunding: {seller} holds {shares} {names.Security(t.Security)}, needs {t.Quantity}";
        return null;
    }

    private List<int> SettleGross(ContractContext ctx, IReadOnlyList<DvpInstruction> trades)
    {
        var unsettled = new List<int>();
        foreach (var t in trades)
        {
            // Each trade is checked before either leg moves, so a trade in the batch is still all or nothing.
            if (SettleOne(ctx, t, checkOnly: true) is not null) { unsettled.Add(t.TradeIndex); continue; }
            SettleOne(ctx, t, checkOnly: false);
            ctx.Emit("settled", t.TradeIndex);
        }
        return unsettled;
    }

    private List<int> SettleNet(ContractContext ctx, IReadOnlyList<DvpInstruction> trades)
    {
        var fresh = trades.Where(t => ctx.Get(TradeKey(t.TradeIndex)) is null).ToList();
        var asTrades = fresh.Select((t, i) => new Trade(i, 0, t.Buyer, t.Seller, t.Security, t.Quantity, t.PriceFen, 0, 1)).ToList();
        var cash = new long[names.Members];
        var holdings = new long[names.Members * names.Securities];
        // Only the accounts the batch touches matter; others stay zero and are never read by netting.
        foreach (var t in fresh)
        {
            cash[t.Buyer] = ctx.Balance(names.Currency, names.Member(t.Buyer));
            cash[t.Seller] = ctx.Balance(names.Currency, names.Member(t.Seller));
            holdings[t.Seller * names.Securities + t.Security] = ctx.Balance(names.Security(t.Security), names.Member(t.Seller));
            holdings[t.Buyer * names.Securities + t.Security] = ctx.Balance(names.Security(t.Security), names.Member(t.Buyer));
        }
        var outcome = MultilateralNetting.Settle(asTrades, cash, holdings, names.Securities, DvpModel.NetNet);
        // Payers first into escrow, then escrow pays receivers: conservation holds at every step.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int m = 0; m < names.Members; m++)
            {
                var c = outcome.NetCash[m];
                if (pass == 0 && c < 0) ctx.Transfer(names.Currency, names.Member(m), MarketNames.Escrow, -c);
                if (pass == 1 && c > 0) ctx.Transfer(names.Currency, MarketNames.Escrow, names.Member(m), c);
                for (int s = 0; s < names.Securities; s++)
                {
                    var q = outcome.NetSecurities[m * names.Securities + s];
                    if (pass == 0 && q < 0) ctx.Transfer(names.Security(s), names.Member(m), MarketNames.Escrow, -q);
                    if (pass == 1 && q > 0) ctx.Transfer(names.Security(s), MarketNames.Escrow, names.Member(m), q);
                }
            }
        }
        foreach (var t in outcome.Settled) ctx.Put(TradeKey(fresh[t.Index].TradeIndex), ctx.Height);
        var settled = outcome.Settled.Select(t => fresh[t.Index].TradeIndex).ToHashSet();
        return trades.Select(t => t.TradeIndex).Where(i => !settled.Contains(i) && ctx.Get(TradeKey(i)) is null).ToList();
    }

    /// <summary>The outcome text of a batch: "unsettled n: i j k" (empty list: "unsettled 0:").</summary>
    public static string FormatUnsettled(IReadOnlyList<int> unsettled)
    {
        var sb = new StringBuilder("unsettled ").Append(unsettled.Count).Append(':');
        foreach (var i in unsettled) sb.Append(' ').Append(i);
        return sb.ToString();
    }

    public static IReadOnlyList<int> ParseUnsettled(string? reason)
    {
        if (reason is null || !reason.StartsWith("unsettled ", StringComparison.Ordinal)) return [];
        var colon = reason.IndexOf(':');
        return reason[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }
}
