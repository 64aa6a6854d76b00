using Lab.Finance.CrossBorder;

namespace Lab.Finance.Tests.CrossBorder;

/// <summary>Hand-made payments through a correspondent chain: cut-offs, weekends, time zones, returns.</summary>
public class CorrespondentChainTests
{
    private const int Shanghai = 0, HongKong = 1, AbuDhabi = 3, Frankfurt = 4;
    private const long Second = 1_000_000_000;

    // Frankfurt → Hong Kong → Shanghai; every bank screens for exactly 60 s; the receiver posts in 10 min of staff time.
    private static Payment FrankfurtToShanghai(int index, long createdNs, int rejectAtHop = -1) =>
        new(index, createdNs, Frankfurt, Shanghai, 1_000_000, $"cust-{index}-o", $"cust-{index}-b", false,
            [HongKong], [new(60, 0), new(60, 0), new(60, 0)], rejectAtHop, CreditDelayS: 600);

    private static readonly CrossBorderOptions Options = CrossBorderWorlds.Options(CrossBorderVariant.Correspondent);
    private static BankHours Hours(int bank) => Options.Banks[bank].Hours(Options.Start);

    // One-way latencies of CrossBorderWorlds.Network(): half the round trips.
    private static readonly long FrankfurtHongKong = (long)(189 / 2.0 * 1_000_000), HongKongShanghai = 34 / 2 * 1_000_000;

    [Fact]
    public void A_payment_that_misses_Fridays_cut_off_in_Frankfurt_is_sent_on_Monday_and_reaches_Shanghai_on_Monday()
    {
        var friday = new DateOnly(2026, 6, 5);
        var monday = new DateOnly(2026, 6, 8);
        Assert.Equal(DayOfWeek.Friday, friday.DayOfWeek);
        var frankfurt = Hours(Frankfurt);
        var book = new PaymentBook(
        [
            FrankfurtToShanghai(0, frankfurt.At(friday, new TimeOnly(16, 30))),   // before the 17:00 cut-off (CEST)
            FrankfurtToShanghai(1, frankfurt.At(friday, new TimeOnly(17, 30))),   // after it
        ]);
        var (world, _, _) = CrossBorderWorlds.Run(Options, 1, book);
        var early = world.Log.Records[0];
        var late = world.Log.Records[1];

        // Before the cut-off: sent on Friday after a minute's screening.
        Assert.Equal(frankfurt.At(friday, new TimeOnly(16, 31)), early.ReleasedNs);
        // After the cut-off: the desk takes it at Monday's opening, 07:00 CEST (05:00 UTC), and sends it a minute later.
        Assert.Equal(frankfurt.At(monday, new TimeOnly(7, 1)), late.ReleasedNs);
        // Hong Kong (open 08:30–23:30 HKT) screens for a minute and passes it on; it arrives in Shanghai on Monday.
        Assert.Equal(late.ReleasedNs + FrankfurtHongKong + 60 * Second + HongKongShanghai, late.ReceivingBankNs);
        var shanghai = Hours(Shanghai);
        Assert.Equal(monday, DateOnly.FromDateTime(shanghai.Local(late.ReceivingBankNs!.Value)));
        // Shanghai screens (60 s) and posts (600 s of staff time, all within its day): credited 11 min after arrival.
        Assert.Equal(late.ReceivingBankNs + 660 * Second, late.BeneficiaryNs);

        // The early one left Frankfurt at 22:31 Shanghai time, after Shanghai's 20:00 cut-off: it arrives on Friday
        // evening but is credited only on Monday after the 08:30 opening.
        Assert.Equal(friday, DateOnly.FromDateTime(shanghai.Local(early.ReceivingBankNs!.Value)));
        Assert.Equal(shanghai.At(monday, new TimeOnly(8, 30)) + 660 * Second, early.BeneficiaryNs);
        // Its trail, as the report's "follow one payment" shows it: each bank's step at the time it took it.
        Assert.Equal(
        [
            new PaymentStep(frankfurt.At(friday, new TimeOnly(16, 30)), Frankfurt, PaymentStage.Instructed),
            new PaymentStep(early.ReleasedNs!.Value, Frankfurt, PaymentStage.PassedOn),
            new PaymentStep(early.ReleasedNs.Value + FrankfurtHongKong, HongKong, PaymentStage.Arrived),
            new PaymentStep(early.ReleasedNs.Value + FrankfurtHongKong + 60 * Second, HongKong, PaymentStage.Converted),
            new PaymentStep(early.ReceivingBankNs!.Value, Shanghai, PaymentStage.Arrived),
            new PaymentStep(early.BeneficiaryNs!.Value, Shanghai, PaymentStage.Credited),
        ], early.Trail);
        Assert.Equal(10.0 + 15 + 25, late.FeesUsd, 6);   // receiver 10, one intermediary 15, sender 25 USD
    }

