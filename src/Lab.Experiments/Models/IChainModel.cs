using Lab.Consensus.Common;

namespace Lab.Experiments.Models;

/// <summary>
/// A protocol model whose protocol runs through the shared chain contract (<see cref="ChainProtocol"/>):
/// a plain experiment runs it with load clients, and a scenario (<c>scenario.kind: securities</c>)
/// runs its institutions on it, whichever protocol it is.
/// </summary>
public interface IChainModel : IModel
{
    /// <summary>The protocol with this run's options (and, where it needs them, keys from the run's seed).</summary>
    ChainProtocol Protocol(RunContext context);
}
