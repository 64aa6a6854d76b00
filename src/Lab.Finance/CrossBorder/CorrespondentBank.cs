using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>A customer credit transfer travelling along the chain (ISO 20022 pacs.008, FI to FI customer credit transfer).</summary>
/// <param name="Hop">Index in the payment's chain of the bank this message is sent to.</param>
public sealed record Pacs008(int Payment, int Hop, long AmountMinor, string Currency);

/// <summary>A payment return travelling back towards the sender (pacs.004).</summary>
public sealed record Pacs004(int Payment, int Hop, long AmountMinor, string Currency, string Reason);

/// <summary>
/// A commercial bank on a correspondent chain. As sender it takes its customers' instructions; as intermediary
/// or receiver it takes pacs.008 from the previous bank. Each step waits for the bank's intake hours (opening to
/// cut-off, in its own time zone, business days only), runs compliance screening, sometimes a manual review in
/// staff hours, and either rejects (the payment goes back along the chain as pacs.004, every bank on the way
/// processing the return in its own hours and deducting its fee) or passes it on: intermediaries deduct their fee
/// from the amount in flight, the last intermediary converts into the receiver's currency at a margin, and the
/// receiving bank posts the credit to the beneficiary after its posting delay (staff hours). Runs off chain.
/// </summary>
public sealed class CorrespondentBank(int bank, CrossBorderOptions options, PaymentBook book, PaymentLog log) : INodeBehaviour
{
    private sealed record Instruct(int Payment);
    private sealed record Done(int Payment, int Hop, long AmountMinor, string Currency, string? ReturnReason);

    /// <summary>Message size of a pacs.008/pacs.004 (an ISO 20022 XML message of a few kilobytes; assumption).</summary>
    public const int MessageBytes = 3000;

    private readonly BankHours _hours = options.Banks[bank].Hours(options.Start);
    private NodeId[] _banks = [];

    public void OnStart(INodeContext ctx)
    {
        _banks = [.. options.Banks.Select(b => ctx.Directory.Find(b.Name))];
        foreach (var p in book.Payments)
            if (p.Sender == bank) ctx.SetTimer(Duration.FromNanos(Math.Max(0, p.CreatedNs - ctx.Now.Nanos)), new Instruct(p.Index));
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Pacs008 m:
                var p = book.Payments[m.Payment];
                if (m.Hop == p.ReceiverHop) log.Records[p.Index].ReceivingBankNs = ctx.Now.Nanos;
                Trail(ctx, p.Index, PaymentStage.Arrived);
                Process(ctx, p, m.Hop, m.AmountMinor, m.Currency, null);
                break;
            case Pacs004 r:
                Trail(ctx, r.Payment, PaymentStage.ReturnArrived);
                Process(ctx, book.Payments[r.Payment], r.Hop, r.AmountMinor, r.Currency, r.Reason);
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case Instruct i:
                var p = book.Payments[i.Payment];
                Trail(ctx, p.Index, PaymentStage.Instructed);
                Process(ctx, p, 0, p.AmountMinor, options.Banks[bank].Currency, null);
                break;
            case Done d:
                Finish(ctx, book.Payments[d.Payment], d);
                break;
        }
    }

    // Intake hours, screening, manual review, and at the receiver the posting delay.
    private void Process(INodeContext ctx, Payment p, int hop, long amount, string currency, string? returnReason)
    {
        var now = ctx.Now.Nanos;
        var draw = p.Hops[hop];
        var t = _hours.NextIntake(now) + Seconds(draw.ScreeningS);
        if (returnReason is null)
        {
            if (draw.ManualReviewS > 0) t = _hours.AddWorkingTime(t, Seconds(draw.ManualReviewS));
            if (hop == p.ReceiverHop && p.RejectAtHop != hop) t = _hours.AddWorkingTime(t, Seconds(p.CreditDelayS));
        }
        ctx.SetTimer(Duration.FromNanos(t - now), new Done(p.Index, hop, amount, currency, returnReason));
    }

    private void Finish(INodeContext ctx, Payment p, Done d)
    {
        var r = log.Records[p.Index];
        var now = ctx.Now.Nanos;
        var chain = p.Chain;
        if (d.ReturnReason is not null)
        {
            // A return on its way back: every bank but the one that rejected deducts its fee again.
            var amount = Deduct(r, d.AmountMinor, d.Currency, d.Hop == 0 ? 0 : options.Correspondent.FeePerHopUsd);
            if (d.Hop == 0) { r.ReturnedNs = now; Trail(ctx, p.Index, PaymentStage.Returned); return; }
            Trail(ctx, p.Index, PaymentStage.ReturnPassedOn);
            ctx.Send(_banks[chain[d.Hop - 1]], new Pacs004(p.Index, d.Hop - 1, amount, d.Currency, d.ReturnReason), MessageBytes);
            return;
        }
        if (p.RejectAtHop == d.Hop)
        {
            var reason = p.Sanctioned ? "sanctions" : "compliance";
            r.Reason = reason;
            r.RejectedAtHop = d.Hop;
            Trail(ctx, p.Index, PaymentStage.Rejected);
            if (d.Hop == 0) { r.FailedNs = now; return; }
            ctx.Send(_banks[chain[d.Hop - 1]], new Pacs004(p.Index, d.Hop - 1, d.AmountMinor, d.Currency, reason), MessageBytes);
            return;
        }
        var c = options.Correspondent;
        if (d.Hop == p.ReceiverHop)
        {
            r.CreditedMinor = Deduct(r, d.AmountMinor, d.Currency, c.ReceiverFeeUsd);
            r.BeneficiaryNs = now;
            Trail(ctx, p.Index, PaymentStage.Credited);
            return;
        }
        var amountOut = d.AmountMinor;
        var currency = d.Currency;
        if (d.Hop == 0)
        {
            r.ReleasedNs = now;
            r.FeesUsd += c.SenderFeeUsd;   // charged to the originator on top of the amount (OUR/SHA split not modelled)
        }
        else amountOut = Deduct(r, amountOut, currency, c.FeePerHopUsd);
        var receiverCurrency = options.Banks[p.Receiver].Currency;
        if (d.Hop == p.ReceiverHop - 1 && currency != receiverCurrency)
        {
            // FX at the hop that holds the receiver's currency: mid rate less the margin.
            var mid = amountOut / CrossBorderOptions.FxRates[currency] * CrossBorderOptions.FxRates[receiverCurrency];
            var converted = (long)Math.Floor(mid * (1 - c.FxSpread));
            r.FxCostUsd += (mid - converted) / 100 / CrossBorderOptions.FxRates[receiverCurrency];
            amountOut = converted;
            currency = receiverCurrency;
        }
        Trail(ctx, p.Index, currency == d.Currency ? PaymentStage.PassedOn : PaymentStage.Converted);
        ctx.Send(_banks[chain[d.Hop + 1]], new Pacs008(p.Index, d.Hop + 1, amountOut, currency), MessageBytes);
    }

    private void Trail(INodeContext ctx, int payment, PaymentStage stage) => log.Records[payment].Trail.Add(new(ctx.Now.Nanos, bank, stage));

    // Deducts a USD fee in the payment's current currency (never below zero) and books it.
    private static long Deduct(PaymentRecord r, long amount, string currency, double feeUsd)
    {
        var fee = Math.Min(amount, (long)Math.Round(feeUsd * CrossBorderOptions.FxRates[currency] * 100));
        r.FeesUsd += fee / 100.0 / CrossBorderOptions.FxRates[currency];
        return amount - fee;
    }

    private static long Seconds(double s) => (long)Math.Round(s * 1e9);
}
