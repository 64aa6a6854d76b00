using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Chain;

/// <summary>
/// The seam between settlement and consensus: what the on-chain variant needs from a consortium
/// chain, and nothing more. A chain provides (1) replica nodes that order transactions, apply each
/// committed block to their own state machine and answer the submitting node with
/// <c>Lab.Consensus.Common.ClientReply</c> carrying the outcome; (2) a client-side protocol that a
/// node embeds to submit transactions and learn when each is final under the chain's finality rule.
///
/// Implementations: <see cref="SoloSequencerChain"/> (a single sequencer, the centralised baseline,
/// shipped so the world runs stand-alone); Raft/PBFT/HotStuff adapters are plugged in by the
/// experiment layer (a Raft adapter returns its replicas and a <see cref="ReplyQuorumClient"/> with
/// one matching reply and leader redirects; a BFT adapter one needing f+1 matching replies).
/// </summary>
public interface ISettlementChain
{
    /// <summary>Protocol name for reports, e.g. "solo-sequencer", "raft", "pbft".</summary>
    string Protocol { get; }

    /// <summary>Finality rule in words, for the report ("a majority of 7 replicas replied").</summary>
    string FinalityRule { get; }

    /// <summary>The replica nodes. Each replica builds its own state machine with <paramref name="stateMachine"/>
    /// (again after a restart, then re-applies its committed blocks).</summary>
    IReadOnlyList<NodeSpec> Replicas(Func<IStateMachine> stateMachine);

    /// <summary>A fresh client for one submitting node (built inside the node's behaviour factory).</summary>
    IChainClient NewClient();
}
