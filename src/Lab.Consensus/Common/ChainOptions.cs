using Lab.Ledger.Batching;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.State;

namespace Lab.Consensus.Common;

/// <summary>Where replicas check transaction signatures.</summary>
public enum VerifyAt
{
    /// <summary>Only the replica a client submits to (crash-fault protocols trust their leader).</summary>
    Entry,
    /// <summary>Every replica, for every transaction it receives in a block (BFT style).</summary>
    AllReplicas,
}

/// <summary>
/// The protocol-independent part of the <c>chain:</c> section: how many replicas and where, block
/// cutting, signatures and their costs, membership, and the replicated application.
/// </summary>
public sealed record ChainOptions
{
    /// <summary>Number of replicas. Default 5.</summary>
    public int Nodes { get; init; } = 5;

    /// <summary>Region names for replicas, round robin (null: every region of the network in turn).</summary>
    public IReadOnlyList<string>? Placement { get; init; }

    /// <summary>Block cutting: max transactions, max bytes, batch timeout.</summary>
    public BlockOptions Block { get; init; } = new();

    /// <summary>Signature mode and CPU costs. Default modelled, this machine's costs.</summary>
    public TransactionSigning Signing { get; init; } = TransactionSigning.Default;

    /// <summary>Default <see cref="VerifyAt.Entry"/>.</summary>
    public VerifyAt Verify { get; init; } = VerifyAt.Entry;

    /// <summary>Consortium membership (null: an open chain, every node admitted). Real signatures take keys from here.</summary>
    public Consortium? Members { get; init; }

    /// <summary>Builds each replica's own state machine (a fresh one after each restart). Default: accepts everything.</summary>
    public Func<IStateMachine> StateMachine { get; init; } = () => new NullStateMachine();

    /// <summary>Bytes of a client reply on the wire. Default 100.</summary>
    public int ReplyBytes { get; init; } = 100;

    public void Validate()
    {
        if (Nodes < 1) throw new ArgumentException("chain.nodes must be at least 1");
        Block.Validate();
        if (Signing.Mode == SignatureMode.Real && (Signing.Members ?? Members) is null)
            throw new ArgumentException("real signatures need a consortium (chain.members) to hold the keys");
    }

    /// <summary>The signing scheme with the membership filled in.</summary>
    public TransactionSigning EffectiveSigning => Signing.Members is null && Members is not null ? Signing with { Members = Members } : Signing;
}
