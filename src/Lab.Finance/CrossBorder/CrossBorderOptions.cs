using Lab.Finance.Calendars;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>A commercial bank: where its node sits, its time zone, home currency and payment hours.</summary>
public sealed record BankSpec(string Name, string Region, TimeZoneRule Zone, string Currency, TimeOnly Open, TimeOnly CutOff, TimeOnly Close)
{
    /// <summary>The bank's business days: Saturday–Sunday weekends (the UAE moved to them on 1 Jan 2022), no holidays
    /// (assumption: the payment window is chosen clear of them); its one session is the desk's opening to close.</summary>
    public BusinessCalendar Calendar => new() { Name = Name, Zone = Zone, Sessions = [new(Open, Close)] };

    public BankHours Hours(DateTimeOffset start) => new(new RunClock(start), Calendar, Open, CutOff, Close);
}

/// <summary>The payments every variant of a seed sees (<see cref="PaymentBook"/>).</summary>
public sealed record PaymentOptions
{
    /// <summary>Customer instructions over the window.</summary>
    public int Count { get; init; } = 2000;
    /// <summary>Instructions arrive on the sending bank's business days from the start up to this span.</summary>
    public Duration Window { get; init; } = Duration.FromDays(5);
    /// <summary>Amount in USD (converted to the sender's currency at <see cref="CrossBorderOptions.FxRates"/>).</summary>
    public Distribution AmountUsd { get; init; } = new LogNormal(Math.Log(20_000), 1.2);
    /// <summary>Customers instruct between these local times at their bank (uniformly; assumption: office hours).
    /// Instructions after the bank's cut-off wait for the next business day.</summary>
    public TimeOnly InstructFrom { get; init; } = new(9, 0);
    public TimeOnly InstructUntil { get; init; } = new(17, 0);
    /// <summary>Share of payments naming an originator or beneficiary on a sanctions list (both variants refuse them).</summary>
    public double SanctionedShare { get; init; } = 0.005;
}

/// <summary>The traditional correspondent chain's behaviour (every figure's source is in the model's key table).</summary>
public sealed record CorrespondentOptions
{
    /// <summary>Shares of payments routed through 1, 2 and 3 intermediaries (sum 1).</summary>
    public IReadOnlyList<double> IntermediaryShares { get; init; } = [0.85, 0.12, 0.03];
    /// <summary>Automated compliance screening at each bank, in seconds.</summary>
    public Distribution ScreeningS { get; init; } = new LogNormal(Math.Log(60), 1.0);
    /// <summary>Chance that a bank sends a payment to manual review.</summary>
    public double ManualReviewShare { get; init; } = 0.02;
    /// <summary>Manual review effort in staff seconds (counted in business hours).</summary>
    public Distribution ManualReviewS { get; init; } = new LogNormal(Math.Log(4 * 3600), 0.8);
    /// <summary>Chance that a bank rejects a payment for reasons other than sanctions (missing or wrong data).</summary>
    public double RejectionShare { get; init; } = 0.003;
    /// <summary>The receiving bank's posting delay before the beneficiary's account is credited, in staff seconds.</summary>
    public Distribution CreditDelayS { get; init; } = new LogNormal(Math.Log(2700), 1.2);
    /// <summary>Fee each intermediary deducts from the amount in flight, USD.</summary>
    public double FeePerHopUsd { get; init; } = 15;
    /// <summary>Fee the sending bank charges the originator, USD.</summary>
    public double SenderFeeUsd { get; init; } = 25;
    /// <summary>Fee the receiving bank deducts before crediting, USD.</summary>
    public double ReceiverFeeUsd { get; init; } = 10;
    /// <summary>FX margin at the converting hop (fraction of the amount).</summary>
    public double FxSpread { get; init; } = 0.003;
}

/// <summary>The multi-currency ledger (mBridge-like) on the consortium chain.</summary>
public sealed record LedgerOptions
{
    /// <summary>FX margin of the PvP swap (fraction of the amount).</summary>
    public double FxSpread { get; init; } = 0.001;
    /// <summary>Fee per payment charged by the platform and the banks, USD (not moved on chain).</summary>
    public double FeeUsd { get; init; } = 5;
    /// <summary>Currencies whose central bank opens the ledger only in its jurisdiction's bank hours (others: always).</summary>
    public IReadOnlyList<string> RestrictedCurrencies { get; init; } = [];
    /// <summary>Contract CPU time per payment on every replica.</summary>
    public Duration CpuPerPayment { get; init; } = Duration.FromMicros(40);
    public int TransactionBytes { get; init; } = 600;
}

/// <summary>Which process settles the payments.</summary>
public enum CrossBorderVariant { Correspondent, Ledger }

/// <summary>Everything a cross-border run needs besides the network and the chain.</summary>
public sealed record CrossBorderOptions
{
    /// <summary>Virtual time 0 (a Monday 00:00 somewhere).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public required IReadOnlyList<BankSpec> Banks { get; init; }
    public PaymentOptions Payments { get; init; } = new();
    public CorrespondentOptions Correspondent { get; init; } = new();
    public LedgerOptions Ledger { get; init; } = new();
    public CrossBorderVariant Variant { get; init; } = CrossBorderVariant.Correspondent;
    /// <summary>Annual cost of the cash banks keep in nostro accounts or ledger wallets (US SOFR ≈ 4.3% in 2025).</summary>
    public double FundingRate { get; init; } = 0.043;
    /// <summary>Where the ledger's FX dealer and the central banks' identities sit (they submit nothing during the run).</summary>
    public string DealerRegion { get; init; } = "";
    /// <summary>On the ledger: seal each payment's records for their collections and derive the who-can-read matrix (<see cref="CrossBorderPrivacy"/>).</summary>
    public bool Privacy { get; init; } = true;

    /// <summary>Units of each currency per US dollar. Assumption: round mid-2025 market rates (AED 3.6725 is the peg,
    /// HKD inside its 7.75–7.85 band); the lab's results do not depend on the level, only on margins.</summary>
    public static readonly IReadOnlyDictionary<string, double> FxRates = new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        ["AED"] = 3.6725, ["CNY"] = 7.15, ["EUR"] = 0.86, ["HKD"] = 7.80, ["SAR"] = 3.75, ["THB"] = 32.5, ["USD"] = 1.0,
    };

    public void Validate()
    {
        if (Banks.Count < 2) throw new ArgumentException("cross-border payments need at least two banks");
        foreach (var b in Banks)
        {
            b.Hours(Start).Validate(b.Name);
            if (!FxRates.ContainsKey(b.Currency)) throw new ArgumentException($"bank {b.Name}: unknown currency {b.Currency}");
        }
        if (Payments.InstructUntil <= Payments.InstructFrom) throw new ArgumentException("customers' instruction window must end after it starts");
        var s = Correspondent.IntermediaryShares;
        if (s.Count is < 1 or > 3 || s.Any(x => x < 0) || Math.Abs(s.Sum() - 1) > 1e-9)
            throw new ArgumentException("intermediary shares: one to three shares (1, 2, 3 intermediaries) that sum to 1");
        if (s.Count > Banks.Count - 2 && s.Skip(Banks.Count - 2).Any(x => x > 0))
            throw new ArgumentException($"{Banks.Count} banks leave at most {Banks.Count - 2} intermediaries between sender and receiver");
    }
}
