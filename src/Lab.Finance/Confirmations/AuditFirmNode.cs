using Lab.Consensus.Workload;
using Lab.Finance.Privacy;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Confirmations;

/// <summary>What the firm knows of one of its requests at the end.</summary>
public sealed class ConfirmationRecord
{
    /// <summary>When the firm held a reply it accepted (−1: none by the end).</summary>
    public long RepliedNs = -1;
    /// <summary>The reply it accepted was a forgery (paper: nothing tells it apart).</summary>
    public bool ForgedAccepted;
    /// <summary>When the ledger refused a substituted reply (−1: never).</summary>
    public long TamperDetectedNs = -1;
    public bool FollowedUp;
    /// <summary>On chain: the firm opened the accepted reply with its own key.</summary>
    public bool Opened;
    /// <summary>On chain: the sealed reply last downloaded, and the one the firm filed in its working papers once the
    /// ledger accepted its acknowledgement (the off-chain original checked as evidence, <see cref="ConfirmationEvidence"/>).</summary>
    public SealedPayload? Downloaded, Filed;
}

/// <summary>
/// An audit firm. Paper: it posts each request letter to the client (who signs, stamps and posts it on to the bank),
/// answers a bank's query with a second request, and accepts whatever reply letter arrives. On chain: it posts the
/// sealed request to the contract and notifies the client; when the bank's reply is final it downloads the sealed
/// reply through the platform's read API and acknowledges it by digest — the contract refuses a digest that is not
/// the one the bank anchored, and the firm downloads again.
/// </summary>
public sealed class AuditFirmNode(ConfirmationSetup setup, int index, FinalityTracker? client) : ConfirmationDesk(setup, client, "firm.link")
{
    private sealed record Send(int Request);
    private readonly List<ConfirmationRequestDraw> _mine = [.. setup.Book.Requests.Where(r => r.Firm == index)];
    private SortedDictionary<int, ConfirmationRecord> _records = null!;

    public IReadOnlyDictionary<int, ConfirmationRecord> Records => _records;

    public override void OnStart(INodeContext ctx)
    {
        _records = ctx.Storage.GetOrAdd("firm.records", () => new SortedDictionary<int, ConfirmationRecord>(_mine.ToDictionary(r => r.Index, _ => new ConfirmationRecord())));
        base.OnStart(ctx);
        foreach (var r in _mine.Where(r => r.PostedNs >= ctx.Now.Nanos))
            ctx.SetTimer(Duration.FromNanos(r.PostedNs - ctx.Now.Nanos), new Send(r.Index));
    }

    protected override bool Timer(INodeContext ctx, object state)
    {
        if (state is not Send s) return false;
        var r = Setup.Book.Requests[s.Request];
        Setup.Step(ctx, r, ConfirmationStage.Sent);
        if (OnChain)
        {
            var letter = Setup.Seal(ConfirmationBook.RequestText(r, Setup.Options.ContentBytes), ConfirmationItem.Request, r);
            Submit(ctx, r, ConfirmationContract.Request(new ConfirmationRequest(r.Id, ConfirmationBook.Client(r.Client), ConfirmationBook.Bank(r.Bank), letter)), 256 + letter.Size);
        }
        else Post(ctx, ConfirmationBook.Client(r.Client), new Letter(r.Index, LetterKind.ToClient), r.PostalDays.ToClient);
        return true;
    }

    protected override void Received(INodeContext ctx, ConfirmationRequestDraw r, LetterKind kind)
    {
        switch (kind)
        {
            case LetterKind.Query:
                _records[r.Index].FollowedUp = true;
                Setup.Step(ctx, r, ConfirmationStage.QueryArrived);
                Desk(ctx, r, r.FollowUpDeskS);
                break;
            case LetterKind.Reply:
                // An intercepted reply is replaced by a forged letter on the bank's form: on paper the firm cannot tell.
                var rec = _records[r.Index];
                rec.RepliedNs = ctx.Now.Nanos;
                rec.ForgedAccepted = r.Tampered;
                Setup.Step(ctx, r, ConfirmationStage.Received, r.Tampered ? 1 : 0);
                break;
        }
    }

    protected override void Done(INodeContext ctx, ConfirmationRequestDraw r, int step)
    {
        Setup.Step(ctx, r, ConfirmationStage.SecondRequestPosted);
        Post(ctx, ConfirmationBook.Bank(r.Bank), new Letter(r.Index, LetterKind.SecondRequest), r.PostalDays.SecondRequest);
    }

    protected override void Notified(INodeContext ctx, ConfirmationRequestDraw r, ConfirmationStatus status)
    {
        if (status == ConfirmationStatus.Replied) Acknowledge(ctx, r, substituted: r.Tampered);
    }

    /// <summary>Downloads the sealed reply and acknowledges its digest. A substituted download is a reply the fraudster
    /// sealed for the firm (anyone can encrypt to a recipient), so it opens fine: only the anchored digest tells.</summary>
    private void Acknowledge(INodeContext ctx, ConfirmationRequestDraw r, bool substituted)
    {
        var letter = substituted
            ? Setup.Seal(ConfirmationBook.ForgedText(r, Setup.Options.ContentBytes), ConfirmationItem.Reply, r, "forged")
            : Setup.Ledger(ConfirmationContract.LetterKey(r.Id, ConfirmationItem.Reply)) as SealedPayload;
        if (letter is null) return;
        Setup.Step(ctx, r, ConfirmationStage.Downloaded, substituted ? 1 : 0);
        _records[r.Index].Opened = letter.TryOpen(Setup.Keys.Of(ConfirmationBook.Firm(index))) is not null;
        _records[r.Index].Downloaded = letter;
        Submit(ctx, r, ConfirmationContract.Receive(new ReplyReceipt(r.Id, letter.Digest)), 128);
    }

    protected override void Final(INodeContext ctx, int request, Finality f)
    {
        var r = Setup.Book.Requests[request];
        var rec = _records[request];
        switch ((f.Tx.Payload as Lab.Ledger.Contracts.ContractCall)?.Method, f.Outcome.Accepted)
        {
            case ("request", true):
                Setup.Step(ctx, r, ConfirmationStage.Requested);
                Notify(ctx, ConfirmationBook.Client(r.Client), new Notice(r.Index, ConfirmationStatus.Requested));
                break;
            case ("receive", true):
                rec.RepliedNs = ctx.Now.Nanos;
                rec.Filed = rec.Downloaded;
                Setup.Step(ctx, r, ConfirmationStage.Received);
                break;
            case ("receive", false) when f.Outcome.Reason?.StartsWith("tampered", StringComparison.Ordinal) == true && rec.TamperDetectedNs < 0:
                rec.TamperDetectedNs = ctx.Now.Nanos;
                Setup.Step(ctx, r, ConfirmationStage.TamperRefused);
                Acknowledge(ctx, r, substituted: false);
                break;
        }
    }
}
