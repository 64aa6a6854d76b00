namespace Lab.Finance.SupplyChain;

/// <summary>What happened along a followed payable, for the report's "follow one payable".</summary>
public enum PayableStage
{
    /// <summary>The core confirmed the payable to its tier-1 supplier (paper: a commercial acceptance at issue; vouchers: the
    /// voucher's issue final on chain); detail: the face, minor units.</summary>
    Confirmed,
    /// <summary>A holder passed part of what it received to a next-tier supplier (paper: a receivable on itself at the pass
    /// time; vouchers: the split final on chain); detail: the amount.</summary>
    Passed,
    /// <summary>The holder needs cash for what it kept and asks its bank (and, set on double financing, a second bank); detail: the amount kept.</summary>
    Asked,
    /// <summary>A bank paid the holder (paper: after due diligence; vouchers: the discount final on chain); detail: the proceeds.</summary>
    Financed,
    /// <summary>A bank refused (paper: due diligence; vouchers: the contract); detail 1: it saw the piece financed already.</summary>
    Refused,
    /// <summary>The holder's claim was paid at maturity (paper: down the chain, a payment lag per tier; vouchers: by the core to
    /// whoever holds the piece); detail: the amount.</summary>
    Paid,
}

/// <summary>One step: when, what, who acted and with whom (indices in <see cref="PayableTrail.Institutions"/>; -1 none).</summary>
public readonly record struct PayableStep(long AtNs, PayableStage Stage, int Who, int With, long Detail);

/// <summary>
/// The followed payables and their trails. A payable fans out into a tree of claims; the report follows one path up it,
/// from the core's tier-1 supplier to one claim at the top (<see cref="Path"/>), chosen from the plan so it is the same
/// in both flows. Paper acceptances and receivables are contracts between the firms, not messages of the run: their
/// times are the plan's; everything a bank or the chain does is recorded by the holders as it happens.
/// </summary>
public static class PayableTrail
{
    /// <summary>Payables followed per run: evenly spaced over the book (the same ones in both flows).</summary>
    public const int Followed = 40;

    public static IEnumerable<int> FollowedPayables(SupplyChainPlan plan)
    {
        var every = Math.Max(1, plan.Payables.Count / Followed);
        for (int p = 0; p < plan.Payables.Count && p / every < Followed; p += every) yield return p;
    }

    /// <summary>The core, the suppliers in tier order, then the banks.</summary>
    public static IReadOnlyList<string> Institutions(SupplyChainOptions o) =>
    [
        SupplyChainPlan.Core, .. o.Tiers.SelectMany((n, t) => Enumerable.Range(0, n).Select(i => SupplyChainPlan.Supplier(t + 1, i))),
        .. Enumerable.Range(0, o.Banks).Select(SupplyChainPlan.Bank),
    ];

    /// <summary>The tier of the supplier at <paramref name="index"/> in <see cref="Institutions"/> (0: the core or a bank).</summary>
    public static int TierOf(SupplyChainOptions o, int index)
    {
        for (int t = 0, first = 1; t < o.Tiers.Count; first += o.Tiers[t++])
            if (index >= first && index < first + o.Tiers[t]) return t + 1;
        return 0;
    }

    /// <summary>The <c>journey_who</c> sample of a step: who acted and with whom in one number (who + parties × (with + 1)).</summary>
    public static int WhoCode(PayableStep s, int parties) => s.Who + parties * (s.With + 1);
    public static (int Who, int With) FromWhoCode(int code, int parties) => (code % parties, code / parties - 1);

    public static int SupplierIndex(int holder) => 1 + holder;
    public static int BankIndex(SupplyChainPlan plan, int bank) => 1 + plan.Suppliers.Count + bank;

    /// <summary>The claims followed up <paramref name="payable"/>: from the tier-1 claim to the first claim whose holder tries two
    /// banks, or else to the first claim of the highest tier that asks for cash (else the deepest claim).</summary>
    public static IReadOnlyList<Claim> Path(SupplyChainPlan plan, int payable)
    {
        var tree = plan.Claims.Skip(plan.Payables[payable].RootClaim).TakeWhile(c => c.Payable == payable).ToList();
        var end = tree.FirstOrDefault(c => c.DoubleAttempt)
                  ?? tree.Where(c => c.SeeksFinancing).OrderByDescending(c => c.Tier).ThenBy(c => c.Index).FirstOrDefault()
                  ?? tree.OrderByDescending(c => c.Tier).ThenBy(c => c.Index).First();
        var path = new List<Claim>();
        for (var c = end; ; c = plan.Claims[c.Parent])
        {
            path.Insert(0, c);
            if (c.Parent < 0) return path;
        }
    }

    /// <summary>The trail of <paramref name="payable"/> along its <see cref="Path"/>, in time order; steps after
    /// <paramref name="endNs"/> (the run's end) are left out.</summary>
    public static List<PayableStep> Of(SupplyChainPlan plan, int payable, SupplyChainObserver observer, long endNs)
    {
        var onChain = plan.Options.Flow == FinancingFlow.Voucher;
        var p = plan.Payables[payable];
        var steps = new List<PayableStep>();
        foreach (var c in Path(plan, payable))
        {
            var holder = SupplierIndex(c.Holder);
            long? received = onChain ? observer.ReceivedAt.TryGetValue(c.Index, out var r) ? r : null : c.ReceivedAtNs;
            if (received is { } at)
                steps.Add(c.Parent < 0
                    ? new PayableStep(at, PayableStage.Confirmed, 0, holder, c.Received)
                    : new PayableStep(at, PayableStage.Passed, SupplierIndex(plan.Claims[c.Parent].Holder), holder, c.Received));
            var outcome = observer.Outcomes.GetValueOrDefault(c.Index);
            if (c.SeeksFinancing) steps.Add(new PayableStep(c.NeedAtNs, PayableStage.Asked, holder, BankIndex(plan, c.FirstBank), c.Kept));
            foreach (var a in outcome?.Answers ?? [])
            {
                var bank = BankIndex(plan, a.Which == 0 ? c.FirstBank : c.SecondBank);
                steps.Add(a.Funded
                    ? new PayableStep(a.AtNs, PayableStage.Financed, bank, holder, a.Proceeds)
                    : new PayableStep(a.AtNs, PayableStage.Refused, bank, holder, a.AlreadyFinanced ? 1 : 0));
            }
            if (c.Kept == 0) continue;
            // Paid to whoever holds the claim then: the bank that financed it first, else the holder.
            var payee = outcome?.Answers.FirstOrDefault(a => a.Funded) is { } f ? BankIndex(plan, f.Which == 0 ? c.FirstBank : c.SecondBank) : holder;
            long? paid = onChain ? observer.PaidAt.TryGetValue(payable, out var v) ? v : null : plan.PaperPaidAtNs(c);
            var payer = onChain || c.Parent < 0 ? 0 : SupplierIndex(plan.Claims[c.Parent].Holder);
            if (paid is { } when) steps.Add(new PayableStep(when, PayableStage.Paid, payer, payee, c.Kept));
        }
        return [.. steps.Where(s => s.AtNs <= endNs).OrderBy(s => s.AtNs)];
    }
}
