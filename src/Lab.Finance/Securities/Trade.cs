namespace Lab.Finance.Securities;

/// <summary>
/// One executed trade: <paramref name="Quantity"/> shares of security <paramref name="Security"/> sold by
/// member <paramref name="Seller"/> to member <paramref name="Buyer"/> at <paramref name="PriceFen"/> per share
/// (cash in minor units: fen for CNY, cents for USD). Times are virtual nanoseconds since the run start.
/// Everything here comes from the workload stream, never from settlement, so both variants see the same trades.
/// </summary>
/// <param name="AffirmedAtNs">When the buyer-side broker affirms the trade (used by T+n only).</param>
/// <param name="FailDraw">Uniform [0,1) draw for the optional exogenous fail rate (T+n only).</param>
public sealed record Trade(int Index, long ExecutedAtNs, int Buyer, int Seller, int Security, long Quantity, long PriceFen, long AffirmedAtNs, double FailDraw)
{
    /// <summary>Cash leg in minor units.</summary>
    public long Value => checked(Quantity * PriceFen);
}
