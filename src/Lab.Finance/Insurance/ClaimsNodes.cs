using Lab.Consensus.Workload;
using Lab.Finance.Evidence;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Insurance;

/// <summary>A visit record (off chain, full content) from the hospital to the health commission.</summary>
public sealed record VisitRecordSent(int Visit);
/// <summary>The commission recognised an insured customer and passes the visit to the data exchange.</summary>
public sealed record InsuredVisit(int Visit);
/// <summary>The visit record and its inclusion proof, from the exchange to the insurer; <paramref name="Review"/> is why the rules sent it to review (null: approved).</summary>
public sealed record ClaimPackage(int Visit, EvidenceProof Proof, string? Review);
public sealed record PaperClaim(int Visit);
public sealed record ChaseRequest(int Visit);
public sealed record ChasedDocuments(int Visit);
/// <summary>The chain refused the claim (no consent): the customer is told and files on paper.</summary>
public sealed record ClaimRefused(int Visit, string Reason);
/// <summary>An order to pay a claim; <paramref name="OnLedger"/>: its payment instruction is on chain, and the bank confirms it there.</summary>
public sealed record PaymentOrder(int Visit, long Fen, bool OnLedger);

/// <summary>
/// The customers, through their app: on chain each customer who opens the service registers a consent fingerprint;
/// a customer files a paper claim (traditionally after every visit, on chain after a refusal) after the filing
/// delay, and the documents reach the insurer after their transit time; a chased customer answers after the drawn delay.
/// </summary>
public sealed class CustomerApp(InsuranceOptions o, InsuranceBook book, ClaimLog log, FinalityTracker? client) : ClaimsInstitution(client, "customer-app")
{
    private sealed record Open(int Customer);
    private sealed record File(int Visit);
    private sealed record Deliver(int Visit);
    private sealed record Answer(int Visit);

    protected override void Started(INodeContext ctx)
    {
        if (OnChain)
            foreach (var c in book.Customers.Where(c => c.OpenedNs >= 0))
                ctx.SetTimer(Duration.FromNanos(c.OpenedNs - ctx.Now.Nanos), new Open(c.Index));
        else
            foreach (var v in book.Visits)
                ctx.SetTimer(Duration.FromNanos(v.AtNs - ctx.Now.Nanos) + Seconds(v.FilingDelayS), new File(v.Index));
    }

    protected override bool Timer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case Open c:
                var insurer = book.Customers[c.Customer].Insurer;
                Submit(ctx, ClaimsContract.Consent(new ConsentGrant(InsuranceBook.CustomerName(c.Customer), InsuranceBook.Insurer(insurer),
                    InsuranceBook.ConsentFingerprint(c.Customer, insurer))), 200, c);
                return true;
            case File f:
                var r = log.Records[f.Visit];
                r.FiledNs = ctx.Now.Nanos;
                if (r.Route == ClaimRoute.None) r.Route = ClaimRoute.Paper;
                log.Step(f.Visit, ctx.Now.Nanos, ClaimStage.PaperFiled, r.Route == ClaimRoute.PaperAfterRefusal ? 1 : 0);
                ctx.SetTimer(Seconds(book.Visits[f.Visit].TransitS), new Deliver(f.Visit));
                return true;
            case Deliver d:
                Send(ctx, InsurerOf(d.Visit), new PaperClaim(d.Visit), o.RecordBytes);
                return true;
            case Answer a:
                log.Step(a.Visit, ctx.Now.Nanos, ClaimStage.Answered);
                Send(ctx, InsurerOf(a.Visit), new ChasedDocuments(a.Visit), o.RecordBytes);
                return true;
        }
        return false;
    }

    protected override void Received(INodeContext ctx, object body)
    {
        switch (body)
        {
            case ClaimRefused r: ctx.SetTimer(Seconds(book.Visits[r.Visit].FilingDelayS), new File(r.Visit)); break;
            case ChaseRequest c: ctx.SetTimer(Seconds(book.Visits[c.Visit].ChaseResponseS), new Answer(c.Visit)); break;
        }
    }

    private string InsurerOf(int visit) => InsuranceBook.Insurer(book.Customers[book.Visits[visit].Customer].Insurer);
    internal static Duration Seconds(double s) => Duration.FromNanos((long)Math.Round(s * 1e9));
}

