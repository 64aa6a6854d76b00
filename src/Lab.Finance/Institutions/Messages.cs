using Lab.Finance.Securities;

namespace Lab.Finance.Institutions;

/// <summary>Exchange → CCP: a matched trade is captured for clearing.</summary>
public sealed record TradeCaptured(Trade Trade);

/// <summary>Exchange → buyer-side broker: trade confirmation awaiting affirmation.</summary>
public sealed record TradeConfirmation(Trade Trade);

/// <summary>Broker → CCP: the institutional client affirmed the trade; it can enter a netting cycle.</summary>
public sealed record Affirmation(Trade Trade);

/// <summary>CCP → CSD: the obligations due on <paramref name="Date"/> (netted trades plus rolled fails).</summary>
public sealed record SettlementBatch(DateOnly Date, IReadOnlyList<Trade> Trades);

/// <summary>CSD → settlement bank: report members' cash available for the batch.</summary>
public sealed record FundingRequest(DateOnly Date);

/// <summary>Settlement bank → CSD: members' cash balances (minor units) at batch time.</summary>
public sealed record FundingReport(DateOnly Date, IReadOnlyList<long> Cash);

/// <summary>CSD → settlement bank: net cash movements of the settled batch (+ credit, − debit).</summary>
public sealed record CashPostings(DateOnly Date, IReadOnlyList<long> NetCash);

/// <summary>CSD → CCP: which obligations failed and roll to the next settlement date.</summary>
public sealed record SettlementReport(DateOnly Date, IReadOnlyList<Trade> Failed);

/// <summary>CCP/CSD → regulator: daily figures (the regulator reads, never writes).</summary>
public sealed record RegulatoryReport(string From, DateOnly Date, string Kind, long Trades, long GrossValue, long NetValue, long Failed);
