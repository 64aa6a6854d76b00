using System.Text;
using Lab.Finance.Evidence;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Evidence;

/// <summary>The evidence contract on hand-made blocks: store, anchor, prove to a party holding only the root, detect a
/// tampered original; a repeated id and storing without the role are refused.</summary>
public class EvidenceContractTests
{
    private const string Hospital = "hospital01", Exchange = "exchange", Customer = "cust01";
    private readonly ContractRuntime _rt;
    private long _seq;

    public EvidenceContractTests()
    {
        var m = new Membership();
        m.Add(Hospital, EvidenceContract.RecorderRole);
        m.Add(Exchange, EvidenceContract.AnchorRole);
        m.Add(Customer);
        _rt = new ContractRuntime(m, [new EvidenceContract()], new Dictionary<string, string>());
    }

    private TxOutcome One(string caller, ContractCall call)
    {
        var tx = new Transaction(new TxId(++_seq), caller, call, 200, SimTime.Zero);
        return _rt.Apply(new Block(_rt.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1))[0];
    }

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"visit {i}: outpatient, 2026-03-02, 412.50 CNY, diagnosis J06.9");
    private static EvidenceItem Item(int i) => new($"V{i}", Hash.Of(Record(i)), "visit", $"hospital01 2026-03-02 #{i}");

    [Fact]
    public void A_stored_record_is_proven_to_a_party_holding_only_the_anchored_root_and_a_tampered_copy_fails()
    {
        Assert.True(One(Hospital, EvidenceContract.Store(Item(1), Item(2), Item(3))).Accepted);
        Assert.Null(EvidenceProofs.Prove(_rt.State.Get, "V2"));   // not anchored yet: nothing to prove against
        var anchored = One(Exchange, EvidenceContract.Anchor());
        Assert.True(anchored.Accepted);
        Assert.StartsWith("anchored period 1: 3 leaves, root ", anchored.Reason);

        var proof = EvidenceProofs.Prove(_rt.State.Get, "V2")!;
        var verifier = new EvidenceVerifier(EvidenceProofs.Root(_rt.State.Get, proof.Period)!.Root);
        Assert.True(verifier.Authentic(Record(2), proof.Proof));
        Assert.False(verifier.Authentic(Record(3), proof.Proof));           // another record under V2's proof

        var tampered = Record(2);
        tampered[^3] ^= 0x01;                                               // 412.50 → 412.51... one byte
        Assert.False(verifier.Authentic(tampered, proof.Proof));
        Assert.True(EvidenceVerifier.Tampered(tampered, proof.Hash));
        Assert.False(EvidenceVerifier.Tampered(Record(2), proof.Hash));

        // A later period has its own root; the first one's proofs still hold.
        Assert.True(One(Hospital, EvidenceContract.Store(Item(4))).Accepted);
        Assert.True(One(Exchange, EvidenceContract.Anchor()).Accepted);
        var p4 = EvidenceProofs.Prove(_rt.State.Get, "V4")!;
        Assert.Equal(2, p4.Period);
        Assert.False(verifier.Authentic(Record(4), p4.Proof));
        Assert.True(new EvidenceVerifier(EvidenceProofs.Root(_rt.State.Get, 2)!.Root).Authentic(Record(4), p4.Proof));
        Assert.True(verifier.Authentic(Record(2), EvidenceProofs.Prove(_rt.State.Get, "V2")!.Proof));
    }

    [Fact]
    public void A_stored_id_cannot_be_replaced_and_only_recorders_store_and_anchors_anchor()
    {
        Assert.True(One(Hospital, EvidenceContract.Store(Item(1))).Accepted);
        var again = One(Hospital, EvidenceContract.Store(Item(1) with { Hash = Hash.Of("forged"u8) }));
        Assert.False(again.Accepted);
        Assert.Equal("evidence V1 already stored by hospital01 at height 1", again.Reason);
        Assert.Equal(Hash.Of(Record(1)), ((EvidenceEntry)_rt.State.Get(EvidenceContract.EntryKey("V1"))!).Hash);

        Assert.StartsWith("unauthorised", One(Customer, EvidenceContract.Store(Item(5))).Reason);
        Assert.StartsWith("unauthorised", One(Hospital, EvidenceContract.Anchor()).Reason);
        Assert.True(One(Exchange, EvidenceContract.Anchor()).Accepted);
        var empty = One(Exchange, EvidenceContract.Anchor());
        Assert.Equal("nothing stored since the last anchor", empty.Reason);
    }
}
