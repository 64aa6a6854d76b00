using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Chain;

/// <summary>
/// The node-level contract "submit a transaction, be told when it is final, with its outcome".
/// A node behaviour owns one client and forwards to it the messages and timers it does not
/// recognise; the client returns the transactions that became final.
/// </summary>
public interface IChainClient
{
    void Start(INodeContext ctx);

    /// <summary>Submits; the transaction's id must be unique (<see cref="TxId.For"/> with the node and a sequence number).</summary>
    void Submit(INodeContext ctx, Transaction tx);

    /// <summary>Handles a chain message; false if it is not one. Final transactions are appended to <paramref name="final"/>.</summary>
    bool TryHandle(INodeContext ctx, NodeId from, object message, List<ChainFinality> final);

    /// <summary>Handles a client timer (retries); false if the timer is not the client's.</summary>
    bool TryHandleTimer(INodeContext ctx, object state, List<ChainFinality> final);

    /// <summary>Transactions submitted and not yet final.</summary>
    int InFlight { get; }
}

/// <summary>A transaction became final at <paramref name="Height"/> with <paramref name="Outcome"/>.</summary>
public sealed record ChainFinality(Transaction Tx, long Height, TxOutcome Outcome, SimTime FinalAt)
{
    public Duration Latency => FinalAt - Tx.SubmittedAt;
}
