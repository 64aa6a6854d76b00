using Lab.Finance.Confirmations;
using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Confirmations;

/// <summary>The confirmation contract on hand-made blocks, each through <see cref="AuditedConfirmationLedger"/> (the audit
/// must hold after every block), and the who-can-read matrix read from the resulting state.</summary>
public class ConfirmationContractTests
{
    private static readonly ConfirmationOptions Small = new() { AuditFirms = 2, Clients = 2, Banks = 2 };
    private const string Firm = "firm01", OtherFirm = "firm02", Client = "client001", OtherClient = "client002", Bank = "bank01", OtherBank = "bank02";
    private static readonly ConfirmationRequestDraw R =
        new(0, 0, 0, 0, 0, true, false, false, new PostalDays(1, 1, 1, 1, 1), 0, 0, 0, 0, 0, 0, 1_234_567);

    private readonly AuditedConfirmationLedger _ledger = new(new ContractRuntime(ConfirmationWorld.Platform(Small), [new ConfirmationContract()], new Dictionary<string, string>()));
    private readonly Keyring _keys = new(7);
    private long _seq;
    private ContractRuntime Rt => _ledger.Runtime;

    private TxOutcome One(string caller, ContractCall call)
    {
        var tx = new Transaction(new TxId(++_seq), caller, call, 300, SimTime.Zero);
        var o = _ledger.Apply(new Block(Rt.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1))[0];
        Assert.Equal(0, _ledger.AuditViolations);
        return o;
    }

    private SealedPayload Seal(string text, ConfirmationItem item, bool regulator = true) =>
        SealedPayload.Seal(text, ConfirmationPrivacy.Recipients(item, Firm, Client, Bank, regulator), _keys, item.ToString());

    private SealedPayload Reply(bool regulator = true) => Seal(ConfirmationBook.ReplyText(R, 256), ConfirmationItem.Reply, regulator);

    private void RequestAndAuthorise(bool regulator = true)
    {
        Assert.True(One(Firm, ConfirmationContract.Request(new ConfirmationRequest(R.Id, Client, Bank, Seal(ConfirmationBook.RequestText(R, 256), ConfirmationItem.Request, regulator)))).Accepted);
        Assert.True(One(Client, ConfirmationContract.Authorise(new ClientAuthorisation(R.Id, Seal(ConfirmationBook.AuthorisationText(R), ConfirmationItem.Authorisation, regulator)))).Accepted);
    }

    private ConfirmationState State => Rt.State.Get(ConfirmationContract.Key(R.Id)) as ConfirmationState ?? throw new InvalidOperationException("no confirmation");

