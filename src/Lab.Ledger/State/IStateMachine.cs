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

    /// <summary>What applying <paramref name="tx"/> answered, if this state machine keeps answers (a key-value
    /// store's read result), so that a replica asked again about an executed transaction can repeat it; null
    /// otherwise (the replica then answers as before: accepted, or rejected if it knows so).</summary>
    TxOutcome? ResultOf(Lab.Ledger.Transactions.TxId tx) => null;
}

/// <summary>What executing one transaction did: accepted, or rejected with a reason.</summary>
public sealed record TxOutcome(bool Accepted, string? Reason = null)
{
    public static readonly TxOutcome Ok = new(true);
}

/// <summary>Accepts every transaction: for protocol experiments with opaque load.</summary>
public sealed class NullStateMachine : IStateMachine
{
    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx) => new AllAccepted(block.Transactions.Count);

    /// <summary>n times <see cref="TxOutcome.Ok"/> without a list per block on every replica.</summary>
    private sealed class AllAccepted(int count) : IReadOnlyList<TxOutcome>
    {
        public int Count => count;
        public TxOutcome this[int index] => (uint)index < (uint)count ? TxOutcome.Ok : throw new ArgumentOutOfRangeException(nameof(index));
        public IEnumerator<TxOutcome> GetEnumerator() { for (int i = 0; i < count; i++) yield return TxOutcome.Ok; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
