using Lab.Sim.Time;

namespace Lab.Finance.Securities.Regimes;

/// <summary>How a CCP sets initial margin.</summary>
public enum MarginMethod
{
    /// <summary>Parametric value at risk of each member's open positions over the margin period of risk (PFMI 6: at
    /// least 99% one-tailed), with the price model's covariance (market factor plus idiosyncratic).</summary>
    ValueAtRisk,
    /// <summary>A share of the member's average daily purchases (ChinaClear's minimum settlement reserve, 最低结算备付金).</summary>
    ReserveRatio,
}

/// <summary>Recycling passes on each settlement day: from, until (local), every.</summary>
public sealed record DayCycle(TimeOnly From, TimeOnly Until, Duration Every);

/// <summary>
/// A deferred-net settlement regime with its real timings: when the securities leg is delivered, when
/// the day cycle recycles fails, when net money settles, whether an institutional trade-for-trade flow
/// needs affirmation, pre-trade checks, buy-ins and penalties, and the CCP's margin, clearing fund and
/// default management. All times are local in the market's calendar zone; day offsets count
/// settlement days after the trade date T. See <see cref="SettlementRegimes"/> for the presets and their sources.
/// </summary>
public sealed record SettlementRegime
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>The market whose calendar the timings refer to ("us", "cn").</summary>
    public required string Market { get; init; }
    /// <summary>n in T+n: the money leg (and the trade's final settlement) is due n settlement days after T.</summary>
    public required int CycleDays { get; init; }
    /// <summary>The securities leg is due this many settlement days after T (China: 0, securities on T).</summary>
    public required int SecuritiesDays { get; init; }
    /// <summary>The first delivery run for a due date happens on the evening of the settlement day before it (CNS night
    /// cycle); false: on the due date itself.</summary>
    public required bool NightBefore { get; init; }
    /// <summary>Local time of the daily delivery run (CNS night cycle 23:30; ChinaClear end-of-day 17:00).</summary>
    public required TimeOnly DeliveryRunAt { get; init; }
    /// <summary>Recycling of open positions on each settlement day (CNS day cycle); null: none.</summary>
    public DayCycle? DayCycle { get; init; }
    /// <summary>Local time of the end-of-day net money settlement on each settlement day.</summary>
    public required TimeOnly MoneyAt { get; init; }
    /// <summary>Institutional (block) trades settle trade for trade at the depository once affirmed, if affirmed by this
    /// cut-off (<see cref="AffirmationCutoffDays"/> after T); null: the regime has no affirmation step and blocks are
    /// cleared like exchange trades.</summary>
    public TimeOnly? AffirmationCutoff { get; init; }
    public int AffirmationCutoffDays { get; init; }
    /// <summary>Front-end control: orders are checked against the member's holdings and cash at entry (China).</summary>
    public bool FrontEndControl { get; init; }
    /// <summary>A fail still open this many settlement days after its due date is bought in at the next market open.</summary>
    public int BuyInAfterDays { get; init; } = 1;
    /// <summary>Price paid above the mid in a buy-in, as a fraction (forced purchase).</summary>
    public double BuyInPremium { get; init; } = 0.005;
    /// <summary>Cash penalty per failing day as a fraction of the failed value, paid by the failing deliverer to the
    /// receivers it left short (CSDR: 1 bp a day for liquid shares); 0 where the regime has none.</summary>
    public double FailPenaltyPerDay { get; init; }
    public MarginMethod Margin { get; init; } = MarginMethod.ValueAtRisk;
    /// <summary>VaR confidence (one-tailed) and margin period of risk in days.</summary>
    public double MarginConfidence { get; init; } = 0.99;
    public int MarginPeriodDays { get; init; } = 2;
    /// <summary>With <see cref="MarginMethod.ReserveRatio"/>: the share of average daily purchases held as margin.</summary>
    public double ReserveRatio { get; init; } = 0.16;
    /// <summary>Local time of the CCP's end-of-day risk run (marks, margin, clearing fund, projections).</summary>
    public required TimeOnly EndOfDayAt { get; init; }
    /// <summary>Local time, next business day, by which end-of-day margin and clearing-fund calls must be met.</summary>
    public TimeOnly MarginDueAt { get; init; } = new(10, 0);
    /// <summary>Local times of intraday margin checks on business days; a call is made when the loss since the last
    /// mark exceeds <see cref="IntradayCallThreshold"/> of the member's initial margin, due within <see cref="IntradayCallDeadline"/>.</summary>
    public IReadOnlyList<TimeOnly> IntradayMarginChecks { get; init; } = [];
    public double IntradayCallThreshold { get; init; } = 0.25;
    public Duration IntradayCallDeadline { get; init; } = Duration.FromHours(1);
    /// <summary>Clearing fund sized to the uncovered stress losses of the largest 1 or 2 members (PFMI 4: Cover 2 for
    /// systemically important CCPs in several jurisdictions, Cover 1 otherwise).</summary>
    public int Cover { get; init; } = 2;
    /// <summary>Stress scenario: market factor moves by ± this much (each security by beta times it) with idiosyncratic
    /// moves of 3 daily standard deviations against each position.</summary>
    public double StressMarketMove { get; init; } = 0.15;
    /// <summary>CCP's own capital in the waterfall after the defaulter's resources, as a share of the clearing fund.</summary>
    public double SkinInTheGameShare { get; init; } = 0.10;
    /// <summary>A defaulter's positions are liquidated in equal parts at the close of this many business days, at a
    /// cost of <see cref="LiquidationCost"/> of value against the CCP.</summary>
    public int LiquidationDays { get; init; } = 2;
    public double LiquidationCost { get; init; } = 0.002;

    /// <summary>Whether a block trade takes the institutional trade-for-trade route in this regime.</summary>
    public bool HasInstitutionalFlow => AffirmationCutoff is not null;

    public void Validate()
    {
        if (CycleDays < 0 || SecuritiesDays < 0) throw new ArgumentException($"regime {Name}: settlement days must be ≥ 0");
        if (SecuritiesDays > CycleDays) throw new ArgumentException($"regime {Name}: the securities leg cannot be due after the money leg");
        if (NightBefore && SecuritiesDays == 0) throw new ArgumentException($"regime {Name}: a night-before delivery run needs the securities leg due after T");
        if (BuyInAfterDays < 0) throw new ArgumentException($"regime {Name}: buy-in age must be ≥ 0");
        if (MarginConfidence is <= 0.5 or >= 1) throw new ArgumentException($"regime {Name}: margin confidence is in (0.5, 1)");
        if (Cover is < 1 or > 2) throw new ArgumentException($"regime {Name}: cover is 1 or 2");
        if (LiquidationDays < 1) throw new ArgumentException($"regime {Name}: liquidation takes at least one day");
        if (DayCycle is { } dc && (dc.Every <= Duration.Zero || dc.Until < dc.From)) throw new ArgumentException($"regime {Name}: day cycle needs from ≤ until and a positive interval");
    }
}
