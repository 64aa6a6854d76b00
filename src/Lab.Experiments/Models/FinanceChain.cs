using Lab.Consensus.Common;
using Lab.Finance.Chain;
using Lab.Ledger.Crypto;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;

namespace Lab.Experiments.Models;

/// <summary>What every finance scenario's model does the same way: the consortium chain its on-chain variant runs on
/// (from <c>chain.*</c> and <c>workload.retry-timeout</c>), the world around its institutions, and its own safety findings.</summary>
public static class FinanceChain
{
    /// <summary>
    /// The chain <c>chain.protocol</c> names, whichever registered chain protocol it is. Transactions come from the
    /// scenario's institutions, not from signing clients: signatures cost CPU time only.
    /// <paramref name="what"/> says in an error what needs a chain (e.g. "atomic-dvp settles").
    /// </summary>
    public static SettlementChain For(RunContext context, string what)
    {
        var model = context.Protocol as IChainModel
                    ?? throw new ArgumentException($"{what} on a chain protocol; '{context.Protocol?.Name}' is not one");
        var configured = ChainConfig.Chain(context);
        var options = configured with { Signing = new TransactionSigning(SignatureMode.Modelled, configured.Signing.Costs) };
        return new SettlementChain(model.Protocol(context), options)
        {
            RetryTimeout = context.Config.Time("workload.retry-timeout"),
            Byzantine = ChainConfig.Byzantine(context.Config),
        };
    }

    /// <summary>The world of a finance scenario: its institutions' nodes and observers, the chain's fault targets
    /// (<c>leader</c> and the like) when there is a chain, and <paramref name="finish"/> after the run.</summary>
    public static World World(IEnumerable<NodeSpec> nodes, IEnumerable<ISimulationObserver> observers, ChainWorld? chain, Action<RunResult> finish)
    {
        var world = new World();
        world.Nodes.AddRange(nodes);
        world.Observers.AddRange(observers);
        foreach (var (word, selector) in chain?.FaultTargets ?? []) world.Targets[word] = selector;
        world.Finish = finish;
        return world;
    }

    /// <summary>A safety violation the scenario found beyond the chain's checkers (conservation, replica states):
    /// <paramref name="count"/> more violations, and one finding that says what happened, at the end of the run.</summary>
    public static void Violation(RunResult run, string text, long count = 1)
    {
        var m = run.Metrics;
        m.Counters[StandardMetrics.SafetyViolations] = m.Counter(StandardMetrics.SafetyViolations) + count;
        m.Findings.Add(new Lab.Sim.Metrics.Finding(run.Stats.FinalTime, StandardMetrics.SafetyFinding, text));
    }
}
