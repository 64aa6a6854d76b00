using Lab.Finance.Privacy;
using Lab.Finance.SupplyChain;

namespace Lab.Finance.Tests.SupplyChain;

/// <summary>Who can read what on the voucher chain (issue 14 §6): the matrix is read from replica state, never asserted.</summary>
public class SupplyChainPrivacyTests
{
    [Fact]
    public void A_small_voucher_run_keeps_the_rules_and_a_leaked_invoice_is_caught()
    {
        var (spec, run, results) = SupplyChainWorldTests.Run(SupplyChainWorldTests.Small(FinancingFlow.Voucher, payables: 12), 11);
        Assert.Empty(results.PrivacyBreaches);
        Assert.Equal(0, run.Metrics.Scalars["privacy_rule_breaches"]);
        Assert.Equal((int)ReadLevel.HashOnly, run.Metrics.Scalars["can_read.other-supplier.invoice"]);
        Assert.Equal((int)ReadLevel.HashOnly, run.Metrics.Scalars["can_read.bank.invoice"]);
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.core.invoice"]);
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.passer.invoice"]);

        // The same ledger with one invoice swapped for a copy also sealed for bank1: the derivation finds it.
        var plan = spec.Plan;
        var keys = new Keyring(11);
        var privacy = new SupplyChainPrivacy(keys);
        var claim = plan.Claims.First(c => c.Parent >= 0);
        var state = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var c in plan.Claims)
        {
            state[VoucherContract.PieceKey(c.ReceivedPiece)] = new PieceRecord(c.Payable, plan.Suppliers[c.Holder], VoucherContract.Held);
            state[SupplyChainPrivacy.InvoiceKey(c.ReceivedPiece)] = privacy.Seal(plan, c);
        }
        Assert.Empty(privacy.Derive(k => state.GetValueOrDefault(k), plan).Differences(SupplyChainPrivacy.Expected));
        state[SupplyChainPrivacy.InvoiceKey(claim.ReceivedPiece)] = SealedPayload.Seal("invoice",
            [SupplyChainPrivacy.Passer(plan, claim), plan.Suppliers[claim.Holder], SupplyChainPlan.Core, SupplyChainPrivacy.Regulator, SupplyChainPlan.Bank(0)], keys, "leak");
        var m = privacy.Derive(k => state.GetValueOrDefault(k), plan);
        Assert.True(m.Mixed("bank", "invoice"));
        Assert.Equal(["bank on invoice: expected hash only, ledger gives hash only/read"], m.Differences(SupplyChainPrivacy.Expected));

        // Off: no invoices stored, no matrix, the same figures.
        var (_, offRun, _) = SupplyChainWorldTests.Run(SupplyChainWorldTests.Small(FinancingFlow.Voucher, payables: 12) with { Privacy = false }, 11);
        Assert.False(offRun.Metrics.Scalars.ContainsKey("can_read.core.invoice"));
        foreach (var (k, v) in offRun.Metrics.Scalars) Assert.Equal(v, run.Metrics.Scalars[k]);
    }
}
