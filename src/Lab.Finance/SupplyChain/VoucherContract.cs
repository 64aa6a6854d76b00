using System.Collections.Immutable;
using System.Globalization;
using Lab.Ledger.Contracts;

namespace Lab.Finance.SupplyChain;

/// <summary>The core confirms a payable as voucher <paramref name="Voucher"/>: one piece of the whole face value to <paramref name="To"/>.</summary>
public sealed record VoucherIssue(int Voucher, long Piece, string To, long Face, long MaturityNs)
{
    /// <summary>The piece's trade record sealed for its collection (<see cref="SupplyChainPrivacy"/>); internal, so not in the text form the transaction's fingerprint hashes.</summary>
    internal Lab.Finance.Privacy.SealedPayload? Invoice { get; init; }
}
/// <summary>One part of a split: a new piece id, its holder and its amount.</summary>
public sealed record VoucherPart(long Piece, string To, long Amount)
{
    /// <summary>The part's trade record sealed for its collection (<see cref="SupplyChainPrivacy"/>); null for the part the holder keeps.</summary>
    internal Lab.Finance.Privacy.SealedPayload? Invoice { get; init; }
}
/// <summary>The holder of <paramref name="Piece"/> splits it into parts (which it may keep or pass on); the parts must add up to the piece.</summary>
public sealed record VoucherSplit(long Piece, IReadOnlyList<VoucherPart> Parts)
{
    public override string ToString() => $"VoucherSplit {{ Piece = {Piece}, Parts = [{string.Join(",", Parts)}] }}";
}
/// <summary>The holder sells <paramref name="Piece"/> to <paramref name="Bank"/> at the bank's posted rate for the voucher's core, valued at <paramref name="AsOfNs"/>.</summary>
public sealed record VoucherDiscount(long Piece, string Bank, long AsOfNs);
/// <summary>The core pays voucher <paramref name="Voucher"/> at maturity to whoever holds each piece.</summary>
public sealed record VoucherPay(int Voucher, long AsOfNs);
/// <summary>A bank posts its annual discount rate (basis points) against a core enterprise's credit.</summary>
public sealed record RateQuote(string Core, long BasisPoints);

/// <summary>A piece's on-chain record; its amount is the balance of the voucher asset in the piece's account.</summary>
public sealed record PieceRecord(int Voucher, string Owner, string Status);
/// <summary>A voucher's on-chain record: its core, face value, maturity and every piece id ever created.</summary>
public sealed record VoucherRecord(string Core, long Face, long MaturityNs, ImmutableList<long> Pieces, bool Paid);

/// <summary>
/// Digital payables vouchers (the seed's 数字凭证: confirmed, traceable, transferable). Each voucher is its own asset
/// (<c>v&lt;n&gt;</c>) whose issuer is the core enterprise; each piece is an account holding part of it, so the
/// runtime's conservation check after every block is the statement "a voucher's pieces always sum to its face value,
/// and only the core creates or destroys it". A holder splits its piece into parts for itself and its suppliers; it
/// discounts a piece with any bank at that bank's posted rate for the core's credit (not the holder's): the piece
/// passes to the bank and the bank's cash to the holder in one call. A piece already discounted cannot be discounted
/// again (double financing refused with a reason). At maturity the core pays each live piece's holder and redeems the voucher.
/// </summary>
public sealed class VoucherContract(string currency, Lab.Sim.Time.Duration? cpuPerCall = null) : IContract
{
    private readonly Lab.Sim.Time.Duration _cpu = cpuPerCall ?? Lab.Sim.Time.Duration.Zero;
    public const string ContractName = "voucher";
    public const string CoreRole = "core";
    public const string BankRole = "bank";
    public const string Held = "held", Discounted = "discounted", Split = "split", Paid = "paid";
    /// <summary>Start of the refusal reason for a second discount of the same piece.</summary>
    public const string DoubleFinancingReason = "double financing";

    public string Name => ContractName;

