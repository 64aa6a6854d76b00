namespace Lab.Finance.Securities;

/// <summary>Members' cash and shares at the start of the run, identical in every variant.</summary>
/// <param name="Cash">Per member, minor units.</param>
/// <param name="Holdings">Per member × security (index m * securities + s), shares.</param>
public sealed record OpeningPositions(IReadOnlyList<long> Cash, IReadOnlyList<long> Holdings)
{
    /// <summary>Sizes inventories from the tape: multiple × the member's mean daily gross need (see <see cref="InventoryOptions"/>).</summary>
    public static OpeningPositions From(TradeTape tape, MarketOptions market, InventoryOptions inventory, Func<Trade, long> dayOf)
    {
        var days = Math.Max(1, tape.TradingDays.Count);
        var cash = LiquidityAnalysis.CashNeeds(tape.Trades, market.Members, dayOf, t => t.Index, days);
        var shares = LiquidityAnalysis.SecurityNeeds(tape.Trades, market.Members, market.Securities, dayOf, t => t.Index, days);
        return new OpeningPositions(
            cash.MeanDaily.Select(x => (long)Math.Ceiling(x * inventory.CashMultiple)).ToArray(),
            shares.MeanDaily.Select(x => (long)Math.Ceiling(x * inventory.SecuritiesMultiple)).ToArray());
    }
}
