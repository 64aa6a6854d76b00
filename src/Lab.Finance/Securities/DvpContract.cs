using System.Globalization;
using Lab.Ledger.Contracts;

namespace Lab.Finance.Securities;

/// <summary>One trade as the DvP contract settles it (indices into <see cref="MarketNames"/>).</summary>
public sealed record DvpInstruction(int TradeIndex, int Buyer, int Seller, int Security, long Quantity, long PriceMinor) : ISpanFormattable
{
    public long Value => checked(Quantity * PriceMinor);
    /// <summary>The trade record sealed for its private collection (<see cref="SecuritiesPrivacy"/>), stored by the contract;
    /// null with <c>scenario.privacy.trades: off</c>. Internal, so not in the text form the transaction's fingerprint hashes: like
    /// Fabric's transient data it travels beside the ordered instruction.</summary>
    internal Lab.Finance.Privacy.SealedPayload? Record { get; init; }
    public static DvpInstruction Of(Trade t) => new(t.Index, t.Buyer, t.Seller, t.Security, t.Quantity, t.PriceMinor);

    /// <summary>The record's own text (<see cref="ToString()"/>, which the transaction's fingerprint hashes) written without a
    /// StringBuilder: every on-chain trade's fingerprint formats it once. A test holds the two texts equal.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture,
            $"DvpInstruction {{ TradeIndex = {TradeIndex}, Buyer = {Buyer}, Seller = {Seller}, Security = {Security}, Quantity = {Quantity}, PriceMinor = {PriceMinor}, Value = {Value} }}",
            out charsWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();
}

/// <summary>A netting window's trades, settled as one multilateral net batch (BIS model 3 on chain): all or nothing.</summary>
public sealed record DvpBatch(IReadOnlyList<DvpInstruction> Trades)
{
    public override string ToString() => $"DvpBatch {{ Trades = [{string.Join(",", Trades.Select(t => t.TradeIndex))}] }}";
}

/// <summary>Moves <paramref name="Amount"/> from a member's drawn credit line into its wallet (or back, when negative).</summary>
public sealed record FundInstruction(int Member, long Amount);

/// <summary>
/// Delivery versus payment on the consortium chain. Single trades (BIS model 1): the security leg and
/// the cash leg move in one contract call, so both happen or neither does. Net batches (model 3): the
/// contract checks that every member can cover its net debit and net deliveries, then moves the nets
/// through an escrow account; if any cannot, nothing moves and the batch is refused whole — no trade is
/// unwound. The venue locks balances at order entry, so a refusal here means the venue's view was
/// wrong (counted by the gateway; it should never happen). Funding: the venue moves cash between a
/// member's committed credit line (<c>credit/member</c>) and its wallet at the member's request.
/// Only the exchange (role <see cref="SettlementAgentRole"/>, pre-authorised by the members) may call;
/// a trade settles at most once.
/// </summary>
public sealed class DvpContract(MarketNames names, Lab.Sim.Time.Duration? cpuPerTrade = null) : IContract
{
    private readonly Lab.Sim.Time.Duration _cpuPerTrade = cpuPerTrade ?? Lab.Sim.Time.Duration.Zero;

    public const string ContractName = "dvp";
    public const string SettlementAgentRole = "settlement-agent";
    public string Name => ContractName;

    public static ContractCall SettleCall(DvpInstruction t) => new(ContractName, "settle", t);
    public static ContractCall BatchCall(DvpBatch b) => new(ContractName, "settle-batch", b);
    public static ContractCall FundCall(FundInstruction f) => new(ContractName, "fund", f);