    [Fact]
    public void A_request_authorised_and_answered_is_received_by_the_digest_the_bank_anchored()
    {
        RequestAndAuthorise();
        var reply = Reply();
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, reply))).Accepted);
        Assert.Equal(reply.Digest, State.ReplyDigest);
        Assert.True(One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, reply.Digest))).Accepted);
        Assert.Equal(ConfirmationStatus.Received, State.Status);
        Assert.Equal([1L, 2, 3, 4], new[] { State.RequestedAt, State.AuthorisedAt, State.RepliedAt, State.ReceivedAt });
    }

    [Fact]
    public void A_missing_client_authorisation_blocks_the_banks_reply_with_a_reason()
    {
        Assert.True(One(Firm, ConfirmationContract.Request(new ConfirmationRequest(R.Id, Client, Bank, Seal("request", ConfirmationItem.Request)))).Accepted);
        var blocked = One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, Reply())));
        Assert.False(blocked.Accepted);
        Assert.Equal("reply blocked: client client001 has not authorised confirmation BC00000", blocked.Reason);
        Assert.Equal(ConfirmationStatus.Requested, State.Status);
        Assert.Null(Rt.State.Get(ConfirmationContract.LetterKey(R.Id, ConfirmationItem.Reply)));
        // Nor can anyone but the client authorise, or anyone but the named bank reply.
        var stranger = One(OtherClient, ConfirmationContract.Authorise(new ClientAuthorisation(R.Id, Seal("x", ConfirmationItem.Authorisation))));
        Assert.False(stranger.Accepted);
        Assert.Equal("unauthorised: client002 authorises confirmation BC00000 of client client001", stranger.Reason);
        Assert.Equal(1, Rt.UnauthorisedCalls);
    }

    [Fact]
    public void A_tampered_reply_is_refused_by_its_digest_though_it_opens_and_the_genuine_one_is_then_received()
    {
        RequestAndAuthorise();
        var genuine = Reply();
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, genuine))).Accepted);
        // The fraudster seals a forgery for the firm (anyone can encrypt to a recipient): the firm can open it ...
        var forged = SealedPayload.Seal(ConfirmationBook.ForgedText(R, 256), [Firm], _keys, "forged");
        Assert.Contains("12345671 CNY", forged.TryOpen(_keys.Of(Firm)));
        // ... but its digest is not the one the bank anchored.
        var refused = One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, forged.Digest)));
        Assert.False(refused.Accepted);
        Assert.Equal("tampered reply: its digest does not match the reply bank01 anchored at height 3", refused.Reason);
        Assert.Equal(ConfirmationStatus.Replied, State.Status);
        Assert.True(One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, genuine.Digest))).Accepted);
        Assert.Contains("1234567 CNY", genuine.TryOpen(_keys.Of(Firm)));
        Assert.False(One(OtherBank, ConfirmationContract.Reply(new BankReply(R.Id, Reply()))).Accepted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_who_can_read_matrix_from_the_replica_state_is_the_platforms_rule(bool regulatorReads)
    {
        RequestAndAuthorise(regulatorReads);
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, Reply(regulatorReads)))).Accepted);
        var m = ConfirmationPrivacy.Derive(Rt.State.Get, [R.Id], Small with { RegulatorReads = regulatorReads }, _keys);
        Assert.Empty(m.Differences((p, i) => ConfirmationPrivacy.Expected(p, i, regulatorReads)));
        // The three rules, cell by cell.
        Assert.All(ConfirmationPrivacy.Items, i => Assert.Equal(regulatorReads ? ReadLevel.Read : i == "status" ? ReadLevel.Read : ReadLevel.HashOnly, m.Cell("regulator", i)));
        Assert.All(ConfirmationPrivacy.Items, i => Assert.Equal(ReadLevel.Nothing, m.Cell("other-auditor", i)));
        Assert.All(ConfirmationPrivacy.Items.Where(i => i != "status"), i => Assert.Equal(ReadLevel.HashOnly, m.Cell("operator", i)));
        Assert.Equal(ReadLevel.HashOnly, m.Cell("client", "reply"));
        Assert.Equal(ReadLevel.Read, m.Cell("client", "request"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell("other-bank", "reply"));
    }

    [Fact]
    public void A_letter_sealed_for_everyone_would_be_a_breach_the_matrix_reports()
    {
        Assert.True(One(Firm, ConfirmationContract.Request(new ConfirmationRequest(R.Id, Client, Bank,
            SealedPayload.Seal("request", [Firm, Client, Bank, ConfirmationBook.Regulator, ConfirmationBook.Operator], _keys, "leaky")))).Accepted);
        Assert.True(One(Client, ConfirmationContract.Authorise(new ClientAuthorisation(R.Id, Seal("yes", ConfirmationItem.Authorisation)))).Accepted);
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, Reply()))).Accepted);
        var m = ConfirmationPrivacy.Derive(Rt.State.Get, [R.Id], Small, _keys);
        Assert.Equal(["operator on request: expected hash only, ledger gives read"], m.Differences((p, i) => ConfirmationPrivacy.Expected(p, i, true)));
    }

    /// <summary>A second request of the same firm, client and bank (index 1).</summary>
    private static readonly ConfirmationRequestDraw R2 = R with { Index = 1, Balance = 7_654_321 };

    private SealedPayload Reply2() => Seal(ConfirmationBook.ReplyText(R2, 256), ConfirmationItem.Reply);

    [Fact]
    public void A_reply_is_stored_as_evidence_by_its_own_call_and_proved_to_a_party_holding_only_the_anchored_root()
    {
        RequestAndAuthorise();
        var reply = Reply();
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, reply))).Accepted);
        var entry = Assert.IsType<EvidenceEntry>(Rt.State.Get(EvidenceContract.EntryKey(ConfirmationEvidence.Id(R.Id))));
        Assert.Equal((reply.Digest, Bank, "bank01 to firm01", 3L), (entry.Hash, entry.StoredBy, entry.Meta, entry.Height));
        // Stored but not anchored: no root to check against yet.
        Assert.Equal(EvidenceOutcome.Unanchored, EvidenceCheck.Check(Rt.State.Get, ConfirmationEvidence.Id(R.Id), ConfirmationEvidence.Original(reply)));
        // The firm's acknowledgement, in the next block, closes the period and fixes the root over the reply.
        Assert.True(One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, reply.Digest))).Accepted);
        var root = EvidenceProofs.Root(Rt.State.Get, entry.Period)!;
        Assert.Equal((1, 4L), (root.Count, root.Height));
        // The checker keeps the root alone; a replica holder hands out the proof; the filed sealed letter re-hashes to its leaf.
        var verifier = new EvidenceVerifier(root.Root);
        var proof = EvidenceProofs.Prove(Rt.State.Get, ConfirmationEvidence.Id(R.Id))!;
        Assert.True(verifier.Authentic(ConfirmationEvidence.Original(reply), proof.Proof));
        Assert.Equal(EvidenceOutcome.Authentic, EvidenceCheck.Check(Rt.State.Get, ConfirmationEvidence.Id(R.Id), ConfirmationEvidence.Original(reply)));
        Assert.Contains("1234567 CNY", reply.TryOpen(_keys.Of(Firm)));   // and the firm still reads what it filed
    }

    [Fact]
    public void An_altered_original_is_caught_whether_re_sealed_as_a_forgery_or_one_byte_flipped()
    {
        RequestAndAuthorise();
        var reply = Reply();
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, reply))).Accepted);
        Assert.True(One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, reply.Digest))).Accepted);
        var id = ConfirmationEvidence.Id(R.Id);
        var forged = Seal(ConfirmationBook.ForgedText(R, 256), ConfirmationItem.Reply);
        Assert.Contains("12345671 CNY", forged.TryOpen(_keys.Of(Firm)));   // opens fine: only the hash tells
        Assert.Equal(EvidenceOutcome.Tampered, EvidenceCheck.Check(Rt.State.Get, id, ConfirmationEvidence.Original(forged)));
        Assert.Equal(EvidenceOutcome.Tampered, EvidenceCheck.Check(Rt.State.Get, id, ConfirmationEvidence.Flipped(reply)));
        Assert.Equal(EvidenceOutcome.Missing, EvidenceCheck.Check(Rt.State.Get, ConfirmationEvidence.Id(R2.Id), ConfirmationEvidence.Original(reply)));
        // The tally the run reports: the genuine one verifies, both altered copies are detected.
        var tally = new EvidenceTally();
        tally.Genuine(Rt.State.Get, id, ConfirmationEvidence.Original(reply));
        tally.Altered(Rt.State.Get, id, ConfirmationEvidence.Original(forged));
        tally.Altered(Rt.State.Get, id, ConfirmationEvidence.Flipped(reply));
        Assert.Equal((1L, 0L, 0L, 2L, 2L), (tally.Verified, tally.Failed, tally.Unanchored, tally.TamperedChecked, tally.TamperedDetected));
        Assert.Empty(tally.Findings);
    }

    [Fact]
    public void A_proof_checked_against_the_wrong_root_is_refused()
    {
        RequestAndAuthorise();
        Assert.True(One(Firm, ConfirmationContract.Request(new ConfirmationRequest(R2.Id, Client, Bank, Seal(ConfirmationBook.RequestText(R2, 256), ConfirmationItem.Request)))).Accepted);
        Assert.True(One(Client, ConfirmationContract.Authorise(new ClientAuthorisation(R2.Id, Seal(ConfirmationBook.AuthorisationText(R2), ConfirmationItem.Authorisation)))).Accepted);
        var (first, second) = (Reply(), Reply2());
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R.Id, first))).Accepted);    // period 1
        Assert.True(One(Bank, ConfirmationContract.Reply(new BankReply(R2.Id, second))).Accepted);  // closes period 1, opens period 2
        Assert.True(One(Firm, ConfirmationContract.Receive(new ReplyReceipt(R.Id, first.Digest))).Accepted); // closes period 2
        var proof = EvidenceProofs.Prove(Rt.State.Get, ConfirmationEvidence.Id(R.Id))!;
        var (own, other) = (EvidenceProofs.Root(Rt.State.Get, 1)!, EvidenceProofs.Root(Rt.State.Get, 2)!);
        Assert.Equal(1, proof.Period);
        Assert.True(new EvidenceVerifier(own.Root).Authentic(ConfirmationEvidence.Original(first), proof.Proof));
        Assert.False(new EvidenceVerifier(other.Root).Authentic(ConfirmationEvidence.Original(first), proof.Proof));
        Assert.False(new EvidenceVerifier(first.Digest).Authentic(ConfirmationEvidence.Original(first), proof.Proof)); // the bare leaf is no root
        // The other period's own reply and proof do verify under its root.
        Assert.True(new EvidenceVerifier(other.Root).Authentic(ConfirmationEvidence.Original(second), EvidenceProofs.Prove(Rt.State.Get, ConfirmationEvidence.Id(R2.Id))!.Proof));
    }
}