/// <summary>A hospital: on chain its information system sends each visit's record to the health commission when the visit ends (traditionally the patient takes paper documents home).</summary>
public sealed class HospitalNode(InsuranceOptions o, InsuranceBook book, ClaimLog log, int index) : ClaimsInstitution(null, "hospital")
{
    private sealed record VisitEnds(int Visit);

    protected override void Started(INodeContext ctx)
    {
        if (o.Process != ClaimsProcess.OnChain) return;
        foreach (var v in book.Visits.Where(v => v.Hospital == index))
            ctx.SetTimer(Duration.FromNanos(v.AtNs - ctx.Now.Nanos), new VisitEnds(v.Index));
    }

    protected override bool Timer(INodeContext ctx, object state)
    {
        if (state is not VisitEnds e) return false;
        var r = log.Records[e.Visit];
        r.FiledNs = ctx.Now.Nanos;
        Send(ctx, InsuranceBook.Commission, new VisitRecordSent(e.Visit), o.RecordBytes);
        return true;
    }

    protected override void Received(INodeContext ctx, object body) { }
}

/// <summary>The health commission's node: recognises an insured customer in the visit (a registry look-up) and passes the visit to the data exchange.</summary>
public sealed class CommissionNode(InsuranceOptions o, ClaimLog log) : ClaimsInstitution(null, "commission")
{
    private sealed record Recognised(int Visit);

    protected override void Started(INodeContext ctx) { }

    protected override bool Timer(INodeContext ctx, object state)
    {
        if (state is not Recognised r) return false;
        log.Step(r.Visit, ctx.Now.Nanos, ClaimStage.Recognised);
        Send(ctx, InsuranceBook.Exchange, new InsuredVisit(r.Visit), o.RecordBytes);
        return true;
    }

    protected override void Received(INodeContext ctx, object body)
    {
        if (body is VisitRecordSent v) ctx.SetTimer(o.Recognition, new Recognised(v.Visit));
    }
}

/// <summary>
/// The data exchange: files each recognised visit's claim with the claims contract (which checks consent and
/// adjudicates), tells the customer of a refusal, anchors the stored visit records' Merkle root every
/// <see cref="InsuranceOptions.AnchorInterval"/>, and then sends the insurer each record with its inclusion proof.
/// <paramref name="chain"/> reads the ledger state (the exchange's own replica); <paramref name="privacy"/> (when on)
/// seals each visit record for its collection beside the filing (<see cref="InsurancePrivacy"/>).
/// </summary>
public sealed class ExchangeNode(InsuranceOptions o, InsuranceBook book, ClaimLog log, Func<string, object?> chain, FinalityTracker client, InsurancePrivacy? privacy = null) : ClaimsInstitution(client, "exchange")
{
    private sealed record AnchorTick;
    private sealed record AnchorCall;
    private readonly SortedDictionary<int, string?> _unanchored = [];   // visit → why it goes to review (null: approved)
    private bool _ticking, _anchoring;

    protected override void Started(INodeContext ctx) { }

    protected override bool Timer(INodeContext ctx, object state)
    {
        if (state is not AnchorTick) return false;
        _ticking = false;
        if (_unanchored.Count > 0 && !_anchoring)
        {
            _anchoring = true;
            Submit(ctx, EvidenceContract.Anchor(), 100, new AnchorCall());
        }
        return true;
    }

    protected override void Received(INodeContext ctx, object body)
    {
        if (body is not InsuredVisit iv) return;
        var v = book.Visits[iv.Visit];
        var customer = book.Customers[v.Customer];
        var record = new EvidenceItem(v.ClaimId, v.RecordHash(book), "visit", $"{InsuranceBook.Hospital(v.Hospital)} {v.AtNs}");
        Submit(ctx, ClaimsContract.File(new ClaimFiling(v.ClaimId, InsuranceBook.CustomerName(v.Customer), InsuranceBook.Insurer(customer.Insurer),
            InsuranceBook.Hospital(v.Hospital), v.Category, v.AmountFen, record) { SealedRecord = privacy?.Seal(v, book) }), 300, v.Index);
    }