    public static string PieceAccount(long piece) => "p" + piece.ToString(CultureInfo.InvariantCulture);
    public static string PieceKey(long piece) => "piece/" + piece.ToString(CultureInfo.InvariantCulture);
    public static string VoucherKey(int voucher) => "voucher/" + voucher.ToString(CultureInfo.InvariantCulture);
    public static string QuoteKey(string bank, string core) => $"quote/{bank}/{core}";

    public static ContractCall IssueCall(VoucherIssue a) => new(ContractName, "issue", a);
    public static ContractCall SplitCall(VoucherSplit a) => new(ContractName, "split", a);
    public static ContractCall DiscountCall(VoucherDiscount a) => new(ContractName, "discount", a);
    public static ContractCall PayCall(VoucherPay a) => new(ContractName, "pay", a);
    public static ContractCall QuoteCall(RateQuote a) => new(ContractName, "quote", a);

    /// <summary>What the bank pays for <paramref name="amount"/> due in <paramref name="remainingNs"/> at <paramref name="basisPoints"/> a year (simple discount, actual/365).</summary>
    public static long Price(long amount, long basisPoints, long remainingNs)
    {
        var interest = (decimal)amount * basisPoints / 10_000m * remainingNs / (365m * 86_400m * 1_000_000_000m);
        return amount - (long)Math.Ceiling(interest);
    }

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        ctx.Charge(_cpu);
        switch (method, arguments)
        {
            case ("quote", RateQuote q):
                ctx.RequireRole(BankRole);
                if (q.BasisPoints < 0 || q.BasisPoints > 10_000) ctx.Reject($"rate {q.BasisPoints} bp out of range");
                ctx.Put(QuoteKey(ctx.Caller, q.Core), q.BasisPoints);
                break;
            case ("issue", VoucherIssue i):
                ctx.RequireRole(CoreRole);
                if (ctx.Get(VoucherKey(i.Voucher)) is not null) ctx.Reject($"voucher {i.Voucher} already issued");
                if (ctx.Get(PieceKey(i.Piece)) is not null) ctx.Reject($"piece {i.Piece} already exists");
                if (!ctx.IsMember(i.To)) ctx.Reject($"{i.To} is not a member");
                ctx.Issue(Asset(i.Voucher), PieceAccount(i.Piece), i.Face);   // only the voucher's issuer (the core) may
                ctx.Put(VoucherKey(i.Voucher), new VoucherRecord(ctx.Caller, i.Face, i.MaturityNs, [i.Piece], false));
                ctx.Put(PieceKey(i.Piece), new PieceRecord(i.Voucher, i.To, Held));
                if (i.Invoice is { } iv) ctx.Put(SupplyChainPrivacy.InvoiceKey(i.Piece), iv);
                ctx.Emit("issued", i.Voucher);
                break;
            case ("split", VoucherSplit s):
            {
                var piece = ctx.Get<PieceRecord>(PieceKey(s.Piece));
                if (piece is null) { ctx.Decline($"no piece {s.Piece}"); return; }
                if (piece.Owner != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} does not hold piece {s.Piece}");
                if (piece.Status != Held) { ctx.Decline($"piece {s.Piece} is {piece.Status}"); return; }
                var asset = Asset(piece.Voucher);
                var amount = ctx.Balance(asset, PieceAccount(s.Piece));
                if (s.Parts.Count < 2) { ctx.Decline("a split needs at least two parts"); return; }
                long sum = 0;
                foreach (var p in s.Parts)
                {
                    if (p.Amount <= 0) { ctx.Decline($"part {p.Piece} has amount {p.Amount}"); return; }
                    if (ctx.Get(PieceKey(p.Piece)) is not null) { ctx.Decline($"piece {p.Piece} already exists"); return; }
                    if (!ctx.IsMember(p.To)) { ctx.Decline($"{p.To} is not a member"); return; }
                    sum = checked(sum + p.Amount);
                }
                if (sum != amount) { ctx.Decline($"parts add up to {sum}, piece {s.Piece} holds {amount}"); return; }
                var voucher = ctx.Get<VoucherRecord>(VoucherKey(piece.Voucher))!;
                var ids = voucher.Pieces;
                foreach (var p in s.Parts)
                {
                    ctx.Transfer(asset, PieceAccount(s.Piece), PieceAccount(p.Piece), p.Amount);
                    ctx.Put(PieceKey(p.Piece), new PieceRecord(piece.Voucher, p.To, Held));
                    if (p.Invoice is { } partInvoice) ctx.Put(SupplyChainPrivacy.InvoiceKey(p.Piece), partInvoice);
                    ids = ids.Add(p.Piece);
                }
                ctx.Put(PieceKey(s.Piece), piece with { Status = Split });
                ctx.Put(VoucherKey(piece.Voucher), voucher with { Pieces = ids });
                ctx.Emit("split", s.Piece);
                break;
            }
            case ("discount", VoucherDiscount d):
            {
                var piece = ctx.Get<PieceRecord>(PieceKey(d.Piece));
                if (piece is null) { ctx.Decline($"no piece {d.Piece}"); return; }
                // Only a bank can post a quote, so a quote names a bank. Checked before ownership: the holder who sold it is no longer its owner, and the refusal says why.
                if (piece.Status == Discounted) { ctx.Decline($"{DoubleFinancingReason}: piece {d.Piece} was already discounted with {piece.Owner}"); return; }
                if (piece.Owner != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} does not hold piece {d.Piece}");
                if (piece.Status != Held) { ctx.Decline($"piece {d.Piece} is {piece.Status}"); return; }
                var voucher = ctx.Get<VoucherRecord>(VoucherKey(piece.Voucher))!;
                if (ctx.Get(QuoteKey(d.Bank, voucher.Core)) is not long bp) { ctx.Decline($"{d.Bank} quotes no rate for {voucher.Core}"); return; }
                if (d.AsOfNs >= voucher.MaturityNs) { ctx.Decline($"piece {d.Piece} is due: it is paid, not discounted"); return; }
                var amount = ctx.Balance(Asset(piece.Voucher), PieceAccount(d.Piece));
                var price = Price(amount, bp, voucher.MaturityNs - d.AsOfNs);
                var cash = ctx.Balance(currency, d.Bank);
                if (cash < price) { ctx.Decline($"{d.Bank} holds {cash}, needs {price}"); return; }
                ctx.Transfer(currency, d.Bank, ctx.Caller, price);
                ctx.Put(PieceKey(d.Piece), piece with { Owner = d.Bank, Status = Discounted });
                ctx.Emit("discounted", d.Piece);
                break;
            }
            case ("pay", VoucherPay p):
            {
                var voucher = ctx.Get<VoucherRecord>(VoucherKey(p.Voucher));
                if (voucher is null) { ctx.Decline($"no voucher {p.Voucher}"); return; }
                if (voucher.Core != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} did not issue voucher {p.Voucher}");
                if (voucher.Paid) { ctx.Decline($"voucher {p.Voucher} already paid"); return; }
                if (p.AsOfNs < voucher.MaturityNs) { ctx.Decline($"voucher {p.Voucher} is not due"); return; }
                var asset = Asset(p.Voucher);
                foreach (var id in voucher.Pieces)
                {
                    var piece = ctx.Get<PieceRecord>(PieceKey(id))!;
                    if (piece.Status == Split) continue;
                    var amount = ctx.Balance(asset, PieceAccount(id));
                    if (ctx.Balance(currency, ctx.Caller) < amount) ctx.Reject($"{ctx.Caller} cannot pay voucher {p.Voucher}");
                    ctx.Transfer(currency, ctx.Caller, piece.Owner, amount);
                    ctx.Transfer(asset, PieceAccount(id), ctx.Caller, amount);
                    ctx.Put(PieceKey(id), piece with { Status = Paid });
                }
                ctx.Redeem(asset, voucher.Face);
                ctx.Put(VoucherKey(p.Voucher), voucher with { Paid = true });
                ctx.Emit("paid", p.Voucher);
                break;
            }
            default:
                ctx.Reject($"voucher has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    public static string Asset(int voucher) => SupplyChainPlan.Voucher(voucher);
}
