using FsCheck;
using FsCheck.Xunit;
using Lab.Finance.Evidence;
using Lab.Finance.Insurance;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Insurance;

/// <summary>Laws of the claims contract under any sequence of consents, claims, decisions, payments and anchors by any member.</summary>
public class ClaimsProperties
{
    /// <summary>One call: Kind picks the method, Who the caller, the rest which customer, claim, category and amount.</summary>
    public readonly record struct Step(byte Kind, byte Who, byte Customer, byte Claim, byte Category, ushort Amount);

    private static readonly InsuranceOptions Small = new() { Hospitals = 1, Insurers = 2 };
    private static readonly string[] Callers = [InsuranceBook.App, InsuranceBook.Exchange, InsuranceBook.Insurer(0), InsuranceBook.Insurer(1), InsuranceBook.Bank, InsuranceBook.Hospital(0)];

    [Property(MaxTest = 200)]
    public bool No_claim_is_approved_without_consent_evidence_and_a_matching_instruction_and_none_is_paid_twice(Step[] steps)
    {
        var ledger = new AuditedClaimsLedger(new ContractRuntime(InsuranceWorld.Consortium(Small),
            [new ClaimsContract(200_000, 500_000), new EvidenceContract()], new Dictionary<string, string>()));
        var paid = new Dictionary<string, int>();
        long seq = 0;
        foreach (var s in steps ?? [])
        {
            var customer = InsuranceBook.CustomerName(s.Customer % 3);
            var insurer = InsuranceBook.Insurer(s.Customer % 2);
            var claim = "C" + (s.Claim % 8);
            ContractCall call = (s.Kind % 5) switch
            {
                0 => ClaimsContract.Consent(new ConsentGrant(customer, InsuranceBook.Insurer(s.Who % 2), Hash.Zero)),
                1 => ClaimsContract.File(new ClaimFiling(claim, customer, insurer, InsuranceBook.Hospital(0), (VisitCategory)(s.Category % 3), s.Amount * 100L,
                    new EvidenceItem(claim, Hash.Of(BitConverter.GetBytes(s.Amount)), "visit", ""))),
                2 => ClaimsContract.Decide(new ClaimDecision(claim, s.Amount * 100L)),
                3 => ClaimsContract.Paid(claim),
                _ => EvidenceContract.Anchor(),
            };
            var tx = new Transaction(new TxId(++seq), Callers[s.Who % Callers.Length], call, 200, SimTime.Zero);
            var outcome = ledger.Apply(new Block(ledger.Runtime.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1))[0];
            if (call.Method == "paid" && outcome.Accepted) paid[claim] = paid.GetValueOrDefault(claim) + 1;
            if (ledger.AuditViolations > 0) return false;
        }
        // Every stored claim's evidence has a proof under its period's root once that period is anchored.
        foreach (var id in Enumerable.Range(0, 8).Select(i => "C" + i))
            if (EvidenceProofs.Prove(ledger.Runtime.State.Get, id) is { } p
                && !new EvidenceVerifier(EvidenceProofs.Root(ledger.Runtime.State.Get, p.Period)!.Root).Includes(p.Hash, p.Proof))
                return false;
        return paid.Values.All(n => n == 1) && ledger.Runtime.ConservationViolations == 0;
    }
}
