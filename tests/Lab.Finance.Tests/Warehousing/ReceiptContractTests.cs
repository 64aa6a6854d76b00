using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Finance.Warehousing;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Warehousing;

/// <summary>The receipt contract on hand-made blocks: intake, issue, pledge, a second pledge, sensor flags, release, disposal.
/// Every block goes through <see cref="AuditedReceiptLedger"/>, and after every block the test checks conservation and the audit.</summary>
public class ReceiptContractTests
{
    private static readonly WarehouseOptions Small = new() { Warehouses = 2, Banks = 3, Owners = 2 };
    private const string Wh = "wh01", Wh2 = "wh02", Bank1 = "bank01", Bank2 = "bank02", Alice = "owner01", Bob = "owner02";
    private static readonly string Asset = ReceiptContract.Asset(Wh);

    private readonly AuditedReceiptLedger _ledger;
    private ContractRuntime Rt => _ledger.Runtime;
    private long _seq;

    public ReceiptContractTests()
    {
        var issuers = new Dictionary<string, string> { [Asset] = Wh, [ReceiptContract.Asset(Wh2)] = Wh2 };
        var rt = new ContractRuntime(WarehouseWorld.Consortium(Small), [new ReceiptContract(0.01, Duration.FromMicros(20))], issuers);
        _ledger = new AuditedReceiptLedger(rt, r => r switch { 1 or 2 or 3 => 0, 4 => 1, _ => null });
    }

    private static SensorReading Reading(int lot, long kg, bool inside = true) => new(lot, kg, inside, 150);

    /// <summary>One block; after it, conservation (no receipt weight created except by its warehouse) and the lot audit must hold.</summary>
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

