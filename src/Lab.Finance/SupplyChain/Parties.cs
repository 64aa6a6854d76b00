using Lab.Consensus.Workload;
using Lab.Ledger.Contracts;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.SupplyChain;

/// <summary>What happened to one claim's financing, as its holder recorded it.</summary>
public sealed class ClaimOutcome
{
    /// <summary>When bank money reached the holder (the first funding if two banks paid); null if none did.</summary>
    public long? FundedAtNs;
    public string? Bank;
    /// <summary>What the holder received from the bank (minor units; on paper the amount less simple-discount interest).</summary>
    public long Proceeds;
    public double Rate;
    /// <summary>Both banks paid for the same receivable.</summary>
    public bool DoubleFinanced;
    /// <summary>The second attempt was refused because the receivable was seen to be financed already.</summary>
    public bool DoubleStopped;
    /// <summary>Refusals (paper: due diligence; chain: the contract's reason).</summary>
    public List<string> Refusals = [];
    /// <summary>Every bank's answer as the holder received it (paper) or saw it final (chain), for the report's "follow one payable".</summary>
    public List<BankAnswer> Answers = [];
}

/// <summary>One bank's answer to a holder: when, which of its attempts (0 first bank, 1 second), funded with what proceeds,
/// or refused (<paramref name="AlreadyFinanced"/>: the contract saw the piece discounted already).</summary>
public sealed record BankAnswer(long AtNs, int Which, bool Funded, long Proceeds, bool AlreadyFinanced);

/// <summary>A holder's records, read by the observer at the end of the run.</summary>
public interface IClaimLog
{
    IReadOnlyDictionary<int, ClaimOutcome> Outcomes { get; }
}

// ---- paper ---------------------------------------------------------------------------------------------------

/// <summary>A supplier asks a bank to discount (tier 1: the core's paper acceptance) or finance (higher tiers: its own receivable).</summary>
public sealed record FinancingApplication(int Claim, int Which, long Amount);
/// <summary>The bank's answer after due diligence.</summary>
public sealed record FinancingDecision(int Claim, int Which, bool Funded, long Proceeds);

/// <summary>
/// Paper flow, a supplier: when it needs cash it applies to one bank for the amount it kept (a tier-1 supplier
/// discounts the core's acceptance; a higher tier has only a receivable on its own buyer and is assessed on its own
/// credit). A holder set on double financing applies to a second bank at the same moment with the same receivable:
/// the banks keep separate books and cannot see each other.
/// </summary>
public sealed class PaperSupplier(SupplyChainPlan plan, int holder) : INodeBehaviour, IClaimLog
{
    private readonly SortedDictionary<int, ClaimOutcome> _outcomes = [];
    public IReadOnlyDictionary<int, ClaimOutcome> Outcomes => _outcomes;
    private sealed record Need(int Claim);

    public void OnStart(INodeContext ctx)
    {
        foreach (var c in plan.ClaimsOf(holder))
            if (c.SeeksFinancing) ctx.SetTimer(Duration.FromNanos(Math.Max(0, c.NeedAtNs - ctx.Now.Nanos)), new Need(c.Index));
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is not Need n) return;
        var c = plan.Claims[n.Claim];
        _outcomes[c.Index] = new ClaimOutcome();
        ctx.Send(ctx.Directory.Find(SupplyChainPlan.Bank(c.FirstBank)), new FinancingApplication(c.Index, 0, c.Kept), 2_000);
        if (c.DoubleAttempt)
            ctx.Send(ctx.Directory.Find(SupplyChainPlan.Bank(c.SecondBank)), new FinancingApplication(c.Index, 1, c.Kept), 2_000);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not FinancingDecision d) return;
        var o = _outcomes[d.Claim];
        var c = plan.Claims[d.Claim];
        o.Answers.Add(new BankAnswer(ctx.Now.Nanos, d.Which, d.Funded, d.Proceeds, false));
        if (!d.Funded) { o.Refusals.Add("due diligence"); return; }
        if (o.FundedAtNs is null)
        {
            o.FundedAtNs = ctx.Now.Nanos;
            o.Bank = ctx.Directory.Name(from);
            o.Proceeds = d.Proceeds;
            o.Rate = plan.Options.PaperRate[c.Tier - 1];
        }
        else o.DoubleFinanced = true;
    }
}

/// <summary>
/// Paper flow, a bank: due diligence on each application (a delay and a rejection chance by the applicant's tier,
/// drawn in the plan), then it pays the amount less simple-discount interest at the tier's rate to maturity. It keeps
/// its own book: it never learns that another bank financed the same receivable.
/// </summary>
public sealed class PaperBank(SupplyChainPlan plan) : INodeBehaviour
{
    private sealed record Answer(NodeId To, FinancingDecision Decision);

