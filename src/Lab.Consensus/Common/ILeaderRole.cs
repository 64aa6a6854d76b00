namespace Lab.Consensus.Common;

/// <summary>A replica with a notion of leadership (Raft leader, solo orderer, BFT primary), for the
/// availability metric and for faults aimed at "the leader".</summary>
public interface ILeaderRole : IReplica
{
    /// <summary>True while this replica acts as leader.</summary>
    bool IsActingLeader { get; }
    /// <summary>Its term (Raft) or view (BFT); 0 where the protocol has none.</summary>
    long Term { get; }
    /// <summary>Replicas (itself included) a leader must reach to commit anything: a majority for Raft,
    /// 2f+1 for BFT. Default 1 (a solo orderer commits alone).</summary>
    int Quorum => 1;
}
