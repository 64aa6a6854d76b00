using Lab.Ledger.Blocks;
using Lab.Sim.Nodes;

namespace Lab.Ledger.State;

/// <summary>
/// The replicated application: every replica has its own instance and applies each committed block
/// to it, in height order, deterministically. Volatile: a restarted replica rebuilds it by
/// re-applying its committed log. Contract runtimes (e.g. securities DvP) implement this.
/// </summary>
public interface IStateMachine
{
    /// <summary>Applies a committed block; returns one outcome per transaction, in block order.
    /// May charge CPU on <paramref name="ctx"/> for execution costs.</summary>
    IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx);
}

/// <summary>What executing one transaction did: accepted, or rejected with a reason.</summary>
public sealed record TxOutcome(bool Accepted, string? Reason = null)
{
    public static readonly TxOutcome Ok = new(true);
}

/// <summary>Accepts every transaction: for protocol experiments with opaque load.</summary>
public sealed class NullStateMachine : IStateMachine
{
    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx) =>
        block.Transactions.Count == 0 ? [] : Enumerable.Repeat(TxOutcome.Ok, block.Transactions.Count).ToList();
}
