using Lab.Sim.Time;

namespace Lab.Finance.Securities.Regimes;

/// <summary>
/// The named regimes of scenarios/presets/regimes/*.yaml, built in (the YAML files are the user-facing
/// copy with the same sources; a test keeps the two in step).
/// </summary>
public static class SettlementRegimes
{
    /// <summary>
    /// US equities at NSCC/DTC under T+1 (SEC rule 15c6-1 as amended, since 28 May 2024).
    /// NSCC novates locked-in exchange trades and guarantees them from trade validation (DTCC, "CNS": "NSCC's trade
    /// guarantee will attach to CNS transactions that reach point of validation"), nets them to one position per member
    /// and security per day, and re-nets fails with new activity (CNS). The night cycle for settlement date S runs on
    /// the evening of S−1, which under T+1 is trade date T (11:30 p.m. ET); the day cycle recycles through S until
    /// DTC's 3:20 p.m. ET cut-off for valued deliveries (DTCC, same-day settlement page); DTC posts final figures at about
    /// 3:45 p.m. and net funds settle through the Fed's NSS at about 4:15 p.m. ET (DTCC Learning Center, end-of-day
    /// settlement). Institutional trades settle trade for trade at DTC once affirmed; the industry cut-off is 9:00 p.m.
    /// ET on T (DTCC 2024; SEC rule 15c6-2). Reg SHO rule 204(a): a fail from a short sale must be closed out by the
    /// market open of the settlement day after S (long sales and bona fide market making: S+3); no cash penalty for
    /// equity fails. Margin: NSCC's VaR-based Required Fund Deposit (99%), collected each morning; intraday calls in
    /// volatile markets. The model keeps a separate mutualised clearing fund sized Cover 2 as the PFMI layer it
    /// stands for (NSCC's deposits play both roles).
    /// </summary>
    public static SettlementRegime UsCns() => new()
    {
        Name = "us-cns",
        Description = "US T+1: NSCC CNS novation and netting, night cycle on T at 23:30 ET, day cycle on S, net money at 16:15 ET",
        Market = "us",
        CycleDays = 1,
        SecuritiesDays = 1,
        NightBefore = true,
        DeliveryRunAt = new(23, 30),
        DayCycle = new DayCycle(new(8, 0), new(15, 20), Duration.FromMinutes(30)),
        MoneyAt = new(16, 15),
        AffirmationCutoff = new(21, 0),
        AffirmationCutoffDays = 0,
        BuyInAfterDays = 1,
        FailPenaltyPerDay = 0,
        Margin = MarginMethod.ValueAtRisk,
        MarginPeriodDays = 2,
        EndOfDayAt = new(17, 30),
        MarginDueAt = new(10, 0),
        IntradayMarginChecks = [new(12, 0), new(14, 30)],
        Cover = 2,
        StressMarketMove = 0.15,
    };

    /// <summary>
    /// The same CNS mechanics under T+2 (the US before 28 May 2024; EU/UK until 11 Oct 2027): the night cycle runs on the
    /// evening of T+1, institutional trades had until 11:30 a.m. ET on T+1 to be affirmed (DTCC). With CSDR-style
    /// settlement discipline as an option: set <c>fail-penalty</c> (CSDR: 1 bp a day for liquid shares) and
    /// <c>buy-in-after</c> (CSDR: 4 business days after the intended settlement date for liquid shares).
    /// </summary>
    public static SettlementRegime T2() => UsCns() with
    {
        Name = "t2",
        Description = "T+2 with CNS mechanics: night cycle on the evening of T+1, net money on T+2",
        CycleDays = 2,
        SecuritiesDays = 2,
        AffirmationCutoff = new(11, 30),
        AffirmationCutoffDays = 1,
        BuyInAfterDays = 1,
    };

    /// <summary>
    /// A same-day design (hypothetical: DTCC's same-day settlement today takes only trades received by 11:30 a.m. ET):
    /// positions netted after the close, one delivery run at 17:00 ET on T and net money at 18:00 ET (Fedwire Funds is
    /// open until 19:00 ET), institutional trades affirmed by 16:30 ET. Fails recycle at the next day's run.
    /// </summary>
    public static SettlementRegime T0() => UsCns() with
    {
        Name = "t0",
        Description = "T+0: delivery run at 17:00 ET and net money at 18:00 ET on the trade date",
        CycleDays = 0,
        SecuritiesDays = 0,
        NightBefore = false,
        DeliveryRunAt = new(17, 0),
        DayCycle = null,
        MoneyAt = new(18, 0),
        AffirmationCutoff = new(16, 30),
        AffirmationCutoffDays = 0,
        EndOfDayAt = new(18, 30),
    };

    /// <summary>
    /// China A-shares at ChinaClear (CSDC): CSDC is the CCP for exchange trades under guaranteed multilateral net
    /// settlement, with delivery versus payment (SSE, "Clearing and settlement"). Securities are transferred at the end
    /// of T and cash settles on T+1 (Clearstream, "Settlement process – China": securities T+0, cash T+1; CSDC advises
    /// custodians at about 18:00 on T); the funds deadline modelled is 16:00 on T+1. The exchange's trading system
    /// checks holdings before a sale and brokers check client cash before a purchase (front-end control; investors are
    /// pre-funded), and shares bought on T can be sold from T+1 (T+1 trading rule). There is no affirmation step.
    /// Margin is the minimum settlement reserve, a ratio of the participant's average daily purchases (about 15–16%,
    /// CSDC notices 2019–2024); the settlement guarantee fund is sized here as Cover 1 under a two-limit-down stress.
    /// </summary>
    public static SettlementRegime CnChinaClear() => new()
    {
        Name = "cn-chinaclear",
        Description = "China A-shares: CSDC CCP, pre-funded with front-end checks, securities at 17:00 on T, funds at 16:00 on T+1",
        Market = "cn",
        CycleDays = 1,
        SecuritiesDays = 0,
        NightBefore = false,
        DeliveryRunAt = new(17, 0),
        DayCycle = null,
        MoneyAt = new(16, 0),
        AffirmationCutoff = null,
        FrontEndControl = true,
        BuyInAfterDays = 1,
        FailPenaltyPerDay = 0,
        Margin = MarginMethod.ReserveRatio,
        ReserveRatio = 0.16,
        EndOfDayAt = new(18, 0),
        MarginDueAt = new(10, 0),
        IntradayMarginChecks = [],
        Cover = 1,
        StressMarketMove = 0.20,
    };

    public static readonly IReadOnlyList<string> Known = ["us-cns", "cn-chinaclear", "t2", "t0"];

    public static SettlementRegime Named(string name) => name switch
    {
        "us-cns" => UsCns(),
        "cn-chinaclear" => CnChinaClear(),
        "t2" => T2(),
        "t0" => T0(),
        _ => throw new KeyNotFoundException($"no settlement regime '{name}' (known: {string.Join(", ", Known)}, atomic-dvp)"),
    };
}