    protected override void Final(INodeContext ctx, object tag, Finality f)
    {
        switch (tag)
        {
            case int visit when !f.Outcome.Accepted:
                var r = log.Records[visit];
                r.Refusal = f.Outcome.Reason;
                log.Step(visit, ctx.Now.Nanos, ClaimStage.Refused, ClaimTrail.RefusalCode(f.Outcome.Reason));
                r.Route = ClaimRoute.PaperAfterRefusal;
                Send(ctx, InsuranceBook.App, new ClaimRefused(visit, f.Outcome.Reason ?? "refused"), 100);
                break;
            case int visit:
                var review = f.Outcome.Reason is { } why && why.StartsWith(ClaimsContract.ToReview, StringComparison.Ordinal) ? why[ClaimsContract.ToReview.Length..] : null;
                log.Records[visit].Route = review is null ? ClaimRoute.OnChainAutomatic : ClaimRoute.OnChainReview;
                log.Step(visit, ctx.Now.Nanos, ClaimStage.Filed, ClaimTrail.ReviewCode(review));
                _unanchored[visit] = review;
                Tick(ctx);
                break;
            case AnchorCall:
                _anchoring = false;
                foreach (var (visit, reviewWhy) in _unanchored.ToList())
                    if (EvidenceProofs.Prove(chain, book.Visits[visit].ClaimId) is { } proof)
                    {
                        _unanchored.Remove(visit);
                        log.Step(visit, ctx.Now.Nanos, ClaimStage.EvidenceStored);
                        Send(ctx, InsuranceBook.Insurer(book.Customers[book.Visits[visit].Customer].Insurer), new ClaimPackage(visit, proof, reviewWhy), o.RecordBytes + 32 * proof.Proof.Path.Count);
                    }
                if (_unanchored.Count > 0) Tick(ctx);
                break;
        }
    }

    private void Tick(INodeContext ctx)
    {
        if (_ticking) return;
        _ticking = true;
        ctx.SetTimer(o.AnchorInterval, new AnchorTick());
    }
}

