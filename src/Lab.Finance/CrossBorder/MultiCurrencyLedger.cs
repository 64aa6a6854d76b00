using System.Globalization;
using Lab.Ledger.Contracts;

namespace Lab.Finance.CrossBorder;

/// <summary>A central bank admits a commercial bank of its jurisdiction to the ledger (its KYC is done).</summary>
public sealed record Admission(string Bank);
/// <summary>A central bank puts a party on its sanctions list.</summary>
public sealed record Listing(string Party);
/// <summary>The FX dealer's rates: units of each currency per USD, in millionths.</summary>
public sealed record Quote(IReadOnlyList<(string Currency, long MicroPerUsd)> Rates);
/// <summary>A payment on the ledger: the sender pays <paramref name="AmountMinor"/> of its currency; the receiver gets its own currency.</summary>
public sealed record LedgerPayment(int Index, string Sender, string Receiver, string FromCurrency, string ToCurrency, long AmountMinor, string Originator, string Beneficiary)
{
    /// <summary>The payment and customer records sealed for their collections (<see cref="CrossBorderPrivacy"/>); null with privacy off.
    /// Internal, so not in the text form the transaction's fingerprint hashes (they travel beside it, like Fabric's transient data).</summary>
    internal Lab.Finance.Privacy.SealedPayload? Details { get; init; }
    internal Lab.Finance.Privacy.SealedPayload? Customers { get; init; }
}

/// <summary>
/// The multi-currency ledger (mBridge-like): each central bank issues its currency's wholesale tokens (through the
/// token contract, as issuer) and admits the commercial banks of its jurisdiction; central banks keep sanctions
/// lists in the contract. <c>pay</c> is one atomic contract call: KYC of both banks, sanctions screening of both
/// parties (an unauthorised or listed party is refused with the reason), then, across currencies, a
/// payment-versus-payment swap with the FX dealer at its quoted rate less the margin — the sender's tokens to
/// the dealer and the dealer's tokens to the receiving bank, both or neither. A payment is executed at most once.
/// </summary>
/// <param name="centralBanks">Central bank identity → the currency it issues.</param>
/// <param name="spreadPpm">The dealer's margin in millionths of the amount.</param>
public sealed class MultiCurrencyLedger(IReadOnlyDictionary<string, string> centralBanks, string dealer, long spreadPpm, Lab.Sim.Time.Duration cpuPerPayment) : IContract
{
    public const string ContractName = "mbridge";
    public const string CentralBankRole = "central-bank";
    public const string DealerRole = "fx-dealer";
    public string Name => ContractName;

    public static ContractCall AdmitCall(string bank) => new(ContractName, "admit", new Admission(bank));
    public static ContractCall ListCall(string party) => new(ContractName, "list", new Listing(party));
    public static ContractCall QuoteCall(Quote q) => new(ContractName, "quote", q);
    public static ContractCall PayCall(LedgerPayment p) => new(ContractName, "pay", p);

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("admit", Admission a):
                ctx.RequireRole(CentralBankRole);
                ctx.Put("kyc/" + a.Bank, ctx.Caller);
                break;
            case ("list", Listing l):
                ctx.RequireRole(CentralBankRole);
                ctx.Put("sanction/" + l.Party, ctx.Caller);
                break;
            case ("quote", Quote q):
                ctx.RequireRole(DealerRole);
                foreach (var (ccy, micro) in q.Rates)
                {
                    if (micro <= 0) ctx.Reject($"rate of {ccy} must be positive");
                    ctx.Put("rate/" + ccy, micro);
                }
                break;
            case ("pay", LedgerPayment p):
                ctx.Charge(cpuPerPayment);
                if (p.Sender != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} may not pay from {p.Sender}'s wallet");
                if (Refusal(ctx, p, out var credited) is { } reason) { ctx.Decline(reason); return; }
                if (p.FromCurrency == p.ToCurrency) ctx.Transfer(p.FromCurrency, p.Sender, p.Receiver, p.AmountMinor);
                else
                {
                    ctx.Transfer(p.FromCurrency, p.Sender, dealer, p.AmountMinor);   // payment leg
                    ctx.Transfer(p.ToCurrency, dealer, p.Receiver, credited);        // versus payment
                }
                ctx.Put(PaidKey(p.Index), ctx.Height);
                if (p.Details is { } d) ctx.Put(CrossBorderPrivacy.PaymentKey(p.Index), d);
                if (p.Customers is { } c) ctx.Put(CrossBorderPrivacy.CustomersKey(p.Index), c);
                ctx.Emit(ContractRuntime.ResultEvent, credited.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                ctx.Reject($"mbridge has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private static string PaidKey(int index) => "paid/" + index.ToString(CultureInfo.InvariantCulture);

    private string? Refusal(ContractContext ctx, LedgerPayment p, out long credited)
    {
        credited = 0;
        if (ctx.Get(PaidKey(p.Index)) is not null) return $"payment {p.Index} already executed";
        foreach (var bank in new[] { p.Sender, p.Receiver })
            if (ctx.Get<string>("kyc/" + bank) is null) return $"kyc: {bank} is not admitted by any central bank";
        if (ctx.Get<string>("sanction/" + p.Originator) is { } byO) return $"sanctions: originator {p.Originator} is listed by {byO}";
        if (ctx.Get<string>("sanction/" + p.Beneficiary) is { } byB) return $"sanctions: beneficiary {p.Beneficiary} is listed by {byB}";
        if (!centralBanks.Values.Contains(p.FromCurrency) || !centralBanks.Values.Contains(p.ToCurrency))
            return $"currency: no central bank issues {p.FromCurrency} or {p.ToCurrency} here";
        if (p.AmountMinor <= 0) return "amount must be positive";
        credited = p.AmountMinor;
        if (p.FromCurrency != p.ToCurrency)
        {
            if (ctx.Get("rate/" + p.FromCurrency) is not long from || ctx.Get("rate/" + p.ToCurrency) is not long to)
                return $"fx: the dealer quotes no rate for {p.FromCurrency}/{p.ToCurrency}";
            credited = Convert(p.AmountMinor, from, to, spreadPpm);
            if (ctx.Balance(p.ToCurrency, dealer) < credited) return $"funds: the dealer holds {ctx.Balance(p.ToCurrency, dealer)} {p.ToCurrency}, needs {credited}";
        }
        if (ctx.Balance(p.FromCurrency, p.Sender) < p.AmountMinor) return $"funds: {p.Sender} holds {ctx.Balance(p.FromCurrency, p.Sender)} {p.FromCurrency}, needs {p.AmountMinor}";
        return null;
    }

    /// <summary>Amount in the target currency: at the quoted cross rate, less the margin, rounded down (integer arithmetic).</summary>
    public static long Convert(long amountMinor, long fromMicroPerUsd, long toMicroPerUsd, long spreadPpm) =>
        (long)((Int128)amountMinor * toMicroPerUsd * (1_000_000 - spreadPpm) / ((Int128)fromMicroPerUsd * 1_000_000));
}
