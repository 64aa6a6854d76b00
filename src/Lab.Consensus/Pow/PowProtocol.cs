using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Pow;

/// <summary>
/// <c>protocol: pow</c> as a chain runs it: every replica is a full node and, with a hash share, a
/// miner (<see cref="PowNode"/>; node 0 is the attacker when <see cref="PowOptions.Attack"/> is set);
/// a client submits to one node, its gateway, and calls a transaction final when the gateway reports
/// it k blocks deep (<see cref="FinalityRule.Confirmations"/>). Proof of work claims no fault tolerance
/// in the n ≥ f sense (its safety is probabilistic and rests on an honest majority of hash power); it
/// has no leader to target with faults and elects none (<c>leader_elections</c> is 0). Its run
/// machinery (<see cref="PowRun"/>: layout, transaction pool, safety view, metrics) comes from
/// <see cref="Prepare"/>, which must be called before <see cref="Replicas"/>, once per run.
/// </summary>
public sealed class PowProtocol(PowOptions options) : ChainProtocol
{
    private PowRun? _run;

    public PowOptions Options => options;
    public override string Name => "pow";
    public override FaultTolerance Tolerance => FaultTolerance.None;
    public override IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets => [];
    public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.Confirmations(options.ConfirmationDepth);

    /// <summary>The run prepared last (null before <see cref="Prepare"/>).</summary>
    public PowRun? Run => _run;

    public override ProtocolRun Prepare(ChainSite site) => _run = new PowRun(PowLayout.Build(options, site), site);

    public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine)
    {
        var setup = (_run ?? throw new InvalidOperationException("pow: Prepare lays the network out before the replicas are built")).Setup;
        return r => (r, options.Attack) switch
        {
            (0, SelfishMiningAttack) => new SelfishMiner(setup, r),
            (0, DoubleSpendAttack) => new DoubleSpender(setup, r),
            _ => new PowNode(setup, r),
        };
    }
}
