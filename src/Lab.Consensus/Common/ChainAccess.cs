using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Common;

/// <summary>
/// What a node needs to submit transactions to a chain and learn when they are final: the replicas,
/// the protocol's finality rule and the signing scheme. <see cref="ChainWorld"/> hands it to the extra
/// nodes it hosts (institutions), which build their client with <see cref="NewTracker"/>.
/// </summary>
public sealed record ChainAccess(ReplicaSet Replicas, FinalityRule Finality, TransactionSigning Signing)
{
    /// <summary>A fresh client for one submitting node (build it inside the node's behaviour factory).</summary>
    /// <param name="untilFinal">Never give up on a transaction (a settlement agent resends an instruction until it is
    /// final, however long the chain is down), instead of abandoning it after <see cref="FinalityRule.MaxAttempts"/>.</param>
    public FinalityTracker NewTracker(bool untilFinal = false) =>
        new(untilFinal ? Finality with { MaxAttempts = int.MaxValue } : Finality, Replicas, Signing);
}
