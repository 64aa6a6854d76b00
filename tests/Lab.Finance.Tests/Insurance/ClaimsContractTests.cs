using Lab.Finance.Evidence;
using Lab.Finance.Insurance;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Insurance;

/// <summary>The claims contract on hand-made blocks: consent, refusal without it, automatic approval within the
/// rules, review outside them, the insurer's decision, payment confirmed once. Every block goes through
/// <see cref="AuditedClaimsLedger"/>, and after every block the test checks the audit and conservation.</summary>
public class ClaimsContractTests
{
    private static readonly InsuranceOptions Small = new() { Hospitals = 1, Insurers = 2 };
    private const string App = InsuranceBook.App, Exchange = InsuranceBook.Exchange, Bank = InsuranceBook.Bank;
    private static readonly string Insurer = InsuranceBook.Insurer(0), Other = InsuranceBook.Insurer(1), Alice = InsuranceBook.CustomerName(0), Bob = InsuranceBook.CustomerName(1);

    private readonly AuditedClaimsLedger _ledger = new(new ContractRuntime(InsuranceWorld.Consortium(Small),
        [new ClaimsContract(autoLimitFen: 500_000, annualAutoLimitFen: 1_000_000), new EvidenceContract()], new Dictionary<string, string>()));
    private ContractRuntime Rt => _ledger.Runtime;
    private long _seq;

    private TxOutcome One(string caller, ContractCall call)
    {
        var tx = new Transaction(new TxId(++_seq), caller, call, 200, SimTime.Zero);
        var o = _ledger.Apply(new Block(Rt.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1))[0];
        Assert.Equal(0, _ledger.AuditViolations);
        Assert.Equal(0, Rt.ConservationViolations);
        return o;
    }

    private static ClaimFiling Claim(string id, string customer, VisitCategory category, long fen, string? insurer = null) =>
        new(id, customer, insurer ?? InsuranceBook.Insurer(0), InsuranceBook.Hospital(0), category, fen, new EvidenceItem(id, Hash.Of(System.Text.Encoding.UTF8.GetBytes(id)), "visit", "hospital01"));

    private void AliceConsents() =>
        Assert.True(One(App, ClaimsContract.Consent(new ConsentGrant(Alice, Insurer, InsuranceBook.ConsentFingerprint(0, 0)))).Accepted);

    [Fact]
    public void A_claim_without_consent_is_refused_with_its_reason_and_nothing_about_the_visit_is_stored()
    {
        var refused = One(Exchange, ClaimsContract.File(Claim("C1", Bob, VisitCategory.Outpatient, 30_000)));
        Assert.False(refused.Accepted);
        Assert.Equal("refused: no consent on record for cust00002", refused.Reason);
        Assert.Null(Rt.State.Get(ClaimsContract.ClaimKey("C1")));
        Assert.Null(Rt.State.Get(EvidenceContract.EntryKey("C1")));

        AliceConsents();
        var wrongInsurer = One(Exchange, ClaimsContract.File(Claim("C2", Alice, VisitCategory.Outpatient, 30_000, Other)));
        Assert.Equal("refused: cust00001's consent covers insurer01, not insurer02", wrongInsurer.Reason);
    }

    [Fact]
    public void A_claim_inside_the_rules_is_approved_with_a_payment_instruction_and_paid_once()
    {
        AliceConsents();
        var o = One(Exchange, ClaimsContract.File(Claim("C1", Alice, VisitCategory.Outpatient, 41_250)));
        Assert.True(o.Accepted);
        Assert.Equal(ClaimsContract.Approved, o.Reason);
        var claim = (ClaimState)Rt.State.Get(ClaimsContract.ClaimKey("C1"))!;
        Assert.Equal((ClaimStatus.Approved, 41_250L, true), (claim.Status, claim.ApprovedFen, claim.Automatic));
        Assert.Equal(new PaymentInstruction("C1", Insurer, Alice, 41_250), Rt.State.Get(ClaimsContract.PaymentKey("C1")));
        Assert.NotNull(Rt.State.Get(EvidenceContract.EntryKey("C1")));

        Assert.True(One(Bank, ClaimsContract.Paid("C1")).Accepted);
        Assert.Equal("claim C1 has no unpaid payment instruction", One(Bank, ClaimsContract.Paid("C1")).Reason);
        Assert.Equal("claim C1 already filed", One(Exchange, ClaimsContract.File(Claim("C1", Alice, VisitCategory.Outpatient, 41_250))).Reason);
    }

