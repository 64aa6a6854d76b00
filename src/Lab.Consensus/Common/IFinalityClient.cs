using Lab.Consensus.Workload;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>A node that submits transactions and waits for their finality through a <see cref="FinalityTracker"/>
/// (a load client), so a liveness check can ask it what is still unfinished.</summary>
public interface IFinalityClient : INodeBehaviour
{
    FinalityTracker Tracker { get; }
}
