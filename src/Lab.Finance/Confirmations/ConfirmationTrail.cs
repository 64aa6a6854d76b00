namespace Lab.Finance.Confirmations;

/// <summary>What happened to a confirmation request, for the report's "follow one confirmation".</summary>
public enum ConfirmationStage
{
    /// <summary>The firm sent the request (paper: posted the letter to the client; on chain: submitted the sealed request).</summary>
    Sent,
    /// <summary>On chain: the request is final; the platform notifies the client.</summary>
    Requested,
    /// <summary>The client has the request (paper: the letter arrived; on chain: the platform's notice).</summary>
    ClientHasIt,
    /// <summary>The client does not sign or authorise: the bank must not reply.</summary>
    Withheld,
    /// <summary>The client signed, stamped and posted it to the bank (paper) or submitted its sealed authorisation (on chain).</summary>
    ClientActed,
    /// <summary>On chain: the authorisation is final; the platform notifies the bank.</summary>
    Authorised,
    /// <summary>The bank's desk has it (paper: the letter arrived, detail 1: the second request; on chain: the notice).</summary>
    BankHasIt,
    /// <summary>Paper: the bank cannot answer the first letter and posts a query to the firm.</summary>
    QueryPosted,
    /// <summary>Paper: the query reached the firm.</summary>
    QueryArrived,
    /// <summary>Paper: the firm posted a second request to the bank.</summary>
    SecondRequestPosted,
    /// <summary>The bank posted its reply (paper) or submitted it sealed for the firm (on chain).</summary>
    ReplySent,
    /// <summary>On chain: the reply is final, its digest anchored; the platform notifies the firm.</summary>
    Replied,
    /// <summary>The firm downloads the sealed reply and acknowledges its digest (on chain; detail 1: a substituted copy).</summary>
    Downloaded,
    /// <summary>On chain: the contract refused the acknowledged digest (not the one the bank anchored).</summary>
    TamperRefused,
    /// <summary>The firm holds a reply it accepts (detail 1: a forgery, which paper cannot tell apart).</summary>
    Received,
}

/// <summary>Who took a step: the request's firm, client or bank.</summary>
public enum ConfirmationParty { Firm, Client, Bank }

/// <summary>One step of a request's trail.</summary>
public readonly record struct ConfirmationStep(long AtNs, ConfirmationStage Stage, long Detail)
{
    public ConfirmationParty Party => Stage switch
    {
        ConfirmationStage.ClientHasIt or ConfirmationStage.Withheld or ConfirmationStage.ClientActed or ConfirmationStage.Authorised => ConfirmationParty.Client,
        ConfirmationStage.BankHasIt or ConfirmationStage.QueryPosted or ConfirmationStage.ReplySent or ConfirmationStage.Replied => ConfirmationParty.Bank,
        _ => ConfirmationParty.Firm,
    };
}

/// <summary>The trails of the followed requests of one run: an evenly spaced sample of the book (the same requests on
/// both channels), written by the desks as they act. Shared by the desks of one run, outside their node state.</summary>
public sealed class ConfirmationTrails
{
    /// <summary>Requests followed per run.</summary>
    public const int Followed = 40;

    private readonly List<ConfirmationStep>?[] _trails;

    public ConfirmationTrails(int requests)
    {
        _trails = new List<ConfirmationStep>?[requests];
        var every = Math.Max(1, requests / Followed);
        for (int i = 0; i < requests && i / every < Followed; i += every) _trails[i] = [];
    }

    /// <summary>Adds a step to the request's trail if it is followed.</summary>
    public void Step(int request, long atNs, ConfirmationStage stage, long detail = 0) => _trails[request]?.Add(new ConfirmationStep(atNs, stage, detail));

    /// <summary>The followed requests and their steps, by request index.</summary>
    public IEnumerable<(int Request, IReadOnlyList<ConfirmationStep> Steps)> All =>
        _trails.Select((t, i) => (i, t)).Where(x => x.t is not null).Select(x => (x.i, (IReadOnlyList<ConfirmationStep>)x.t!));
}
