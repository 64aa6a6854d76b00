using Lab.Consensus.Workload;
using Lab.Sim.Nodes;

namespace Lab.Finance.Confirmations;

/// <summary>
/// A bank's confirmation desk, working office hours. Paper: it checks the stamped request letter; a share it cannot
/// answer (seal mismatch, accounts not found) goes back to the firm as a query, and it answers the second request;
/// the reply goes by post. On chain: on the platform's notice of the client's authorisation it prepares the reply
/// (at least the floor of desk time) and posts it sealed for the firm; the contract anchors its digest.
/// </summary>
public sealed class BankDeskNode(ConfirmationSetup setup, FinalityTracker? client) : ConfirmationDesk(setup, client, "bank.link")
{
    private const int FirstLetter = 0, SecondLetter = 1;

    protected override void Received(INodeContext ctx, ConfirmationRequestDraw r, LetterKind kind)
    {
        if (kind is not (LetterKind.ToBank or LetterKind.SecondRequest)) return;
        Setup.Step(ctx, r, ConfirmationStage.BankHasIt, kind == LetterKind.SecondRequest ? 1 : 0);
        if (kind == LetterKind.ToBank) Desk(ctx, r, r.PaperBankDeskS, FirstLetter);
        else Desk(ctx, r, r.PaperSecondDeskS, SecondLetter);
    }

    protected override void Notified(INodeContext ctx, ConfirmationRequestDraw r, ConfirmationStatus status)
    {
        if (status != ConfirmationStatus.Authorised) return;
        Setup.Step(ctx, r, ConfirmationStage.BankHasIt);
        Desk(ctx, r, r.OnChainBankDeskS);
    }

    protected override void Done(INodeContext ctx, ConfirmationRequestDraw r, int step)
    {
        var firm = ConfirmationBook.Firm(r.Firm);
        var query = !OnChain && step == FirstLetter && r.FollowUp;
        Setup.Step(ctx, r, query ? ConfirmationStage.QueryPosted : ConfirmationStage.ReplySent);
        if (OnChain)
        {
            var letter = Setup.Seal(ConfirmationBook.ReplyText(r, Setup.Options.ContentBytes), ConfirmationItem.Reply, r);
            Submit(ctx, r, ConfirmationContract.Reply(new BankReply(r.Id, letter)), 128 + letter.Size);
        }
        else if (query) Post(ctx, firm, new Letter(r.Index, LetterKind.Query), r.PostalDays.Query);
        else Post(ctx, firm, new Letter(r.Index, LetterKind.Reply), r.PostalDays.Reply);
    }

    protected override void Final(INodeContext ctx, int request, Finality f)
    {
        var r = Setup.Book.Requests[request];
        if (!f.Outcome.Accepted) return;
        Setup.Step(ctx, r, ConfirmationStage.Replied);
        Notify(ctx, ConfirmationBook.Firm(r.Firm), new Notice(r.Index, ConfirmationStatus.Replied));
    }
}
