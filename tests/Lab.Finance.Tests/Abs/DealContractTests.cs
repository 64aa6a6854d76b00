using Lab.Finance.Abs;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Abs;

/// <summary>The deal contract on hand-made blocks: issuance, loan events checked against the ledger, a close with the
/// tape's control totals running the waterfall, unit transfers. After every block: unit conservation and the deal audit.</summary>
public class DealContractTests
{
    private static readonly AbsOptions Options = new() { Investors = 2 };
    private readonly DealLedger _ledger;
    private ContractRuntime Rt => _ledger.Runtime;
    private long _seq;

    // Two loans: 600,000.00 and 400,000.00 CNY (fen).
    private static readonly Loan[] Loans = [new(0, 60_000_000, 0.12, 24, 5), new(1, 40_000_000, 0.12, 24, 10)];

    public DealContractTests()
    {
        var issuers = AbsBook.Classes.ToDictionary(DealContract.Asset, _ => AbsBook.Trustee);
        _ledger = new DealLedger(new ContractRuntime(AbsWorld.Consortium(Options), [new DealContract(Options.Terms, Duration.FromMicros(20))], issuers));
    }

    private IReadOnlyList<TxOutcome> Block(params (string Caller, ContractCall Call)[] calls)
    {
        var txs = calls.Select(c => new Transaction(new TxId(++_seq), c.Caller, c.Call, 200, SimTime.Zero)).ToArray();
        var outcomes = _ledger.Apply(new Block(Rt.Height + 1, Hash.Zero, txs, "test"), new ManualNodeContext(nodes: 1));
        Assert.Equal(0, Rt.ConservationViolations);
        Assert.Equal(0, _ledger.AuditViolations);
        Assert.All(Rt.Audit(), a => Assert.Equal(a.Supply, a.Balances));
        return outcomes;
    }

    private TxOutcome One(string caller, ContractCall call) => Block((caller, call))[0];

    private static LoanEvent Event(int index, int loan, LoanEventKind kind, long interest = 0, long principal = 0, long recovery = 0, long defaulted = 0, int period = 0) =>
        new(index, loan, period, kind, interest, principal, recovery, defaulted, 0);

    private void Issue()
    {
        // 1,000,000.00 CNY at par: A 850,000.00 = 8,500 units of 100 CNY, B 600 units, the subordinated 900 units to the originator.
        var units = new List<(string, string, long)> { ("A", "investor01", 5_000), ("A", "investor02", 3_500), ("B", "investor01", 600), ("Sub", AbsBook.Originator, 900) };
        Assert.True(One(AbsBook.Trustee, DealContract.Issue(new IssueNotes(Loans, units))).Accepted);
    }

    [Fact]
    public void Only_the_trustee_issues_and_only_once()
    {
        Assert.False(One(AbsBook.Servicer, DealContract.Issue(new IssueNotes(Loans, []))).Accepted);
        Assert.Equal(1, Rt.UnauthorisedCalls);
        Issue();
        Assert.Equal(8_500, Rt.Supply(DealContract.Asset("A")));
        Assert.Contains("already issued", One(AbsBook.Trustee, DealContract.Issue(new IssueNotes(Loans, []))).Reason);
    }

    [Fact]
    public void Loan_events_are_checked_against_each_loan_and_a_refused_batch_changes_nothing()
    {
        Issue();
        // Loan 1 defaults (its whole balance); loan 0 pays an instalment.
        Assert.True(One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(0, 0, [
            Event(0, 0, LoanEventKind.Payment, interest: 600_000, principal: 2_224_409),
            Event(1, 1, LoanEventKind.Default, defaulted: 40_000_000)]))).Accepted);
        Assert.Equal(new LoanState(60_000_000 - 2_224_409, 0, false), Rt.State.Get(DealContract.LoanKey(0)));
        // A payment on the defaulted loan, more principal than the balance, a recovery on a performing loan: each refuses the whole batch.
        var before = Rt.Digest();
        Assert.Contains("defaulted", One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(1, 0, [Event(2, 0, LoanEventKind.Payment, 1, 1), Event(3, 1, LoanEventKind.Payment, 1, 1)]))).Reason);
        Assert.Contains("more principal", One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(2, 0, [Event(4, 0, LoanEventKind.Prepayment, principal: 60_000_001)]))).Reason);
        Assert.Contains("not defaulted", One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(3, 0, [Event(5, 0, LoanEventKind.Recovery, recovery: 5)]))).Reason);
        Assert.Contains("whole balance", One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(4, 0, [Event(6, 0, LoanEventKind.Default, defaulted: 5)]))).Reason);
        Assert.Equal(before, Rt.Digest());
        // An investor cannot post loan events.
        Assert.False(One("investor01", DealContract.Post(new LoanEventBatch(5, 0, [Event(7, 0, LoanEventKind.Missed)]))).Accepted);
    }

    [Fact]
    public void A_close_checks_the_tape_s_control_totals_then_runs_the_same_waterfall_as_the_reference()
    {
        Issue();
        One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(0, 0, [
            Event(0, 0, LoanEventKind.Payment, interest: 600_000, principal: 2_224_409),
            Event(1, 1, LoanEventKind.Missed)])));
        Assert.Contains("the tape says 3 events", One(AbsBook.Servicer, DealContract.Close(new ClosePeriod(0, 3, 2_824_409))).Reason);
        Assert.Contains("not the open period", One(AbsBook.Servicer, DealContract.Close(new ClosePeriod(1, 0, 0))).Reason);
        var accepted = One(AbsBook.Servicer, DealContract.Close(new ClosePeriod(0, 2, 2_824_409)));
        Assert.True(accepted.Accepted);
        Assert.Equal("waterfall 0", accepted.Reason);

        const long pool = 100_000_000;
        var expected = Waterfall.Run(Options.Terms, pool, 0, Waterfall.Closing(Options.Terms, pool), new Collections(600_000, 2_224_409, 0, 0, pool));
        Assert.Equal(expected, Rt.State.Get(DealContract.WaterfallKey(0)));
        var deal = Assert.IsType<DealState>(Rt.State.Get(DealContract.DealKey));
        Assert.Equal(1, deal.OpenPeriod);
        Assert.Equal(pool - 2_224_409, deal.PoolStart);
        Assert.True(deal.Balances);
        // Events for a closed period are refused.
        Assert.Contains("closed", One(AbsBook.Servicer, DealContract.Post(new LoanEventBatch(1, 0, [Event(2, 0, LoanEventKind.Missed)]))).Reason);
    }

    [Fact]
    public void Units_move_only_from_their_holder_and_only_to_a_party()
    {
        Issue();
        Assert.True(One("investor01", DealContract.Transfer(new TransferUnits("A", "investor02", 1_000))).Accepted);
        Assert.Equal(4_000, Rt.Balance(DealContract.Asset("A"), "investor01"));
        Assert.Equal(4_500, Rt.Balance(DealContract.Asset("A"), "investor02"));
        Assert.Contains("fewer than", One("investor02", DealContract.Transfer(new TransferUnits("B", "investor01", 1))).Reason);
        Assert.Contains("not a party", One("investor01", DealContract.Transfer(new TransferUnits("A", "stranger", 1))).Reason);
        Assert.False(One(AbsBook.Originator, DealContract.Transfer(new TransferUnits("Sub", "investor01", 1))).Accepted); // no investor role
        Assert.Equal(8_500, Rt.Supply(DealContract.Asset("A")));
    }
}
