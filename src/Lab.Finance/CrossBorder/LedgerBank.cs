using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// A commercial bank on the multi-currency ledger. It screens its own customer's instruction (the same draw as on
/// the correspondent chain; a manual review waits for staff hours), waits while a central bank that restricts its
/// currency to local hours is closed, then submits one <c>mbridge.pay</c> call through the chain's shared client and
/// resends until it is final. A final, accepted call credits the receiving bank; the receiving bank's systems credit
/// the beneficiary on the contract event (straight-through; assumption). A refused call fails with the contract's reason.
/// </summary>
public sealed class LedgerBank(int bank, CrossBorderOptions options, PaymentBook book, PaymentLog log, FinalityTracker client, CrossBorderPrivacy? privacy = null) : ITransactionSource
{
    /// <summary>What this bank submitted (the chain's validity checker reads it).</summary>
    public SubmissionLog? Submissions => client.Submissions;

    private sealed record Release(int Payment);
    private readonly SortedDictionary<long, int> _inFlight = [];

    public void OnStart(INodeContext ctx)
    {
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        var hours = options.Banks.Select(b => b.Hours(options.Start)).ToList();
        foreach (var p in book.Payments)
            if (p.Sender == bank)
                ctx.SetTimer(Duration.FromNanos(Math.Max(0, ReleaseNs(p, options, hours) - ctx.Now.Nanos)), new Release(p.Index));
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message) => client.OnMessage(ctx, from, message);

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is not Release r) { client.OnTimer(ctx, state); return; }
        var p = book.Payments[r.Payment];
        var banks = options.Banks;
        var payment = new LedgerPayment(p.Index, banks[p.Sender].Name, banks[p.Receiver].Name,
            banks[p.Sender].Currency, banks[p.Receiver].Currency, p.AmountMinor, p.Originator, p.Beneficiary);
        var call = MultiCurrencyLedger.PayCall(privacy is null ? payment : privacy.Seal(payment));
        var tx = client.Submit(ctx, options.Ledger.TransactionBytes, call);
        _inFlight[tx.Id.Value] = p.Index;
        var record = log.Records[p.Index];
        record.ReleasedNs = ctx.Now.Nanos;
        record.Trail.Add(new(p.CreatedNs, bank, PaymentStage.Instructed));
        record.Trail.Add(new(ctx.Now.Nanos, bank, PaymentStage.Submitted));
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_inFlight.Remove(f.Tx.Id.Value, out var index)) return;
        var p = book.Payments[index];
        var r = log.Records[index];
        var now = ctx.Now.Nanos;
        if (!f.Outcome.Accepted)
        {
            var reason = f.Outcome.Reason ?? "refused";
            r.Reason = reason.Split(':')[0];
            r.FailedNs = now;
            r.Trail.Add(new(now, bank, PaymentStage.Refused));
            ctx.Metrics.Note(CrossBorderMetrics.RefusalFinding, $"payment {index}: {reason}");
            return;
        }
        var credited = long.Parse(f.Outcome.Reason ?? "0", CultureInfo.InvariantCulture);
        var from = options.Banks[p.Sender].Currency;
        var to = options.Banks[p.Receiver].Currency;
        var mid = p.AmountMinor / CrossBorderOptions.FxRates[from] * CrossBorderOptions.FxRates[to];
        r.CreditedMinor = credited;
        r.FxCostUsd = Math.Max(0, mid - credited) / 100 / CrossBorderOptions.FxRates[to];
        r.FeesUsd = options.Ledger.FeeUsd;
        r.ReceivingBankNs = now;
        r.BeneficiaryNs = now;
        r.Trail.Add(new(now, p.Receiver, PaymentStage.Final));
    }

    /// <summary>When the sending bank submits <paramref name="p"/> to the ledger: after its own screening (and manual
    /// review in staff hours, if drawn), and once every central bank that restricts one of the two currencies to its
    /// jurisdiction's hours is open (the intake hours of that currency's bank).</summary>
    public static long ReleaseNs(Payment p, CrossBorderOptions options, IReadOnlyList<BankHours> hours)
    {
        var draw = p.Hops[0];
        var t = p.CreatedNs + (long)Math.Round(draw.ScreeningS * 1e9);
        if (draw.ManualReviewS > 0) t = hours[p.Sender].AddWorkingTime(t, (long)Math.Round(draw.ManualReviewS * 1e9));
        var restricted = options.Ledger.RestrictedCurrencies;
        if (restricted.Count == 0) return t;
        var gates = new[] { p.Sender, p.Receiver }
            .Select(b => options.Banks[b].Currency).Where(restricted.Contains)
            .Select(c => hours[options.Banks.ToList().FindIndex(b => b.Currency == c)]).ToList();
        for (int i = 0; i < 50; i++)
        {
            var next = gates.Aggregate(t, (x, h) => h.NextIntake(x));
            if (next == t) return t;
            t = next;
        }
        return t;
    }
}
