using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>A node that submits transactions (load client, institution); the validity checker reads its log.</summary>
public interface ITransactionSource : INodeBehaviour
{
    /// <summary>Null until the node has started.</summary>
    SubmissionLog? Submissions { get; }
}