    [Fact]
    public void Claims_outside_the_rules_go_to_review_and_only_their_insurer_decides_them()
    {
        AliceConsents();
        Assert.Equal("review: inpatient claims are reviewed", One(Exchange, ClaimsContract.File(Claim("C1", Alice, VisitCategory.Inpatient, 800_000))).Reason);
        Assert.Equal("review: 5,000.01 CNY above the automatic limit 5,000 CNY", One(Exchange, ClaimsContract.File(Claim("C2", Alice, VisitCategory.Outpatient, 500_001))).Reason);
        Assert.Equal(ClaimsContract.Approved, One(Exchange, ClaimsContract.File(Claim("C3", Alice, VisitCategory.Outpatient, 500_000))).Reason);
        Assert.Equal(ClaimsContract.Approved, One(Exchange, ClaimsContract.File(Claim("C4", Alice, VisitCategory.Outpatient, 500_000))).Reason);
        Assert.Equal("review: automatic total 10,000.01 CNY above the annual limit 10,000 CNY", One(Exchange, ClaimsContract.File(Claim("C5", Alice, VisitCategory.Outpatient, 1))).Reason);
        Assert.Null(Rt.State.Get(ClaimsContract.PaymentKey("C1")));
        Assert.Equal("claim C1 has no unpaid payment instruction", One(Bank, ClaimsContract.Paid("C1")).Reason);

        Assert.StartsWith("unauthorised: insurer02 decides a claim on insurer01", One(Other, ClaimsContract.Decide(new ClaimDecision("C1", 800_000))).Reason);
        Assert.StartsWith("unauthorised", One(Exchange, ClaimsContract.Decide(new ClaimDecision("C1", 800_000))).Reason);
        Assert.Equal("approved 800001 fen outside 0..800000", One(Insurer, ClaimsContract.Decide(new ClaimDecision("C1", 800_001))).Reason);
        Assert.True(One(Insurer, ClaimsContract.Decide(new ClaimDecision("C1", 750_000))).Accepted);
        Assert.Equal(new PaymentInstruction("C1", Insurer, Alice, 750_000), Rt.State.Get(ClaimsContract.PaymentKey("C1")));
        Assert.False(((ClaimState)Rt.State.Get(ClaimsContract.ClaimKey("C1"))!).Automatic);
        Assert.Equal("claim C1 is not awaiting review", One(Insurer, ClaimsContract.Decide(new ClaimDecision("C1", 1))).Reason);
    }

    [Fact]
    public void The_audit_finds_an_approval_without_consent_and_an_instruction_that_does_not_match()
    {
        var state = new Dictionary<string, object?>
        {
            [ClaimsContract.ClaimKey("C9")] = new ClaimState("C9", Bob, Insurer, VisitCategory.Outpatient, 100, ClaimStatus.Approved, 100, true, ""),
        };
        Assert.Equal("C9: on the ledger without cust00002's consent for insurer01", ClaimsContract.Audit(k => state.GetValueOrDefault(k), "C9"));
        state[ClaimsContract.ConsentKey(Bob)] = new ConsentGrant(Bob, Insurer, Hash.Zero);
        state[EvidenceContract.EntryKey("C9")] = new EvidenceEntry("C9", Hash.Zero, "visit", "", Exchange, 1, 1, 0);
        state[ClaimsContract.PaymentKey("C9")] = new PaymentInstruction("C9", Insurer, Bob, 99);
        Assert.Equal("C9: approved without a matching payment instruction", ClaimsContract.Audit(k => state.GetValueOrDefault(k), "C9"));
        state[ClaimsContract.PaymentKey("C9")] = new PaymentInstruction("C9", Insurer, Bob, 100);
        Assert.Null(ClaimsContract.Audit(k => state.GetValueOrDefault(k), "C9"));
    }
}
