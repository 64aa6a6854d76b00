using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Finance.Warehousing;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Warehousing;

/// <summary>Who can read what and the receipt documents' evidence, derived from a hand-made ledger (issue 14 §5, §6).</summary>
public class WarehousePrivacyTests
{
    private static readonly WarehouseOptions Small = new() { Warehouses = 2, Banks = 3, Owners = 2 };
    private static readonly WarehouseBook Book = new(
        [new Lot(0, 0, 0, 100_000, 0, FraudKind.None, -1)],
        [new Receipt(0, 0, 100_000, false, 0)],
        [new Application(0, 0, 0, 0, 0, 0, 3_000_000, true, FraudKind.None, false, 0, 0)],
        [true, false]);
    private readonly Keyring _keys = new(7);
    private readonly ContractRuntime _rt;
    private long _seq;

    public WarehousePrivacyTests()
    {
        var issuers = new Dictionary<string, string> { [ReceiptContract.Asset("wh01")] = "wh01", [ReceiptContract.Asset("wh02")] = "wh02" };
        _rt = new ContractRuntime(WarehouseWorld.Consortium(Small), [new ReceiptContract(0.01, Duration.FromMicros(20))], issuers);
        var r = Book.Receipts[0];
        Block(("wh01", ReceiptContract.Readings(new SensorBatch([new SensorReading(0, 100_000, true, 150)]))));
        Block(("wh01", ReceiptContract.Issue(new IssueReceipt(r.Id, 0, "owner01", r.Kg, WarehousePrivacy.DocumentEvidence(r, Book)))));
        Block(("bank01", ReceiptContract.Pledge(new PledgeReceipt(r.Id, "owner01", WarehousePrivacy.SealTerms(Book.Applications[0], Book, _keys)))));
        Block(("wh01", ReceiptContract.Readings(new SensorBatch([new SensorReading(0, 100_000, true, 150)])))); // anchors the document
    }

    private void Block(params (string Caller, ContractCall Call)[] calls)
    {
        var txs = calls.Select(c => new Transaction(new TxId(++_seq), c.Caller, c.Call, 200, SimTime.Zero)).ToArray();
        var outcomes = _rt.Apply(new Block(_rt.Height + 1, Hash.Zero, txs, "test"), new ManualNodeContext(nodes: 1));
        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Reason));
    }

    [Fact]
    public void The_matrix_read_from_the_ledger_keeps_the_rules()
    {
        var p = WarehousePrivacy.Measure(_rt.State.Get, Book, Small, _keys);
        Assert.Empty(p.Breaches);
        Assert.Equal(ReadLevel.Read, p.Matrix.Cell("pledgee", "pledge-terms"));
        Assert.Equal(ReadLevel.HashOnly, p.Matrix.Cell("other-bank", "pledge-terms"));
        Assert.Equal(ReadLevel.HashOnly, p.Matrix.Cell("warehouse", "pledge-terms"));
        Assert.Equal(ReadLevel.Nothing, p.Matrix.Cell("other-owner", "receipt"));
        Assert.Equal(ReadLevel.Read, p.Matrix.Cell("regulator", "pledge-terms"));
        Assert.Equal(ReadLevel.Read, p.Matrix.Cell("other-bank", "receipt"));
    }

    [Fact]
    public void A_leaked_item_is_caught()
    {
        // The bank seals the terms for every bank by mistake: other banks can now open them.
        var leaked = SealedPayload.Seal("loan 3000000 CNY", ["owner01", "bank01", "bank02", "bank03", WarehousePrivacy.Regulator], _keys, "leak");
        object? Replica(string k) => k == ReceiptContract.TermsKey("WR00000") ? leaked : _rt.State.Get(k);
        var p = WarehousePrivacy.Measure(Replica, Book, Small, _keys);
        Assert.Equal(["other-bank on pledge-terms: expected hash only, ledger gives read"], p.Breaches);
    }

    [Fact]
    public void The_receipt_document_proves_against_the_anchored_root_and_an_altered_copy_does_not()
    {
        var p = WarehousePrivacy.Measure(_rt.State.Get, Book, Small, _keys);
        Assert.Equal((1, 0, 0), (p.Evidence.Verified, p.Evidence.Failed, p.Evidence.Unanchored));
        Assert.Equal((1, 1), (p.Evidence.TamperedChecked, p.Evidence.TamperedDetected)); // owner01 cheats: its inflated copy is checked
        var r = Book.Receipts[0];
        Assert.Equal(EvidenceOutcome.Authentic, EvidenceCheck.Check(_rt.State.Get, r.Id, WarehousePrivacy.Document(r, Book)));
        Assert.Equal(EvidenceOutcome.Tampered, EvidenceCheck.Check(_rt.State.Get, r.Id, WarehousePrivacy.Document(r, Book, r.Kg + 1)));
        Assert.Equal(EvidenceOutcome.Missing, EvidenceCheck.Check(_rt.State.Get, "WR99999", WarehousePrivacy.Document(r, Book)));
    }
}