    [Fact]
    public void A_payment_rejected_by_the_receiving_bank_comes_back_along_the_chain_losing_a_fee_at_each_bank_on_the_way()
    {
        var frankfurt = Hours(Frankfurt);
        var wednesday = new DateOnly(2026, 6, 3);
        var book = new PaymentBook([FrankfurtToShanghai(0, frankfurt.At(wednesday, new TimeOnly(9, 0)), rejectAtHop: 2)]);
        var (world, run, _) = CrossBorderWorlds.Run(Options, 1, book);
        var r = world.Log.Records[0];
        Assert.Equal(2, r.RejectedAtHop);
        Assert.Equal("compliance", r.Reason);
        Assert.Null(r.BeneficiaryNs);
        Assert.NotNull(r.ReturnedNs);
        Assert.True(r.ReturnedNs > r.ReceivingBankNs);
        // Out: sender 25, Hong Kong 15 (and FX there); back: Hong Kong 15 again; the rejecting bank and the sender take none.
        Assert.Equal(25.0 + 15 + 15, r.FeesUsd, 2);
        Assert.Equal([PaymentStage.Instructed, PaymentStage.PassedOn, PaymentStage.Arrived, PaymentStage.Converted, PaymentStage.Arrived, PaymentStage.Rejected,
            PaymentStage.ReturnArrived, PaymentStage.ReturnPassedOn, PaymentStage.ReturnArrived, PaymentStage.Returned], r.Trail.Select(s => s.Stage));
        Assert.Equal([Frankfurt, Frankfurt, HongKong, HongKong, Shanghai, Shanghai, HongKong, HongKong, Frankfurt, Frankfurt], r.Trail.Select(s => s.Bank));
        Assert.Equal(r.ReturnedNs, r.Trail[^1].AtNs);
        Assert.Equal(1.0, run.Metrics.Scalars[CrossBorderMetrics.ReturnedShare]);
        Assert.Equal(1, run.Metrics.Counter(CrossBorderMetrics.RefusedFor("compliance")));
    }

    [Fact]
    public void Each_intermediary_deducts_its_fee_from_the_amount_in_flight_and_the_last_one_converts_at_its_margin()
    {
        // Frankfurt → Abu Dhabi → Hong Kong → Shanghai, 10,000.00 EUR; default fees 25 / 15 per hop / 10 USD, FX margin 0.3%.
        var frankfurt = Hours(Frankfurt);
        var payment = new Payment(0, frankfurt.At(new DateOnly(2026, 6, 3), new TimeOnly(9, 0)), Frankfurt, Shanghai, 1_000_000,
            "cust-0-o", "cust-0-b", false, [AbuDhabi, HongKong], [new(60, 0), new(60, 0), new(60, 0), new(60, 0)], -1, CreditDelayS: 600);
        var (world, _, _) = CrossBorderWorlds.Run(Options, 1, new PaymentBook([payment]));
        var r = world.Log.Records[0];
        Assert.NotNull(r.BeneficiaryNs);
        // 15 USD = 12.90 EUR (0.86 EUR/USD) taken by Abu Dhabi and again by Hong Kong: 9,974.20 EUR left.
        // Hong Kong converts at mid (7.15 CNY/USD): 9,974.20 / 0.86 × 7.15 = 82,925.03488 CNY, less 0.3% → 82,676.25 CNY (floor).
        // Shanghai deducts 10 USD = 71.50 CNY: the beneficiary gets 82,604.75 CNY.
        Assert.Equal(8_260_475, r.CreditedMinor);
        Assert.Equal(25.0 + 15 + 15 + 10, r.FeesUsd, 6);
        Assert.Equal((8_292_503.488372093 - 8_267_625) / 100 / 7.15, r.FxCostUsd, 6);
        // One intermediary fewer (Frankfurt → Hong Kong → Shanghai): one 12.90 EUR fee fewer before the conversion.
        var direct = payment with { Intermediaries = [HongKong], Hops = [new(60, 0), new(60, 0), new(60, 0)] };
        var (world1, _, _) = CrossBorderWorlds.Run(Options, 1, new PaymentBook([direct]));
        // 9,987.10 EUR / 0.86 × 7.15 = 83,032.28 CNY, less 0.3% = 82,783.18 (floor), less 71.50 = 82,711.68 CNY.
        Assert.Equal(8_271_168, world1.Log.Records[0].CreditedMinor);
    }
}
