using Lab.Finance.Abs;
using Lab.Finance.Privacy;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Abs;

/// <summary>Who can read what on the deal chain (issue 14 §6): the matrix is read from a hand-made replica (the deal
/// contract applying an issue with the sealed borrower tape, a period close and two unit trades with sealed records),
/// each party trying each item with its own key; never asserted from the rules themselves.</summary>
public class AbsPrivacyTests
{
    private static readonly AbsOptions Options = new() { Investors = 3, Loans = 6, PoolCny = 600_000, Periods = 1, TradesPerMonth = 40 };
    private static readonly AbsBook Book = AbsBook.Generate(Options, 3);
    private readonly Keyring _keys = new(3);
    private readonly AbsPrivacy _privacy;
    private readonly ContractRuntime _rt;
    private long _seq;

    public AbsPrivacyTests()
    {
        _privacy = new AbsPrivacy(_keys);
        var issuers = AbsBook.Classes.ToDictionary(DealContract.Asset, _ => AbsBook.Trustee);
        _rt = new ContractRuntime(AbsWorld.Consortium(Options), [new DealContract(Options.Terms, Duration.FromMicros(20))], issuers);
        var units = Book.Allocation.SelectMany(kv => kv.Value.Select((u, i) => (kv.Key, AbsBook.Investor(i), u))).Where(x => x.u > 0).ToList();
        Block(AbsBook.Trustee, DealContract.Issue(_privacy.WithTape(new IssueNotes(Book.Loans, units))));
        Block(AbsBook.Servicer, DealContract.Close(new ClosePeriod(0, 0, 0)));
        foreach (var t in Book.Trades.Take(2)) Block(AbsBook.Investor(t.Seller), DealContract.Transfer(_privacy.WithRecord(t)));
    }

    private void Block(string caller, ContractCall call)
    {
        var tx = new Transaction(new TxId(++_seq), caller, call, 200, SimTime.Zero);
        var outcomes = _rt.Apply(new Block(_rt.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1));
        Assert.True(outcomes[0].Accepted, outcomes[0].Reason);
    }

