using Lab.Consensus.Workload;

namespace Lab.Finance.Confirmations;

/// <summary>
/// An audited company. Paper: it signs and stamps the firm's request letter at its desk and posts it to its bank.
/// On chain: it authorises the request with a sealed authorisation letter and the platform notifies the bank.
/// A client the book marks as not authorising does nothing (the request stays blocked).
/// </summary>
public sealed class ClientNode(ConfirmationSetup setup, FinalityTracker? client) : ConfirmationDesk(setup, client, "client.link")
{
    protected override void Received(Lab.Sim.Nodes.INodeContext ctx, ConfirmationRequestDraw r, LetterKind kind)
    {
        if (kind != LetterKind.ToClient) return;
        Has(ctx, r);
        if (r.Authorises) Desk(ctx, r, r.PaperClientDeskS);
    }

    protected override void Notified(Lab.Sim.Nodes.INodeContext ctx, ConfirmationRequestDraw r, ConfirmationStatus status)
    {
        if (status != ConfirmationStatus.Requested) return;
        Has(ctx, r);
        if (r.Authorises) Desk(ctx, r, r.OnChainClientDeskS);
    }

    private void Has(Lab.Sim.Nodes.INodeContext ctx, ConfirmationRequestDraw r)
    {
        Setup.Step(ctx, r, ConfirmationStage.ClientHasIt);
        if (!r.Authorises) Setup.Step(ctx, r, ConfirmationStage.Withheld);
    }

    protected override void Done(Lab.Sim.Nodes.INodeContext ctx, ConfirmationRequestDraw r, int step)
    {
        Setup.Step(ctx, r, ConfirmationStage.ClientActed);
        if (!OnChain)
        {
            Post(ctx, ConfirmationBook.Bank(r.Bank), new Letter(r.Index, LetterKind.ToBank), r.PostalDays.ToBank);
            return;
        }
        var letter = Setup.Seal(ConfirmationBook.AuthorisationText(r), ConfirmationItem.Authorisation, r);
        Submit(ctx, r, ConfirmationContract.Authorise(new ClientAuthorisation(r.Id, letter)), 128 + letter.Size);
    }

    protected override void Final(Lab.Sim.Nodes.INodeContext ctx, int request, Finality f)
    {
        var r = Setup.Book.Requests[request];
        if (!f.Outcome.Accepted) return;
        Setup.Step(ctx, r, ConfirmationStage.Authorised);
        Notify(ctx, ConfirmationBook.Bank(r.Bank), new Notice(r.Index, ConfirmationStatus.Authorised));
    }
}
