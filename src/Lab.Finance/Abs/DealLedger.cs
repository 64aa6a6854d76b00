using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Abs;

/// <summary>
/// A party's replica of the deal: the contract runtime (which checks unit conservation after every block — no unit
/// created except by the trustee) plus, after every block, the deal's cash identity (cash in since closing = paid out
/// + reserve change) and <see cref="Waterfall.Check"/> on each period the block closed. It records when this replica
/// first applied each loan-event batch and each period's close: when this party's node saw them.
/// </summary>
public sealed class DealLedger(ContractRuntime runtime) : IStateMachine
{
    public ContractRuntime Runtime => runtime;
    public SortedDictionary<int, long> BatchSeenNs { get; } = [];
    public SortedDictionary<int, long> CloseSeenNs { get; } = [];
    public long AuditViolations { get; private set; }
    public List<string> Findings { get; } = [];

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        var outcomes = runtime.Apply(block, ctx);
        var closed = new List<int>();
        for (int i = 0; i < block.Transactions.Count; i++)
        {
            if (!outcomes[i].Accepted) continue;
            switch ((block.Transactions[i].Payload as ContractCall)?.Arguments)
            {
                case LoanEventBatch b: BatchSeenNs.TryAdd(b.Batch, ctx.Now.Nanos); break;
                case ClosePeriod c: CloseSeenNs.TryAdd(c.Period, ctx.Now.Nanos); closed.Add(c.Period); break;
            }
        }
        if (runtime.State.Get(DealContract.DealKey) is DealState deal && !deal.Balances)
            Violation($"height {block.Height}: cash in {deal.CashIn} ≠ paid out {deal.PaidOut} + reserve change {deal.Notes.Reserve - deal.InitialReserve}");
        foreach (var k in closed)
            if (runtime.State.Get(DealContract.WaterfallKey(k)) is WaterfallResult r && Waterfall.Check(r) is { } wrong)
                Violation($"height {block.Height}: {wrong}");
        return outcomes;
    }

    private void Violation(string text)
    {
        AuditViolations++;
        if (Findings.Count < 10) Findings.Add(text);
    }
}
