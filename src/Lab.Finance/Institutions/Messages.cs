using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;

namespace Lab.Finance.Institutions;

/// <summary>Exchange → CCP: a trade accepted at order entry, for novation (locked in; no affirmation needed).</summary>
public sealed record TradeReport(Trade Trade);

/// <summary>Exchange → institution: confirmation of a block trade awaiting its affirmation (institutional flow).</summary>
public sealed record Confirmation(Trade Trade);

/// <summary>Institution → CCP (standing for DTC's institutional settlement): the block trade is affirmed at <paramref name="AtNs"/>.</summary>
public sealed record Affirmation(int Trade, long AtNs);

/// <summary>CCP → depository: execute a delivery run.</summary>
public sealed record DeliveryOrder(DeliveryRun Run);

/// <summary>Depository → CCP: what the run achieved.</summary>
public sealed record DeliveryReport(DeliveryResult Result);

/// <summary>CCP → depository: buy these shares in the market (street → CCP account).</summary>
public sealed record BuyInOrder(long Ref, IReadOnlyList<RunLine> Lines);

/// <summary>Depository → CCP: the buy-ins were executed.</summary>
public sealed record BuyInReport(long Ref);

/// <summary>CCP → depository: move shares a defaulter received and has not paid for back into the CCP's account.</summary>
public sealed record ReversalOrder(long Ref, int Member, IReadOnlyList<RunLine> Lines);

/// <summary>Depository → CCP: how many shares of each line came back.</summary>
public sealed record ReversalReport(long Ref, IReadOnlyList<long> Returned);

/// <summary>CCP → settlement bank: collect the net debits and pay the net credits of one money settlement.</summary>
public sealed record MoneySettlementOrder(MoneyOrder Order);

/// <summary>Settlement bank → CCP: which members' nets were settled; a debtor not settled could not pay (with its credit line).</summary>
public sealed record MoneySettlementReport(DateOnly Day, IReadOnlyList<bool> Settled, IReadOnlyList<long> Shortfall, long FacilityDrawn);

/// <summary>CCP → member: pay <paramref name="Amount"/> into your margin or clearing-fund account by <paramref name="DueNs"/>.</summary>
public sealed record MarginCall(long Ref, int Member, int Account, long Amount, long DueNs, string Kind);

/// <summary>Member → settlement bank: pay collateral into a CCP account (drawing on the credit line if needed).</summary>
public sealed record PayCollateral(long Ref, int Member, int Account, long Amount);

/// <summary>Settlement bank → CCP: collateral arrived (possibly less than called).</summary>
public sealed record CollateralPosted(long Ref, int Member, int Account, long Amount);

/// <summary>CCP → settlement bank: move cash between accounts (margin returns, waterfall, liquidity); all or as much as there is.</summary>
public sealed record CashMove(long Ref, int From, int To, long Amount);

/// <summary>Settlement bank → CCP: how much of a <see cref="CashMove"/> moved.</summary>
public sealed record CashMoved(long Ref, long Amount);

/// <summary>CCP → member, after the trade-date close: your net short positions for the next delivery run.</summary>
public sealed record PositionProjection(DateOnly Day, IReadOnlyList<RunLine> Shorts);

/// <summary>Member → depository: borrow enough of a security to cover a short of <paramref name="Short"/> shares.</summary>
public sealed record BorrowRequest(int Member, int Security, long Short);

/// <summary>CCP → exchange: the member is in default; accept no more of its orders.</summary>
public sealed record MemberSuspended(int Member, long AtNs);

/// <summary>Gateway (on chain) → member: an order was rejected for lack of cash in the member's wallet.</summary>
public sealed record WalletShort(long Needed);

/// <summary>Member → gateway (on chain): draw on my credit line into my wallet.</summary>
public sealed record TopUpRequest(int Member, long Amount);

/// <summary>CCP/depository → regulator: daily figures (the regulator reads, never writes).</summary>
public sealed record RegulatoryReport(string From, DateOnly Date, string Kind, long Count, long GrossValue, long NetValue, long Failed);