    /// <summary>The on-chain account holding a member's undrawn credit line.</summary>
    public static string CreditAccount(string member) => "credit/" + member;

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        ctx.RequireRole(SettlementAgentRole);
        switch (method, arguments)
        {
            case ("settle", DvpInstruction t):
                ctx.Charge(_cpuPerTrade);
                var key = TradeKey(t.TradeIndex);   // once per call: Check reads it, Move writes it
                if (Check(ctx, t, key) is { } reason) { ctx.Decline(reason); return; }
                Move(ctx, t, key);
                ctx.Emit("settled", t.TradeIndex);
                break;
            case ("settle-batch", DvpBatch b):
                ctx.Charge(_cpuPerTrade * b.Trades.Count);
                SettleNet(ctx, b.Trades);
                break;
            case ("fund", FundInstruction f):
                var member = names.Member(f.Member);
                if (f.Amount >= 0) ctx.Transfer(names.Currency, CreditAccount(member), member, f.Amount);
                else ctx.Transfer(names.Currency, member, CreditAccount(member), -f.Amount);
                break;
            default:
                ctx.Reject($"dvp has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private static string TradeKey(int index) => string.Create(CultureInfo.InvariantCulture, $"trade/{index}");   // one string, no intermediate

    // Members' cash and share accounts by index, named once (the same on every replica; a race builds two equal ones).
    private readonly Account?[] _cash = new Account?[names.Members];
    private readonly Account?[] _shares = new Account?[names.Members * names.Securities];
    private Account Cash(int member) => _cash[member] ??= new Account(names.Currency, names.Member(member));
    private Account Shares(int member, int security) => _shares[security * names.Members + member] ??= new Account(names.Security(security), names.Member(member));

    private string? Check(ContractContext ctx, DvpInstruction t, string tradeKey)
    {
        if (ctx.Get(tradeKey) is not null) return $"trade {t.TradeIndex} already settled";
        var cash = ctx.Balance(Cash(t.Buyer));
        if (cash < t.Value) return $"cash: {names.Member(t.Buyer)} holds {cash} {names.Currency} minor units, needs {t.Value}";
        var shares = ctx.Balance(Shares(t.Seller, t.Security));
        if (shares < t.Quantity) return $"holdings: {names.Member(t.Seller)} holds {shares} {names.Security(t.Security)}, needs {t.Quantity}";
        return null;
    }

    private void Move(ContractContext ctx, DvpInstruction t, string tradeKey)
    {
        ctx.Transfer(Shares(t.Seller, t.Security), Shares(t.Buyer, t.Security), t.Quantity);  // delivery leg
        ctx.Transfer(Cash(t.Buyer), Cash(t.Seller), t.Value);                                 // payment leg
        ctx.Put(tradeKey, ctx.HeightValue);
        if (t.Record is { } r) ctx.Put(SecuritiesPrivacy.RecordKey(t.TradeIndex), r);
    }

    private void SettleNet(ContractContext ctx, IReadOnlyList<DvpInstruction> trades)
    {
        var fresh = trades.Where(t => ctx.Get(TradeKey(t.TradeIndex)) is null).ToList();
        var cash = new SortedDictionary<int, long>();
        var shares = new SortedDictionary<(int, int), long>();
        foreach (var t in fresh)
        {
            cash[t.Buyer] = cash.GetValueOrDefault(t.Buyer) - t.Value;
            cash[t.Seller] = cash.GetValueOrDefault(t.Seller) + t.Value;
            shares[(t.Buyer, t.Security)] = shares.GetValueOrDefault((t.Buyer, t.Security)) + t.Quantity;
            shares[(t.Seller, t.Security)] = shares.GetValueOrDefault((t.Seller, t.Security)) - t.Quantity;
        }
        foreach (var (m, c) in cash)
            if (c < 0 && ctx.Balance(names.Currency, names.Member(m)) < -c) { ctx.Decline($"cash: {names.Member(m)} cannot cover its net debit of {-c}"); return; }
        foreach (var ((m, s), q) in shares)
            if (q < 0 && ctx.Balance(names.Security(s), names.Member(m)) < -q) { ctx.Decline($"holdings: {names.Member(m)} cannot deliver its net {-q} {names.Security(s)}"); return; }
        // Payers into escrow first, then escrow to receivers: conservation holds at every step.
        foreach (var (m, c) in cash) if (c < 0) ctx.Transfer(names.Currency, names.Member(m), MarketNames.Escrow, -c);
        foreach (var ((m, s), q) in shares) if (q < 0) ctx.Transfer(names.Security(s), names.Member(m), MarketNames.Escrow, -q);
        foreach (var (m, c) in cash) if (c > 0) ctx.Transfer(names.Currency, MarketNames.Escrow, names.Member(m), c);
        foreach (var ((m, s), q) in shares) if (q > 0) ctx.Transfer(names.Security(s), MarketNames.Escrow, names.Member(m), q);
        foreach (var t in fresh)
        {
            ctx.Put(TradeKey(t.TradeIndex), ctx.HeightValue);
            if (t.Record is { } r) ctx.Put(SecuritiesPrivacy.RecordKey(t.TradeIndex), r);
        }
        ctx.Emit("settled-batch", fresh.Count);
    }
}
