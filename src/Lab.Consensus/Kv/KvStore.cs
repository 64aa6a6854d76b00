using System.Globalization;
using Lab.Ledger.Blocks;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Kv;

/// <summary>
/// A replicated key-value store: each replica applies committed blocks of <see cref="KvCommand"/>s in order. The
/// answer to an operation travels back to its client as the outcome's text (<see cref="TxOutcome.Reason"/>, as a
/// contract's output does): a get's value, "ok", or "cas failed". Each answer is kept so that a replica asked again
/// about an executed request answers what it answered the first time (Castro-Liskov §4.1 keep the last reply).
/// A transaction whose payload is not a command is accepted and ignored.
/// </summary>
public sealed class KvStore : IStateMachine
{
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<TxId, TxOutcome> _answers = [];

    /// <summary>Answer of a compare-and-set that found another value.</summary>
    public const string CasFailed = "cas failed";
    public const string Ok = "ok";

    /// <summary>The value of <paramref name="key"/> as a get answers it (a replica's local view, for read paths that skip the log).</summary>
    public string Read(string key) => _values.TryGetValue(key, out var v) ? v.ToString(CultureInfo.InvariantCulture) : KvCommand.Nil;

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        var outcomes = new TxOutcome[block.Transactions.Count];
        for (int i = 0; i < outcomes.Length; i++)
        {
            var tx = block.Transactions[i];
            // Executed once: a copy ordered again (at most once, Castro-Liskov §4.1) gets the first answer.
            if (_answers.TryGetValue(tx.Id, out var first)) { outcomes[i] = first; continue; }
            var outcome = tx.Payload switch
            {
                KvGet g => new TxOutcome(true, Read(g.Key)),
                KvPut p => Write(p.Key, p.Value),
                KvCas c => _values.TryGetValue(c.Key, out var v) && v == c.Expected ? Write(c.Key, c.Value) : new TxOutcome(false, CasFailed),
                _ => TxOutcome.Ok,
            };
            if (tx.Payload is KvCommand) _answers[tx.Id] = outcome;
            outcomes[i] = outcome;
        }
        return outcomes;
    }

    private TxOutcome Write(string key, long value)
    {
        _values[key] = value;
        return new TxOutcome(true, Ok);
    }

    public TxOutcome? ResultOf(TxId tx) => _answers.GetValueOrDefault(tx);
}