    [Fact]
    public void Each_party_reads_from_the_replica_what_the_rules_allow()
    {
        Assert.True(Book.Trades.Count >= 2, "the book needs two trades");
        var m = _privacy.Derive(_rt.State.Get, Book, Options.Investors);
        Assert.Empty(AbsPrivacy.Breaches(m));
        // Every cell was reached by some attempt (three investors, trades settled).
        Assert.All(AbsPrivacy.Parties, p => Assert.All(AbsPrivacy.Items, i => Assert.NotNull(m.Cell(p, i))));
        Assert.Equal(ReadLevel.Read, m.Cell(AbsBook.RatingAgency, "borrower"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell(AbsPrivacy.Investor, "borrower"));
        Assert.Equal(ReadLevel.Read, m.Cell(AbsPrivacy.OtherInvestor, "pool-report"));
        Assert.Equal(ReadLevel.Read, m.Cell(AbsPrivacy.Counterparty, "unit-trade"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell(AbsBook.Servicer, "unit-trade"));
        Assert.Equal(ReadLevel.Nothing, m.Cell(AbsPrivacy.OtherInvestor, "unit-trade"));
        Assert.Equal(ReadLevel.Nothing, m.Cell(AbsPrivacy.Counterparty, "holding"));
        Assert.All(AbsPrivacy.Items, i => Assert.Equal(ReadLevel.Read, m.Cell(AbsBook.Regulator, i)));

        // The content itself: the rating agency opens a borrower line, the buyer a trade record; the other investor's key opens neither.
        var tape = Assert.IsType<SealedPayload>(_rt.State.Get(AbsPrivacy.BorrowerKey(0)));
        Assert.StartsWith("loan 0: borrower B000000", tape.TryOpen(_keys.Of(AbsBook.RatingAgency)));
        var t = Book.Trades[0];
        var record = Assert.IsType<SealedPayload>(_rt.State.Get(AbsPrivacy.TradeKey(t.Index)));
        Assert.Contains($"sells {t.Units} class {t.Class}", record.TryOpen(_keys.Of(AbsBook.Investor(t.Buyer))));
        var other = Enumerable.Range(0, Options.Investors).First(i => i != t.Seller && i != t.Buyer);
        Assert.Null(record.TryOpen(_keys.Of(AbsBook.Investor(other))));
        Assert.Null(tape.TryOpen(_keys.Of(AbsBook.Investor(other))));
    }

    [Fact]
    public void A_trade_record_sealed_for_every_investor_is_caught_as_a_breach()
    {
        var t = Book.Trades[0];
        var leaked = SealedPayload.Seal("unit trade", [.. Enumerable.Range(0, Options.Investors).Select(AbsBook.Investor), AbsBook.Trustee, AbsBook.Regulator, AbsBook.Servicer], _keys, "leak");
        object? Replica(string k) => k == AbsPrivacy.TradeKey(t.Index) ? leaked : _rt.State.Get(k);
        var m = _privacy.Derive(Replica, Book, Options.Investors);
        // The gateway still hides the record from the other investor; the servicer's replica now opens it.
        Assert.Equal(["servicer on unit-trade: expected hash only, ledger gives hash only/read"], AbsPrivacy.Breaches(m));
        var metrics = new Lab.Sim.Metrics.RunMetrics(Duration.FromDays(1));
        Assert.Single(AbsPrivacy.Write(metrics, m));
        Assert.Equal(1, metrics.Scalars["privacy_rule_breaches"]);
        Assert.Equal(-1, metrics.Scalars["can_read.servicer.unit-trade"]);
    }

    [Fact]
    public void A_wrong_rule_is_caught_and_a_borrower_tape_in_clear_breaks_it()
    {
        // The tape stored in clear (no sealing): every investor reads borrower identities.
        object? Clear(string k) => k.EndsWith("/borrower", StringComparison.Ordinal) ? "borrower B000000" : _rt.State.Get(k);
        var m = _privacy.Derive(Clear, Book, Options.Investors);
        Assert.Equal(
            ["investor on borrower: expected hash only, ledger gives read", "counterparty on borrower: expected hash only, ledger gives read", "other-investor on borrower: expected hash only, ledger gives read"],
            AbsPrivacy.Breaches(m));
    }

    [Fact]
    public void Without_trades_the_trade_columns_are_not_measured_and_not_breaches()
    {
        var m = _privacy.Derive(k => k.StartsWith("trade/", StringComparison.Ordinal) ? null : _rt.State.Get(k), Book, Options.Investors);
        Assert.Empty(AbsPrivacy.Breaches(m));
        Assert.False(AbsPrivacy.Measured(m, AbsBook.Trustee, "unit-trade"));
        Assert.True(AbsPrivacy.Measured(m, AbsBook.Trustee, "borrower"));
        var metrics = new Lab.Sim.Metrics.RunMetrics(Duration.FromDays(1));
        AbsPrivacy.Write(metrics, m);
        Assert.False(metrics.Scalars.ContainsKey("can_read.trustee.unit-trade"));
        Assert.Equal(2, metrics.Scalars["can_read.trustee.holding"]);
        Assert.Equal(0, metrics.Scalars["can_read.other-investor.holding"]);
        Assert.False(metrics.Scalars.ContainsKey("can_read.counterparty.holding"));   // no trade, no counterparty
    }

    [Fact]
    public void A_wrong_rule_disagrees_with_the_ledger()
    {
        // A rule table that (wrongly) promised investors the borrower tape, and the regulator only its hash.
        static ReadLevel Wrong(string party, string item) => (party, item) switch
        {
            (AbsPrivacy.Investor, "borrower") => ReadLevel.Read,
            (AbsBook.Regulator, "borrower") => ReadLevel.HashOnly,
            _ => AbsPrivacy.Expected(party, item),
        };
        var m = _privacy.Derive(_rt.State.Get, Book, Options.Investors);
        Assert.Equal(["regulator on borrower: expected hash only, ledger gives read", "investor on borrower: expected read, ledger gives hash only"], m.Differences(Wrong));
    }

    [Fact]
    public void A_small_on_chain_deal_keeps_the_rules_and_privacy_off_changes_no_figure()
    {
        var on = AbsWorldTests.Run(AbsWorldTests.Small(AbsReporting.OnChain), 5);
        Assert.Empty(on.Results.PrivacyBreaches);
        Assert.Equal(0, on.Run.Metrics.Scalars["privacy_rule_breaches"]);
        Assert.Equal((int)ReadLevel.HashOnly, on.Run.Metrics.Scalars["can_read.investor.borrower"]);
        Assert.Equal((int)ReadLevel.Nothing, on.Run.Metrics.Scalars["can_read.other-investor.unit-trade"]);
        Assert.Equal((int)ReadLevel.Read, on.Run.Metrics.Scalars["can_read.counterparty.unit-trade"]);

        // Off: nothing sealed, no matrix, every other figure and sample the same.
        var off = AbsWorldTests.Run(AbsWorldTests.Small(AbsReporting.OnChain) with { Privacy = false }, 5);
        Assert.False(off.Run.Metrics.Scalars.ContainsKey("can_read.investor.borrower"));
        Assert.Equal(on.Run.Metrics.Scalars.Count - AbsPrivacy.Parties.Count * AbsPrivacy.Items.Count - 1, off.Run.Metrics.Scalars.Count);
        foreach (var (k, v) in off.Run.Metrics.Scalars) Assert.Equal(v, on.Run.Metrics.Scalars[k]);
        foreach (var (k, v) in off.Run.Metrics.Samples) Assert.Equal(v, on.Run.Metrics.Samples[k]);
        Assert.Equal(off.Run.Metrics.Counters, on.Run.Metrics.Counters);
        Assert.Equal(off.Run.Stats.FinalTime, on.Run.Stats.FinalTime);
    }
}
