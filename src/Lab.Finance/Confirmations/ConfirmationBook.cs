using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.Confirmations;

/// <summary>
/// One confirmation request and every draw either channel needs, so paper and chain see the same request.
/// </summary>
/// <param name="PostedNs">When the audit firm sends it (in the firm's office hours).</param>
/// <param name="Authorises">False: the client never signs (paper) or authorises (on chain): the bank must not reply.</param>
/// <param name="Tampered">A fraudster replaces the reply the firm receives with a forged one.</param>
/// <param name="FollowUp">Paper: the bank cannot answer the first letter and asks for a second request.</param>
/// <param name="PostalDays">Paper: business days each letter takes.</param>
/// <param name="Balance">The confirmed balance, CNY (what the reply's content says).</param>
public sealed record ConfirmationRequestDraw(int Index, int Firm, int Client, int Bank, long PostedNs, bool Authorises, bool Tampered, bool FollowUp,
    PostalDays PostalDays, double PaperClientDeskS, double PaperBankDeskS, double PaperSecondDeskS, double FollowUpDeskS,
    double OnChainClientDeskS, double OnChainBankDeskS, long Balance)
{
    public string Id => "BC" + Index.ToString("00000", CultureInfo.InvariantCulture);
}

/// <summary>Paper: business days each letter of a request takes in the post.</summary>
public sealed record PostalDays(int ToClient, int ToBank, int Reply, int Query, int SecondRequest);

/// <summary>
/// The generated requests of a run, identical for both channels of a seed (one stream, <c>confirmations.book</c>):
/// each client is audited by one firm and banks with one bank; each request's timing draws for both channels.
/// </summary>
public sealed record ConfirmationBook(IReadOnlyList<ConfirmationRequestDraw> Requests)
{
    public const string BankPrefix = "bank";
    public const string Operator = "platform";
    public const string Regulator = "regulator";
    public static string Firm(int f) => "firm" + (f + 1).ToString("00", CultureInfo.InvariantCulture);
    public static string Client(int c) => "client" + (c + 1).ToString("000", CultureInfo.InvariantCulture);
    public static string Bank(int b) => BankPrefix + (b + 1).ToString("00", CultureInfo.InvariantCulture);

    public static ConfirmationBook Generate(ConfirmationOptions o, ulong seed, OfficeHours hours)
    {
        var rng = SimRandom.Stream(seed, "confirmations.book");
        var firmOf = Enumerable.Range(0, o.Clients).Select(_ => rng.Next(o.AuditFirms)).ToArray();
        var bankOf = Enumerable.Range(0, o.Clients).Select(_ => rng.Next(o.Banks)).ToArray();
        var offsets = Enumerable.Range(0, o.Requests).Select(_ => rng.NextDouble() * o.Window.TotalSeconds).Order().ToList();
        var requests = new List<ConfirmationRequestDraw>();
        foreach (var offset in offsets)
        {
            var client = rng.Next(o.Clients);
            int Days() => Math.Max(1, (int)Math.Ceiling(o.PostalDays.Sample(rng)));
            var days = new PostalDays(Days(), Days(), Days(), Days(), Days());
            requests.Add(new ConfirmationRequestDraw(requests.Count, firmOf[client], client, bankOf[client], hours.After(0, offset),
                !rng.Chance(o.MissingAuthorisationShare), rng.Chance(o.TamperShare), rng.Chance(o.FollowUpShare), days,
                o.PaperClientDesk.Sample(rng), o.PaperBankDesk.Sample(rng), o.PaperBankDesk.Sample(rng), o.FollowUpDesk.Sample(rng),
                o.OnChainClientDesk.Sample(rng), o.OnChainBankFloor.TotalSeconds + o.OnChainBankDesk.Sample(rng),
                (long)Math.Round(Math.Exp(rng.NextDouble() * 12 + 8))));
        }
        return new ConfirmationBook(requests);
    }

    /// <summary>What a bank's reply says (the sealed content).</summary>
    public static string ReplyText(ConfirmationRequestDraw r, int contentBytes) =>
        Pad($"{Bank(r.Bank)} confirms to {Firm(r.Firm)}: {Client(r.Client)} held {r.Balance.ToString(CultureInfo.InvariantCulture)} CNY at the audit date; no loans, guarantees or pledges beyond those listed.", contentBytes);

    public static string RequestText(ConfirmationRequestDraw r, int contentBytes) =>
        Pad($"{Firm(r.Firm)} asks {Bank(r.Bank)} to confirm every account, loan, guarantee and pledge of {Client(r.Client)} at the audit date ({r.Id}).", contentBytes);

    public static string AuthorisationText(ConfirmationRequestDraw r) =>
        $"{Client(r.Client)} authorises {Bank(r.Bank)} to answer {Firm(r.Firm)}'s confirmation {r.Id} directly to the firm.";

    /// <summary>A forged reply: the same form with a larger balance.</summary>
    public static string ForgedText(ConfirmationRequestDraw r, int contentBytes) =>
        ReplyText(r with { Balance = r.Balance * 10 + 1 }, contentBytes);

    private static string Pad(string text, int bytes) => text.Length >= bytes ? text : text + new string(' ', bytes - text.Length);
}
