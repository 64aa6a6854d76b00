using Lab.Finance.CrossBorder;
using Lab.Finance.Privacy;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.CrossBorder;

/// <summary>Who can read what on the multi-currency ledger (issue 14 §6): the matrix is read from replica state.</summary>
public class CrossBorderPrivacyTests
{
    private static readonly LedgerPayment Payment = new(0, "bank-shanghai", "bank-frankfurt", "CNY", "EUR", 1_000_000, "acme-sh", "muller-gmbh");
    private static readonly string[] Banks = ["bank-shanghai", "bank-hong-kong", "bank-frankfurt"];
    private static readonly string[] Currencies = ["CNY", "HKD", "EUR"];

    /// <summary>A hand-made replica state holding one executed payment with <paramref name="details"/> and <paramref name="customers"/> as stored.</summary>
    private static Func<string, object?> Replica(object? details, object? customers)
    {
        var state = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            [CrossBorderPrivacy.StatusKey(0)] = 3L,
            [CrossBorderPrivacy.PaymentKey(0)] = details,
            [CrossBorderPrivacy.CustomersKey(0)] = customers,
            ["balance/CNY/bank-shanghai"] = 5_000_000L,
        };
        return k => state.GetValueOrDefault(k);
    }

    [Fact]
    public void A_payment_sealed_for_its_collections_gives_exactly_the_rules_and_leaks_are_caught()
    {
        var p = new CrossBorderPrivacy(new Keyring(9));
        var sealedPayment = CrossBorderPrivacy.SealedOf(p.Seal(Payment));
        var good = p.Derive(Replica(sealedPayment.Details, sealedPayment.Customers), [Payment], Banks, Currencies);
        Assert.Empty(good.Differences(CrossBorderPrivacy.Expected));
        Assert.Equal(ReadLevel.HashOnly, good.Cell("other-bank", "payment"));
        Assert.Equal(ReadLevel.HashOnly, good.Cell("other-cb", "customers"));
        Assert.Equal(ReadLevel.HashOnly, good.Cell("fx-dealer", "customers"));
        Assert.Equal(ReadLevel.Read, good.Cell("receiver-cb", "customers"));

        // Leak: the customers sealed for the dealer too (it needs the amount, not who pays whom).
        var toDealer = SealedPayload.Seal("customers", [.. CrossBorderPrivacy.CustomerCollection(Payment), CrossBorderWorld.Dealer], p.Keys, "leak");
        Assert.Equal(["fx-dealer on customers: expected hash only, ledger gives read"],
            p.Derive(Replica(sealedPayment.Details, toDealer), [Payment], Banks, Currencies).Differences(CrossBorderPrivacy.Expected));
        // Leak: the payment record in clear — the competitor bank and the uninvolved central bank read it.
        Assert.Equal(2, p.Derive(Replica("CNY 1,000,000 to bank-frankfurt", sealedPayment.Customers), [Payment], Banks, Currencies).Differences(CrossBorderPrivacy.Expected).Count);
    }

    [Fact]
    public void A_small_ledger_run_keeps_the_rules_and_privacy_off_changes_no_payment_time()
    {
        var small = CrossBorderWorlds.Options(CrossBorderVariant.Ledger, 120) with { Payments = new PaymentOptions { Count = 120, Window = Duration.FromDays(1), SanctionedShare = 0.02 } };
        var (_, run, results) = CrossBorderWorlds.Run(small, 11);
        Assert.Empty(results.PrivacyBreaches);
        Assert.Equal(0, run.Metrics.Scalars["privacy_rule_breaches"]);
        Assert.Equal((int)ReadLevel.HashOnly, run.Metrics.Scalars["can_read.other-bank.customers"]);
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.sender-cb.customers"]);
        var (_, offRun, _) = CrossBorderWorlds.Run(small with { Privacy = false }, 11);
        Assert.False(offRun.Metrics.Scalars.ContainsKey("can_read.other-bank.customers"));
        foreach (var (k, v) in offRun.Metrics.Scalars) Assert.Equal(v, run.Metrics.Scalars[k]);   // same figures, plus the matrix
    }
}