    public void OnStart(INodeContext ctx) { }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not FinancingApplication a) return;
        var c = plan.Claims[a.Claim];
        var (funded, at) = plan.PaperDecision(c, a.Which, ctx.Now.Nanos);
        var maturity = plan.Payables[c.Payable].MaturityNs;
        var bp = (long)Math.Round(plan.Options.PaperRate[c.Tier - 1] * 10_000);
        var proceeds = funded ? VoucherContract.Price(a.Amount, bp, maturity - at) : 0;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, at - ctx.Now.Nanos)), new Answer(from, new FinancingDecision(a.Claim, a.Which, funded, proceeds)));
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is Answer a) ctx.Send(a.To, a.Decision, 500);
    }
}

// ---- vouchers on chain ---------------------------------------------------------------------------------------

/// <summary>Off-chain notice to a holder that a piece for it is final on chain.</summary>
public sealed record PieceNotice(int Claim);

/// <summary>
/// Voucher flow, one enterprise (the core or a supplier), signing its own calls through the chain's shared client.
/// The core confirms each payable as a voucher to its tier-1 supplier and pays every voucher at maturity (with a
/// calendar: on the banking day then or next, at the banks' desk hours). A supplier,
/// once notified that a piece is final, splits it at its pass time (a part it keeps, a part per next-tier supplier)
/// and notifies those suppliers when the split is final; when it needs cash it discounts the piece it kept with its
/// bank, in the bank's desk hours (a holder set on double financing sends a second discount of the same piece to another
/// bank at once). Modelled less: the bank's acceptance of a discount is the contract's, not a separate signed approval.
/// </summary>
public sealed class VoucherParty(SupplyChainPlan plan, int holder, FinalityTracker client, SupplyChainPrivacy? privacy = null) : INodeBehaviour, IClaimLog, Lab.Consensus.Common.ITransactionSource
{
    /// <summary>What this party submitted, for the chain's validity check (no fabricated transactions).</summary>
    public Lab.Consensus.Common.SubmissionLog? Submissions => client.Submissions;

    private sealed record Act(int Claim, string What);
    private sealed record Pending(string What, int Claim, int Which);

    private readonly SortedDictionary<int, ClaimOutcome> _outcomes = [];
    private readonly Dictionary<Lab.Ledger.Transactions.TxId, Pending> _inFlight = [];
    private readonly SortedSet<int> _received = [];
    private readonly SortedSet<int> _keptReady = [];
    private readonly SortedSet<int> _needDue = [];
    private readonly SortedDictionary<int, long> _paidAt = [];
    private readonly SortedDictionary<int, long> _passedAt = [];

    public IReadOnlyDictionary<int, ClaimOutcome> Outcomes => _outcomes;
    /// <summary>Core only: when each voucher's payment at maturity became final.</summary>
    public IReadOnlyDictionary<int, long> PaidAt => _paidAt;
    /// <summary>When each piece this party passed on became final: the core's issue (by the tier-1 claim) or a supplier's split (by its claim).</summary>
    public IReadOnlyDictionary<int, long> PassedAt => _passedAt;
    public const int Core = -1;

    public void OnStart(INodeContext ctx)
    {
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        if (holder == Core)
        {
            foreach (var p in plan.Payables)
            {
                ctx.SetTimer(Duration.FromNanos(Math.Max(0, p.IssuedAtNs - ctx.Now.Nanos)), new Act(p.Index, "issue"));
                ctx.SetTimer(Duration.FromNanos(Math.Max(0, plan.DeskTime(p.MaturityNs) - ctx.Now.Nanos)), new Act(p.Index, "pay"));
            }
            return;
        }
        foreach (var c in plan.ClaimsOf(holder))
            if (c.SeeksFinancing) ctx.SetTimer(Duration.FromNanos(Math.Max(0, c.NeedAtNs - ctx.Now.Nanos)), new Act(c.Index, "need"));
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (client.OnTimer(ctx, state)) return;
        if (state is not Act a) return;
        switch (a.What)
        {
            case "issue":
            {
                var p = plan.Payables[a.Claim];
                var root = plan.Claims[p.RootClaim];
                Submit(ctx, VoucherContract.IssueCall(new VoucherIssue(p.Index, root.ReceivedPiece, plan.Suppliers[root.Holder], p.Face, p.MaturityNs) { Invoice = privacy?.Seal(plan, root) }), new Pending("issue", root.Index, 0));
                break;
            }
            case "pay":
                Submit(ctx, VoucherContract.PayCall(new VoucherPay(a.Claim, ctx.Now.Nanos)), new Pending("pay", a.Claim, 0));
                break;
            case "pass":
            {
                var c = plan.Claims[a.Claim];
                var parts = new List<VoucherPart> { new(c.KeptPiece, plan.Suppliers[holder], c.Kept) };
                foreach (var k in c.Children)
                {
                    var child = plan.Claims[k];
                    parts.Add(new VoucherPart(child.ReceivedPiece, plan.Suppliers[child.Holder], child.Received) { Invoice = privacy?.Seal(plan, child) });
                }
                if (c.Kept == 0) parts.RemoveAt(0);
                Submit(ctx, VoucherContract.SplitCall(new VoucherSplit(c.ReceivedPiece, parts)), new Pending("split", c.Index, 0));
                break;
            }
            case "need":
                _needDue.Add(a.Claim);
                if (_keptReady.Contains(a.Claim)) Discount(ctx, a.Claim);
                break;
            case "discount":
                SubmitDiscount(ctx, a.Claim);
                break;
        }
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (client.OnMessage(ctx, from, message)) return;
        if (message is not PieceNotice n || !_received.Add(n.Claim)) return;
        var c = plan.Claims[n.Claim];
        if (c.Children.Count > 0) ctx.SetTimer(Duration.FromNanos(Math.Max(0, c.PassAtNs - ctx.Now.Nanos)), new Act(c.Index, "pass"));
        else KeptReady(ctx, c.Index);
    }

