using Lab.Finance.Securities.Clearing;

namespace Lab.Finance.Institutions;

/// <summary>
/// An institution that knows what happened to trades. The exchange knows which orders it rejected at
/// entry; the CCP (or, on chain, the DvP gateway) knows when each trade's sides became final and what
/// they went through. Read by the world's observer at the end of the run; kept in durable storage.
/// </summary>
public interface ISettlementLog
{
    /// <summary>Per tape index: rejected at order entry (null if this institution does not decide entry).</summary>
    bool[]? Rejected => null;

    /// <summary>Per tape index: the trade's settlement record (null if this institution does not settle).</summary>
    TradeRecord[]? Records => null;
}
