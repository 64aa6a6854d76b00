namespace Lab.Finance.Securities.Clearing;

/// <summary>
/// One side of a trade as an obligation to or from the CCP after novation: the buyer's leg receives
/// <see cref="Original"/> shares and pays their contract value, the seller's leg delivers and is paid.
/// A leg completes share by share — by netting against an opposite leg of the same member and
/// security, by delivery (possibly partial), by a buy-in, or by close-out after a default — and is
/// final once every completed share has been paid for in a money settlement.
/// </summary>
public sealed class Leg
{
    public required int Trade { get; init; }
    /// <summary>Member index; <see cref="CnsBook.Street"/> after a defaulter's leg was liquidated to the market.</summary>
    public required int Member { get; init; }
    public required int Security { get; init; }
    /// <summary>True for the buyer's leg (receives shares, pays cash).</summary>
    public required bool Receive { get; init; }
    /// <summary>Contract price per share, minor units.</summary>
    public required long Price { get; init; }
    /// <summary>Securities leg due date (settlement days after T by the regime).</summary>
    public required DateOnly Due { get; init; }
    /// <summary>Money leg due date (S = T+n).</summary>
    public required DateOnly MoneyDue { get; init; }
    public required long Original { get; init; }
    /// <summary>Trade-for-trade institutional leg (settled gross at the depository once affirmed), not netted.</summary>
    public bool Gross { get; init; }
    /// <summary>Gross legs: eligible for delivery from this virtual time (affirmation, or the cut-off it met).</summary>
    public long EligibleFromNs { get; set; }
    /// <summary>A liquidation leg the CCP created for a defaulter's position: its completion does not change the trade's record.</summary>
    public bool Liquidation { get; init; }
    /// <summary>Creation order; netting and deliveries complete legs oldest first.</summary>
    public required long Seq { get; init; }

    public long Open { get; set; }
    public long Unpaid { get; set; }
    public long Paid { get; set; }
    /// <summary>Shares closed out after the member defaulted (no longer its obligation).</summary>
    public long ClosedOut { get; set; }
    /// <summary>Settlement days this leg has been open past its due date.</summary>
    public int FailDays { get; set; }

    public bool IsDone => Open == 0 && Unpaid == 0;
    public long Value(long shares) => checked(shares * Price);
}

/// <summary>A cash amount a member (or the street) pays (negative) or receives (positive) at a money settlement on or after <paramref name="Due"/>.</summary>
/// <param name="Leg">The leg whose completed shares it pays for (null: a penalty or charge).</param>
/// <param name="Shares">Shares of <paramref name="Leg"/> it pays for.</param>
public sealed record MoneyItem(int Member, long Amount, DateOnly Due, Leg? Leg, long Shares, string Kind);

/// <summary>What happened to one trade: when each side became final (virtual ns, −1 not yet) and what it went through.</summary>
public sealed class TradeRecord
{
    public long NovatedAtNs { get; set; } = -1;
    /// <summary>When the trade first entered a delivery run: netted at the CCP's cut-off, or trade for trade once affirmed (−1 not yet).</summary>
    public long NettedAtNs { get; set; } = -1;
    /// <summary>On chain: when the exchange first submitted the trade's DvP (−1 never).</summary>
    public long SubmittedAtNs { get; set; } = -1;
    public long BuyFinalNs { get; set; } = -1;
    public long SellFinalNs { get; set; } = -1;
    /// <summary>Open after its due date's money settlement at least once.</summary>
    public bool Failed { get; set; }
    /// <summary>The seller's side was completed by a buy-in.</summary>
    public bool BoughtIn { get; set; }
    /// <summary>A side belonged to a member that defaulted (closed out by the CCP, or cancelled if not guaranteed).</summary>
    public bool Defaulted { get; set; }
    /// <summary>Rejected at order entry (never a trade).</summary>
    public bool Rejected { get; set; }
    /// <summary>Time the securities leg completed for both sides (−1 not yet).</summary>
    public long SecuritiesDoneNs { get; set; } = -1;

    public long FinalNs => BuyFinalNs < 0 || SellFinalNs < 0 ? -1 : Math.Max(BuyFinalNs, SellFinalNs);
}
