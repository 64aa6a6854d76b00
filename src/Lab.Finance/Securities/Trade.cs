namespace Lab.Finance.Securities;

/// <summary>How a trade was matched.</summary>
public enum TradeKind
{
    /// <summary>Continuous order-book trading: a locked-in exchange trade.</summary>
    Continuous,
    /// <summary>Matched in the opening call auction, at the auction price.</summary>
    OpeningAuction,
    /// <summary>Matched in the closing call auction, at the auction price.</summary>
    ClosingAuction,
    /// <summary>A negotiated block between a directional institution and a dealer. Where the regime has an
    /// institutional flow (US), it settles trade for trade at the depository after affirmation, outside CCP netting;
    /// in China it goes through the exchange's block-trade facility and is cleared like any exchange trade.</summary>
    Block,
}

/// <summary>
/// One order pair as the market produced it: <paramref name="Quantity"/> shares of security
/// <paramref name="Security"/> sold by member <paramref name="Seller"/> to member <paramref name="Buyer"/> at
/// <paramref name="PriceMinor"/> per share (minor units: fen for CNY, cents for USD). Times are virtual
/// nanoseconds since the run start. Everything here comes from the market's streams, never from settlement, so
/// every variant sees the same orders; whether the trade is accepted at order entry depends on the variant.
/// </summary>
/// <param name="AffirmedAtNs">Blocks only: when the institution affirms the broker's confirmation (late ones the next
/// business morning). 0 for exchange trades, which are locked in and need no affirmation.</param>
public sealed record Trade(int Index, long ExecutedAtNs, int Buyer, int Seller, int Security, long Quantity, long PriceMinor,
    TradeKind Kind = TradeKind.Continuous, long AffirmedAtNs = 0)
{
    /// <summary>Cash leg in minor units.</summary>
    public long Value => checked(Quantity * PriceMinor);
}