    private void KeptReady(INodeContext ctx, int claim)
    {
        _keptReady.Add(claim);
        if (_needDue.Contains(claim)) Discount(ctx, claim);
    }

    /// <summary>The bank discounts at its desk: a request outside desk hours waits for the next opening (with a calendar).</summary>
    private void Discount(INodeContext ctx, int claim)
    {
        var desk = plan.DeskTime(ctx.Now.Nanos);
        if (desk > ctx.Now.Nanos) ctx.SetTimer(Duration.FromNanos(desk - ctx.Now.Nanos), new Act(claim, "discount"));
        else SubmitDiscount(ctx, claim);
    }

    private void SubmitDiscount(INodeContext ctx, int claim)
    {
        var c = plan.Claims[claim];
        _outcomes[claim] = new ClaimOutcome();
        var now = ctx.Now.Nanos;
        Submit(ctx, VoucherContract.DiscountCall(new VoucherDiscount(c.KeptPiece, SupplyChainPlan.Bank(c.FirstBank), now)), new Pending("discount", claim, 0));
        if (c.DoubleAttempt)
            Submit(ctx, VoucherContract.DiscountCall(new VoucherDiscount(c.KeptPiece, SupplyChainPlan.Bank(c.SecondBank), now)), new Pending("discount", claim, 1));
    }

    private void Submit(INodeContext ctx, ContractCall call, Pending pending)
    {
        var tx = client.Submit(ctx, plan.Options.TransactionBytes, call);
        _inFlight[tx.Id] = pending;
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_inFlight.Remove(f.Tx.Id, out var p)) return;
        var ok = f.Outcome.Accepted;
        switch (p.What)
        {
            case "issue":
                if (ok)
                {
                    _passedAt[p.Claim] = ctx.Now.Nanos;
                    ctx.Send(ctx.Directory.Find(plan.Suppliers[plan.Claims[p.Claim].Holder]), new PieceNotice(p.Claim), 200);
                }
                else ctx.Metrics.Note(SupplyChainMetrics.RefusalFinding, $"issue of voucher {plan.Claims[p.Claim].Payable} refused: {f.Outcome.Reason}");
                break;
            case "pay":
                if (ok) _paidAt[p.Claim] = ctx.Now.Nanos;
                else ctx.Metrics.Note(SupplyChainMetrics.RefusalFinding, $"payment of voucher {p.Claim} refused: {f.Outcome.Reason}");
                break;
            case "split":
            {
                var c = plan.Claims[p.Claim];
                if (!ok) { ctx.Metrics.Note(SupplyChainMetrics.RefusalFinding, $"split of piece {c.ReceivedPiece} refused: {f.Outcome.Reason}"); break; }
                _passedAt[c.Index] = ctx.Now.Nanos;
                foreach (var k in c.Children)
                    ctx.Send(ctx.Directory.Find(plan.Suppliers[plan.Claims[k].Holder]), new PieceNotice(k), 200);
                if (c.Kept > 0) KeptReady(ctx, c.Index);
                break;
            }
            case "discount":
            {
                var o = _outcomes[p.Claim];
                var c = plan.Claims[p.Claim];
                var bank = SupplyChainPlan.Bank(p.Which == 0 ? c.FirstBank : c.SecondBank);
                var bp = (long)Math.Round(plan.Options.CoreRate * 10_000);
                var proceeds = ok ? VoucherContract.Price(c.Kept, bp, plan.Payables[c.Payable].MaturityNs - ((VoucherDiscount)((ContractCall)f.Tx.Payload!).Arguments!).AsOfNs) : 0;
                var seen = !ok && f.Outcome.Reason?.StartsWith(VoucherContract.DoubleFinancingReason, StringComparison.Ordinal) == true;
                o.Answers.Add(new BankAnswer(ctx.Now.Nanos, p.Which, ok, proceeds, seen));
                if (ok)
                {
                    if (o.FundedAtNs is null)
                    {
                        o.FundedAtNs = ctx.Now.Nanos;
                        o.Bank = bank;
                        o.Rate = plan.Options.CoreRate;
                        o.Proceeds = proceeds;
                    }
                    else o.DoubleFinanced = true;
                }
                else if (seen) o.DoubleStopped = true;
                else o.Refusals.Add(f.Outcome.Reason ?? "refused");
                break;
            }
        }
    }
}