/// <summary>
/// An insurer's claims department. A paper claim is keyed in, waits in the queue and is reviewed in office hours;
/// the reviewer may chase missing documents (the customer answers, the claim is reviewed again); an approved paper
/// claim goes out with the next daily payment batch. On chain the insurer checks each visit record it receives
/// against the anchored root (it holds only the root) and orders payment at once when the rules approved it;
/// a claim the rules sent to review is reviewed in office hours, decided on chain, then paid.
/// </summary>
public sealed class InsurerNode(InsuranceBook book, ClaimLog log, ClaimsCalendar calendar, Func<string, object?>? chain, FinalityTracker? client)
    : ClaimsInstitution(client, "insurer")
{
    private sealed record Reviewed(int Visit, bool Again);
    private sealed record Release(int Visit);
    private sealed record Decided(int Visit);

    protected override void Started(INodeContext ctx) { }

    protected override bool Timer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case Reviewed r when log.Records[r.Visit].Route is ClaimRoute.OnChainReview or ClaimRoute.OnChainAutomatic:
                var v = book.Visits[r.Visit];
                log.Step(r.Visit, ctx.Now.Nanos, ClaimStage.Reviewed);
                Submit(ctx, ClaimsContract.Decide(new ClaimDecision(v.ClaimId, v.AmountFen)), 150, new Decided(r.Visit));
                return true;
            case Reviewed r when book.Visits[r.Visit].Chased && !r.Again:
                log.Records[r.Visit].Chased = true;
                log.Records[r.Visit].Touches++;
                log.Step(r.Visit, ctx.Now.Nanos, ClaimStage.Chased);
                Send(ctx, InsuranceBook.App, new ChaseRequest(r.Visit), 100);
                return true;
            case Reviewed r:
                log.Step(r.Visit, ctx.Now.Nanos, ClaimStage.Reviewed);
                ctx.SetTimer(Duration.FromNanos(calendar.NextBatch(ctx.Now.Nanos) - ctx.Now.Nanos), new Release(r.Visit));
                return true;
            case Release p:
                Order(ctx, p.Visit);
                return true;
        }
        return false;
    }

    protected override void Received(INodeContext ctx, object body)
    {
        switch (body)
        {
            case PaperClaim p:
                log.Records[p.Visit].Touches++;   // keyed in
                log.Step(p.Visit, ctx.Now.Nanos, ClaimStage.DocumentsReceived);
                Review(ctx, p.Visit, book.Visits[p.Visit].BacklogS, book.Visits[p.Visit].ReviewS, again: false);
                break;
            case ChasedDocuments c:
                Review(ctx, c.Visit, book.Visits[c.Visit].ChaseBacklogS, book.Visits[c.Visit].ChaseReviewS, again: true);
                break;
            case ClaimPackage k:
                var root = EvidenceProofs.Root(chain!, k.Proof.Period);
                var verified = root is not null && new EvidenceVerifier(root.Root).Authentic(book.Visits[k.Visit].Record(book), k.Proof.Proof);
                log.Records[k.Visit].EvidenceVerified = verified;
                log.Step(k.Visit, ctx.Now.Nanos, ClaimStage.EvidenceChecked, verified ? 1 : 0);
                if (k.Review is null && verified) Order(ctx, k.Visit);
                else Review(ctx, k.Visit, book.Visits[k.Visit].BacklogS, book.Visits[k.Visit].ReviewS, again: false);
                break;
        }
    }

    /// <summary>A manual review: the claim waits in the queue, then the reviewer works on it, both in office hours.</summary>
    private void Review(INodeContext ctx, int visit, double backlogS, double reviewS, bool again)
    {
        log.Records[visit].Touches++;
        log.Step(visit, ctx.Now.Nanos, ClaimStage.QueuedForReview, again ? 1 : 0);
        var done = calendar.Office.After(calendar.Office.After(ctx.Now.Nanos, backlogS), reviewS);
        ctx.SetTimer(Duration.FromNanos(done - ctx.Now.Nanos), new Reviewed(visit, again));
    }

    protected override void Final(INodeContext ctx, object tag, Finality f)
    {
        if (tag is not Decided d || !f.Outcome.Accepted) return;
        log.Step(d.Visit, ctx.Now.Nanos, ClaimStage.Decided);
        Order(ctx, d.Visit);
    }

    private void Order(INodeContext ctx, int visit)
    {
        log.Step(visit, ctx.Now.Nanos, ClaimStage.PaymentOrdered);
        Send(ctx, InsuranceBook.Bank, new PaymentOrder(visit, book.Visits[visit].AmountFen, log.Records[visit].Route is ClaimRoute.OnChainAutomatic or ClaimRoute.OnChainReview), 200);
    }
}

/// <summary>The bank that pays claims: a paper batch is paid as it arrives; on chain each order is paid in the bank's payment hours on banking days, and one whose instruction is on the ledger is confirmed there.</summary>
public sealed class ClaimsBankNode(InsuranceBook book, ClaimLog log, ClaimsCalendar calendar, FinalityTracker? client) : ClaimsInstitution(client, "bank")
{
    private sealed record Pay(PaymentOrder Order);

    protected override void Started(INodeContext ctx) { }

    protected override bool Timer(INodeContext ctx, object state)
    {
        if (state is not Pay { Order: var p }) return false;
        var r = log.Records[p.Visit];
        r.PaidNs = ctx.Now.Nanos;
        r.PaidFen = p.Fen;
        log.Step(p.Visit, ctx.Now.Nanos, ClaimStage.Paid, p.Fen);
        if (p.OnLedger) Submit(ctx, ClaimsContract.Paid(book.Visits[p.Visit].ClaimId), 100, p);
        return true;
    }

    protected override void Received(INodeContext ctx, object body)
    {
        if (body is not PaymentOrder order) return;
        var at = OnChain ? calendar.Bank.After(ctx.Now.Nanos, 0) : ctx.Now.Nanos;
        ctx.SetTimer(Duration.FromNanos(at - ctx.Now.Nanos), new Pay(order));
    }
}
