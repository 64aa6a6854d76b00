using Lab.Finance.Securities.Regimes;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// One securities world: the market (members, prices, orders), where the institutions sit, and how
/// trades settle. Two runs that differ only in <see cref="Settlement"/> see exactly the same orders,
/// prices and outages for the same seed.
/// </summary>
public sealed record SecuritiesOptions
{
    /// <summary>Calendar instant of virtual time 0 (example: 2026-06-01T00:00-04:00, a Monday in New York).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    /// <summary>The exchange's rules: "cn" (SSE/SZSE) or "us" (NYSE/Nasdaq).</summary>
    public string Market { get; init; } = "cn";
    public MarketOptions Orders { get; init; } = new();
    public InstitutionPlacement Placement { get; init; } = new();
    public SettlementVariant Settlement { get; init; } = new DeferredNetSettlement();
    /// <summary>On chain: seal each trade record for its private collection and derive the who-can-read matrix (<see cref="SecuritiesPrivacy"/>).</summary>
    public bool Privacy { get; init; } = true;
    /// <summary>Members declared insolvent by the scenario (an outside event), at a local date and time; the member may be
    /// <see cref="LargestMember"/> or <see cref="MostExposedMember"/> (see <see cref="SecuritiesWorld.Resolve"/>).</summary>
    public IReadOnlyList<(int Member, DateTime LocalTime)> InjectedDefaults { get; init; } = [];

    /// <summary>Stand-in member index: the member with the most business.</summary>
    public const int LargestMember = -1;
    /// <summary>Stand-in member index: the member with the largest net purchases not yet settled under T+1 at the declaration.</summary>
    public const int MostExposedMember = -2;
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

/// <summary>How trades settle: <see cref="DeferredNetSettlement"/> (T+n at a CCP) or <see cref="OnChainSettlement"/>.</summary>
public abstract record SettlementVariant
{
    public abstract string Label { get; }
}

/// <summary>Deferred net settlement through a CCP under a regime (see <see cref="SettlementRegimes"/>).</summary>
public sealed record DeferredNetSettlement : SettlementVariant
{
    public SettlementRegime Regime { get; init; } = SettlementRegimes.CnChinaClear();
    /// <summary>See <see cref="ClearingSetup.InstructionFailRate"/>.</summary>
    public double InstructionFailRate { get; init; } = 0.015;
    public double BorrowAvailability { get; init; } = 0.9;
    public Duration BorrowDelay { get; init; } = Duration.FromHours(1);
    public double LendableShare { get; init; } = 0.2;
    /// <summary>The CCP's committed liquidity facility in minor units (default: effectively unlimited).</summary>
    public long LiquidityFacility { get; init; } = long.MaxValue / 4;

    public override string Label => Regime.CycleDays == Regime.SecuritiesDays
        ? $"T+{Regime.CycleDays}"
        : $"T+{Regime.CycleDays} (securities T+{Regime.SecuritiesDays})";
}

/// <summary>
/// On chain: tokenised shares and cash on a consortium chain; the exchange locks balances at order
/// entry and submits each trade to the DvP contract as it executes (BIS model 1, "trade is
/// settlement"), or every <see cref="NettingWindow"/> as one net batch. McLaughlin (2024): no
/// material loss of netting benefit for windows ≥ 1 h, about 90% of it within ~10 min, none at
/// instant gross settlement.
/// </summary>
public sealed record OnChainSettlement : SettlementVariant
{
    /// <summary>0: every trade settles atomically on its own; otherwise trades are netted per window (aligned to local midnight).</summary>
    public Duration NettingWindow { get; init; } = Duration.Zero;
    /// <summary>Contract CPU per trade settled (two transfers, state reads), on every replica.</summary>
    public Duration CpuPerTrade { get; init; } = Duration.FromMicros(30);
    /// <summary>Bytes of a single DvP transaction (instruction plus two signatures).</summary>
    public int TransactionBytes { get; init; } = 300;
    /// <summary>Seals each trade record for its private collection (<see cref="SecuritiesPrivacy"/>); null: no privacy layer.</summary>
    public SecuritiesPrivacy? Privacy { get; init; }
    /// <summary>A credit-line draw requested after a rejection arrives in the wallet this long after the request
    /// (within bank hours 09:00–17:00 local): the bank's processing of a payment to the chain.</summary>
    public Duration TopUpDelay { get; init; } = Duration.FromMinutes(30);
    /// <summary>A draw is at least this many days of the member's expected purchases.</summary>
    public double TopUpStepDays { get; init; } = 0.25;
    /// <summary>Each morning at 09:00, draw what the member drew the day before (before its orders arrive).</summary>
    public bool MorningFunding { get; init; } = true;
    /// <summary>Market makers borrow this share of their intraday inventory limit in every security before trading, so
    /// their intraday short sales are covered at entry (an atomic venue needs the shares at order entry).</summary>
    public double MarketMakerBorrowBuffer { get; init; } = 1.0;
    /// <summary>Annual cost of drawn credit (from the balance sheet options).</summary>
    public double FundingRate { get; init; } = 0.043;

    public override string Label => NettingWindow == Duration.Zero ? "on-chain DvP" : $"on-chain, netted every {NettingWindow}";
}
