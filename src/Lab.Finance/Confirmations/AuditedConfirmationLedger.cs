using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Confirmations;

/// <summary>
/// A replica's confirmation ledger: the contract runtime plus, after every block, <see cref="ConfirmationContract.Audit"/>
/// on each confirmation the block's calls touched (letters match their anchored digests, steps in order).
/// </summary>
public sealed class AuditedConfirmationLedger(ContractRuntime runtime) : IStateMachine
{
    public ContractRuntime Runtime => runtime;
    public long AuditViolations { get; private set; }
    public List<string> Findings { get; } = [];

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        var outcomes = runtime.Apply(block, ctx);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tx in block.Transactions)
            switch ((tx.Payload as ContractCall)?.Arguments)
            {
                case ConfirmationRequest r: ids.Add(r.Id); break;
                case ClientAuthorisation a: ids.Add(a.Id); break;
                case BankReply r: ids.Add(r.Id); break;
                case ReplyReceipt r: ids.Add(r.Id); break;
            }
        foreach (var id in ids)
            if (ConfirmationContract.Audit(runtime.State.Get, id) is { } wrong)
            {
                AuditViolations++;
                if (Findings.Count < 10) Findings.Add($"height {block.Height}: {wrong}");
            }
        return outcomes;
    }
}
