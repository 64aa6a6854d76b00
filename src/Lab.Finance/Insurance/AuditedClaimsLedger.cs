using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Insurance;

/// <summary>
/// A replica's claims ledger: the contract runtime (conservation after every block) plus, after every block,
/// <see cref="ClaimsContract.Audit"/> on each claim the block's calls touched (consent, evidence, instruction).
/// </summary>
public sealed class AuditedClaimsLedger(ContractRuntime runtime) : IStateMachine
{
    public ContractRuntime Runtime => runtime;
    public long AuditViolations { get; private set; }
    public List<string> Findings { get; } = [];

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        var outcomes = runtime.Apply(block, ctx);
        var claims = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tx in block.Transactions)
            switch ((tx.Payload as ContractCall)?.Arguments)
            {
                case ClaimFiling f: claims.Add(f.Claim); break;
                case ClaimDecision d: claims.Add(d.Claim); break;
                case ClaimPaid p: claims.Add(p.Claim); break;
            }
        foreach (var claim in claims)
            if (ClaimsContract.Audit(runtime.State.Get, claim) is { } wrong)
            {
                AuditViolations++;
                if (Findings.Count < 10) Findings.Add($"height {block.Height}: {wrong}");
            }
        return outcomes;
    }
}