    /// <summary>Lot 0 (100 t) in wh01, receipt WR00001 for all of it to alice.</summary>
    private void StoreAndIssue()
    {
        Assert.True(One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 100_000)]))).Accepted);
        Assert.True(One(Wh, ReceiptContract.Issue(new IssueReceipt("WR00001", 0, Alice, 100_000))).Accepted);
        Assert.Equal(100_000, Rt.Balance(Asset, Alice));
        Assert.Equal(100_000, Rt.Supply(Asset));
    }

    /// <summary>"Follow one lot" writes a refusal as a code: each of the contract's refusals of a pledge maps to its own.</summary>
    [Fact]
    public void Every_pledge_refusal_of_the_contract_has_its_own_reason_code()
    {
        long Code(string caller, string receipt, string owner)
        {
            var o = One(caller, ReceiptContract.Pledge(new PledgeReceipt(receipt, owner)));
            Assert.False(o.Accepted);
            var code = LotTrail.ReasonCode(o.Reason);
            Assert.StartsWith(LotTrail.Reasons[(int)code].Starts, o.Reason, StringComparison.Ordinal);
            return code;
        }
        Assert.True(One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 100_000)]))).Accepted);
        Assert.True(One(Wh, ReceiptContract.Issue(new IssueReceipt("WR00001", 0, Alice, 50_000))).Accepted);
        Assert.True(One(Wh, ReceiptContract.Issue(new IssueReceipt("WR00002", 0, Alice, 50_000))).Accepted);
        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        Assert.Equal(4, Code(Bank2, "WR00001", Alice));   // second pledge refused: WR00001 is pledged (to bank01)
        Assert.Equal(3, Code(Bank2, "WR00002", Alice));   // second pledge refused: lot 0 is pledged to bank01
        Assert.Equal(2, Code(Bank2, "WR00009", Alice));   // no receipt WR00009 on the ledger
        Assert.Equal(6, Code(Bank2, "WR00002", Bob));     // owner02 does not hold WR00002
        Assert.True(One(Bank1, ReceiptContract.Release("WR00001")).Accepted);
        Assert.True(One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 10_000)]))).Accepted);
        Assert.Equal(5, Code(Bank2, "WR00002", Alice));   // lot 0 flagged by its sensors at height …
        Assert.Equal(1, LotTrail.ReasonCode(BankNode.InRegistry));
        Assert.Equal(0, LotTrail.ReasonCode("refused"));
        Assert.Equal(LotTrail.Reasons.Count, LotTrail.Reasons.Select(r => r.Text).Distinct().Count());
    }

    [Fact]
    public void A_second_pledge_of_the_same_lot_is_refused_with_a_reason_whoever_tries_it()
    {
        StoreAndIssue();
        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        Assert.Equal(100_000, Rt.Balance(Asset, ReceiptContract.PledgeAccount(Bank1)));
        Assert.Equal(0, Rt.Balance(Asset, Alice));

        var second = One(Bank2, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice)));
        Assert.False(second.Accepted);
        Assert.Equal("second pledge refused: WR00001 is pledged (to bank01)", second.Reason);
        // The same bank cannot register it twice either, and nothing moved.
        Assert.False(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        Assert.Equal(100_000, Rt.Balance(Asset, ReceiptContract.PledgeAccount(Bank1)));
        Assert.Equal(0, Rt.Balance(Asset, ReceiptContract.PledgeAccount(Bank2)));
    }

    [Fact]
    public void Receipts_beyond_the_attested_stock_are_refused_and_a_second_receipt_of_a_pledged_lot_cannot_be_pledged()
    {
        Assert.True(One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 100_000)]))).Accepted);
        var o = Block(
            (Wh, ReceiptContract.Issue(new IssueReceipt("WR00001", 0, Alice, 60_000))),
            (Wh, ReceiptContract.Issue(new IssueReceipt("WR00002", 0, Alice, 40_000))),
            (Wh, ReceiptContract.Issue(new IssueReceipt("WR00003", 0, Alice, 100_000))));  // a phantom: the goods again
        Assert.True(o[0].Accepted && o[1].Accepted);
        Assert.False(o[2].Accepted);
        Assert.Equal("tonnage exceeds attested stock: lot 0 holds 100000 kg, 100000 kg already receipted", o[2].Reason);
        Assert.Equal(100_000, Rt.Supply(Asset));
        // Only the lot's warehouse issues against it; an owner cannot issue at all.
        Assert.StartsWith("unauthorised", One(Wh2, ReceiptContract.Issue(new IssueReceipt("WR00004", 0, Alice, 1))).Reason);
        Assert.StartsWith("unauthorised", One(Alice, ReceiptContract.Issue(new IssueReceipt("WR00005", 0, Alice, 1))).Reason);
        Assert.Equal(100_000, Rt.Supply(Asset));

        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        var other = One(Bank2, ReceiptContract.Pledge(new PledgeReceipt("WR00002", Alice)));
        Assert.False(other.Accepted);
        Assert.Equal("second pledge refused: lot 0 is pledged to bank01", other.Reason);
    }

    [Theory]
    [InlineData(98_900, true)]    // 1.1% light: beyond the 1% tolerance
    [InlineData(99_100, false)]   // 0.9% light, but moved out of the geofence
    public void A_lighter_or_moved_lot_flags_its_receipt_and_names_the_pledgee(long kg, bool inside)
    {
        StoreAndIssue();
        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        var quiet = One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 99_100)])));  // within tolerance, inside
        Assert.True(quiet.Accepted);
        Assert.Null(quiet.Reason);
        var flagged = One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, kg, inside)])));
        Assert.True(flagged.Accepted);
        Assert.Equal("flagged 0>bank01", flagged.Reason);
        Assert.Equal(Rt.Height, ((LotState)Rt.State.Get(ReceiptContract.LotKey(0))!).FlaggedAt);
        // Flagged once; later readings do not repeat it; a flagged lot cannot be pledged again after release.
        Assert.Null(One(Wh, ReceiptContract.Readings(new SensorBatch([Reading(0, 0, false)]))).Reason);
        Assert.True(One(Bank1, ReceiptContract.Release("WR00001")).Accepted);
        var again = One(Bank2, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice)));
        Assert.False(again.Accepted);
        Assert.StartsWith("lot 0 flagged by its sensors", again.Reason);
    }

    [Fact]
    public void Repayment_releases_the_receipt_to_its_owner_and_the_lot_can_be_pledged_again()
    {
        StoreAndIssue();
        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        Assert.False(One(Bank2, ReceiptContract.Release("WR00001")).Accepted);   // not bank02's pledge
        Assert.True(One(Bank1, ReceiptContract.Release("WR00001")).Accepted);
        Assert.Equal(100_000, Rt.Balance(Asset, Alice));
        Assert.Equal(0, Rt.Balance(Asset, ReceiptContract.PledgeAccount(Bank1)));
        var r = (ReceiptState)Rt.State.Get(ReceiptContract.ReceiptKey("WR00001"))!;
        Assert.Equal(ReceiptStatus.Held, r.Status);
        Assert.Null(r.Pledgee);
        Assert.True(One(Bank2, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
    }

    [Fact]
    public void On_default_the_pledgee_disposes_the_receipt_becomes_the_banks_and_the_owner_cannot_pledge_it()
    {
        StoreAndIssue();
        Assert.True(One(Bank1, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice))).Accepted);
        Assert.True(One(Bank1, ReceiptContract.Dispose("WR00001")).Accepted);
        Assert.Equal(100_000, Rt.Balance(Asset, Bank1));
        Assert.Equal(0, Rt.Balance(Asset, Alice));
        Assert.Equal(100_000, Rt.Supply(Asset));
        var r = (ReceiptState)Rt.State.Get(ReceiptContract.ReceiptKey("WR00001"))!;
        Assert.Equal(ReceiptStatus.Disposed, r.Status);
        Assert.Equal(Bank1, r.Owner);
        var late = One(Bank2, ReceiptContract.Pledge(new PledgeReceipt("WR00001", Alice)));
        Assert.Equal("owner01 does not hold WR00001", late.Reason);
        Assert.False(One(Bank1, ReceiptContract.Dispose("WR00001")).Accepted);    // nothing left to dispose of
    }

    [Fact]
    public void The_audit_reads_state_alone_and_catches_receipts_beyond_stock_and_two_pledges()
    {
        var state = new Dictionary<string, object?>
        {
            [ReceiptContract.LotKey(7)] = new LotState(Wh, 100_000, 200_000, "A,B", null, 0),
            [ReceiptContract.ReceiptKey("A")] = new ReceiptState(7, Wh, Alice, 100_000, ReceiptStatus.Pledged, Bank1),
            [ReceiptContract.ReceiptKey("B")] = new ReceiptState(7, Wh, Bob, 100_000, ReceiptStatus.Pledged, Bank2),
        };
        Assert.Equal("lot 7: receipts for 200000 kg against 100000 kg attested", ReceiptContract.Audit(k => state.GetValueOrDefault(k), 7));
        state[ReceiptContract.LotKey(7)] = new LotState(Wh, 300_000, 200_000, "A,B", null, 0);
        Assert.Equal("lot 7: 2 receipts pledged at once", ReceiptContract.Audit(k => state.GetValueOrDefault(k), 7));
        state[ReceiptContract.ReceiptKey("B")] = new ReceiptState(7, Wh2, Bob, 100_000, ReceiptStatus.Held, null);
        Assert.Equal("lot 7: receipt B issued by wh02, lot is in wh01", ReceiptContract.Audit(k => state.GetValueOrDefault(k), 7));
        state[ReceiptContract.ReceiptKey("B")] = new ReceiptState(7, Wh, Bob, 100_000, ReceiptStatus.Held, null);
        Assert.Null(ReceiptContract.Audit(k => state.GetValueOrDefault(k), 7));
    }
}
