using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Warehousing;

/// <summary>
/// A replica's receipt ledger: the contract runtime (which checks token conservation after every block — no
/// receipt weight created except by its warehouse) plus, after every block, <see cref="ReceiptContract.Audit"/> on
/// each lot the block's calls touched (receipts within attested stock, issued by the lot's warehouse, one pledge).
/// </summary>
public sealed class AuditedReceiptLedger(ContractRuntime runtime, Func<int, int?> lotOfReceipt) : IStateMachine
{
    public ContractRuntime Runtime => runtime;
    public long AuditViolations { get; private set; }
    public List<string> Findings { get; } = [];

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        var outcomes = runtime.Apply(block, ctx);
        var lots = new SortedSet<int>();
        foreach (var tx in block.Transactions)
            switch ((tx.Payload as ContractCall)?.Arguments)
            {
                case SensorBatch b: foreach (var r in b.Readings) lots.Add(r.Lot); break;
                case IssueReceipt i: lots.Add(i.Lot); break;
                case PledgeReceipt p when lotOfReceipt(ReceiptIndex(p.Receipt)) is { } l: lots.Add(l); break;
                case ReceiptAction a when lotOfReceipt(ReceiptIndex(a.Receipt)) is { } l: lots.Add(l); break;
            }
        foreach (var lot in lots)
            if (ReceiptContract.Audit(runtime.State.Get, lot) is { } wrong)
            {
                AuditViolations++;
                if (Findings.Count < 10) Findings.Add($"height {block.Height}: {wrong}");
            }
        return outcomes;
    }

    private static int ReceiptIndex(string id) => id.StartsWith("WR", StringComparison.Ordinal) && int.TryParse(id.AsSpan(2), out var i) ? i : -1;
}
