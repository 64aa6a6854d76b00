namespace Lab.Consensus.Byzantine;

/// <summary>What a Byzantine replica does instead of following the protocol.</summary>
public enum ByzantineBehaviour
{
    /// <summary>Follows the protocol.</summary>
    Honest,
    /// <summary>Sends nothing and ignores everything (crash-like, but counted as Byzantine).</summary>
    Silent,
    /// <summary>As leader/primary: sends conflicting proposals to the two halves of the honest replicas;
    /// with <see cref="ByzantineSpec.Collude"/> it also votes for both (as a backup too).</summary>
    Equivocate,
    /// <summary>Votes for the proposal to half of the replicas and for a conflicting one to the others.</summary>
    DoubleVote,
    /// <summary>Drops (or delays) its proposals and votes with a probability.</summary>
    Withhold,
    /// <summary>Follows the protocol but also sends votes under other replicas' names with invalid signatures.</summary>
    Forge,
    /// <summary>Twins: two honest instances share this replica's identity and key, each in its own
    /// partition half (built as two nodes with one replica id; the partition is a fault).</summary>
    Twin,
    /// <summary>PBFT, as the primary of a new view: lies in its new-view. Alone it drops the newest
    /// prepared request from O (a null request in its place) or makes one up past max-s, which backups
    /// catch by recomputing O from V. With <see cref="ByzantineSpec.Collude"/> the colluders instead hide
    /// their own prepared certificates in their view-changes, join any view change at once, and the new
    /// primary fills V with their view-changes and the least informed honest ones: a new-view nobody can
    /// fault, which beyond f erases committed requests.</summary>
    LieInNewView,
    /// <summary>PBFT: its view-changes claim a prepared certificate for a conflicting batch in the latest
    /// view, with the pre-prepare and prepares of other replicas forged (signed with its own key).</summary>
    ForgeProof,
    /// <summary>HotStuff, as leader: proposes a fork below the committed block, justified by a forged QC
    /// (real votes of another QC relabelled as votes for the fork's parent in the previous view), which
    /// would pass the liveness rule of safeNode if nobody checked the signatures.</summary>
    ForgeQc,
    /// <summary>HotStuff, as leader: proposes a fork that re-uses an old, genuine QC (the one that
    /// justified the last committed block), trying to fork below what honest replicas are locked on.</summary>
    StaleQc,
}

/// <summary>
/// One Byzantine replica. <paramref name="Collude"/>: colluders know each other and split the honest
/// replicas the same way (even rank → variant A, odd rank → variant B), so their equivocations line up.
/// </summary>
/// <param name="WithholdProbability">Withhold: chance each proposal/vote is held back.</param>
/// <param name="WithholdDelay">Withhold: held messages are sent this late instead of dropped (null: dropped).</param>
public sealed record ByzantineSpec(
    int Replica,
    ByzantineBehaviour Behaviour,
    bool Collude = false,
    double WithholdProbability = 0.5,
    Lab.Sim.Time.Duration? WithholdDelay = null);
