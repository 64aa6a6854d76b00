using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>A client asks a replica to order a transaction.</summary>
public sealed record ClientRequest(Transaction Tx);

/// <summary>
/// A replica tells a client its transaction is committed at <paramref name="Height"/> (or, when
/// <paramref name="Committed"/> is false, that it is not the leader and who might be).
/// Clients apply their protocol's finality rule: Raft one reply from the leader, BFT f+1 matching.
/// <paramref name="Outcome"/> is what the state machine did with it (accepted or rejected, and why).
/// <paramref name="Confirmations"/>: for chains that report depth (proof of work), blocks on top of
/// the transaction's block, itself included; null where commitment is final at once.
/// </summary>
public sealed record ClientReply(TxId Tx, long Height, bool Committed, NodeId? LeaderHint = null, TxOutcome? Outcome = null, int? Confirmations = null);

/// <summary>
/// Several replies to one client in one message: a leader answering for a whole committed block at
/// once (one network message instead of one per transaction). Clients treat it as its replies in order.
/// </summary>
public sealed record ClientReplies(IReadOnlyList<ClientReply> Replies);
