using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// One securities world: the market (trades), the members' opening inventories, where the
/// institutions sit, and how trades settle. Two runs that differ only in <see cref="Settlement"/>
/// see exactly the same trades for the same seed.
/// </summary>
public sealed record SecuritiesOptions
{
    /// <summary>Calendar instant of virtual time 0 (example: 2026-06-01T00:00+08:00, a Monday).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public MarketOptions Market { get; init; } = new();
    public InventoryOptions Inventory { get; init; } = new();
    public InstitutionPlacement Placement { get; init; } = new();
    /// <summary>Default: US-style T+1, DvP model 3 (SEC rule 15c6-1, T+1 since 28 May 2024).</summary>
    public SettlementVariant Settlement { get; init; } = new DeferredNetSettlement();
}

/// <summary>
/// Opening inventories, as multiples of each member's typical daily need. Defaults (3.5×) are calibrated so
/// that T+1 fails about 2% of trades in the teaching week, near DTCC's CNS fail rate of 1.90% in the first
/// T+1 days (30 May 2024); at 1.1× cash and 1.2× shares about 30% fail, at 4× about 0.5%. "Typical daily need" is the
/// mean over trading days of the peak cash (or shares of each security) the member pays out
/// cumulatively within the day when its trades settle one by one — the amount it needs on hand on
/// an average day to settle gross. The same inventories are used in every variant.
/// </summary>
public sealed record InventoryOptions
{
    /// <summary>Shares held per security, × typical daily need .</summary>
    public double SecuritiesMultiple { get; init; } = 3.5;
    /// <summary>Cash held, × typical daily need .</summary>
    public double CashMultiple { get; init; } = 3.5;
}

/// <summary>Regions (names in the run's network) of the institutions. Members are spread round-robin over <see cref="MemberRegions"/>.</summary>
public sealed record InstitutionPlacement
{
    public IReadOnlyList<string> MemberRegions { get; init; } = ["shanghai", "beijing", "shenzhen"];
    public string Exchange { get; init; } = "shanghai";
    public string Ccp { get; init; } = "shanghai";
    public string Csd { get; init; } = "beijing";
    public string Bank { get; init; } = "shanghai";
    public string Regulator { get; init; } = "beijing";
}

/// <summary>How trades settle: <see cref="DeferredNetSettlement"/> (T+n) or <see cref="OnChainSettlement"/>.</summary>
public abstract record SettlementVariant
{
    public abstract string Label { get; }
}

/// <summary>
/// Traditional T+n: capture, affirmation, end-of-day multilateral netting at the CCP, a settlement
/// batch at the CSD on T+n. Defaults: T+1 (SEC 15c6-1 since 28 May 2024; EU/UK from 11 Oct 2027),
/// BIS DvP model 3 as at DTCC CNS. China A-shares: securities T+0, cash T+1, closer to model 2.
/// </summary>
public sealed record DeferredNetSettlement : SettlementVariant
{
    /// <summary>n in T+n, counted in settlement days.</summary>
    public int CycleDays { get; init; } = 1;
    public DvpModel Model { get; init; } = DvpModel.NetNet;
    /// <summary>Probability that a trade fails at its first settlement attempt for operational reasons
    /// (0 by default: fails then emerge from inventories alone). DTCC reported a CNS fail rate of 1.90%
    /// in the first days of T+1 (30 May 2024) — a calibration target, not an input.</summary>
    public double ExogenousFailRate { get; init; }
    /// <summary>Settlement batch time on the settlement date (null: the calendar's, 09:00). For T+0 the batch
    /// runs <see cref="SameDayBatchDelay"/> after the netting cut-off instead.</summary>
    public TimeOnly? BatchAt { get; init; }
    public Duration SameDayBatchDelay { get; init; } = Duration.FromHours(1);

    public override string Label => $"T+{CycleDays}";
}

/// <summary>What the DvP gateway does with a trade whose buyer lacks cash or seller lacks shares.</summary>
public enum PrefundingPolicy
{
    /// <summary>The trade is rejected for good and counted as a fail.</summary>
    Reject,
    /// <summary>The trade waits and is retried (next netting window, or every <see cref="OnChainSettlement.QueueRetry"/>).</summary>
    Queue,
}

/// <summary>
/// On-chain: tokenised shares and cash; the exchange submits each trade to the DvP contract as it
/// executes (BIS model 1, "trade is settlement"), or every <see cref="NettingWindow"/> as one net
/// batch. McLaughlin (2024): no material loss of netting benefit for windows ≥ 1 h, about 90% of it
/// within ~10 min, none at instant gross settlement.
/// </summary>
public sealed record OnChainSettlement : SettlementVariant
{
    /// <summary>0: every trade settles atomically on its own; otherwise trades are netted per window (aligned to local midnight).</summary>
    public Duration NettingWindow { get; init; } = Duration.Zero;
    public PrefundingPolicy Prefunding { get; init; } = PrefundingPolicy.Reject;
    /// <summary>Retry interval of queued trades when there is no netting window.</summary>
    public Duration QueueRetry { get; init; } = Duration.FromMinutes(15);
    /// <summary>Contract CPU per trade settled (two transfers, state reads), on every replica.</summary>
    public Duration CpuPerTrade { get; init; } = Duration.FromMicros(30);
    /// <summary>Bytes of a single DvP transaction (instruction plus two signatures).</summary>
    public int TransactionBytes { get; init; } = 300;

    public override string Label => NettingWindow == Duration.Zero ? "on-chain DvP" : $"on-chain, netted every {NettingWindow}";
}
