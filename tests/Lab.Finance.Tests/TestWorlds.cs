using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

/// <summary>The teaching demo's world in code: three Chinese cities, a 7-replica chain, the cn calendar.</summary>
internal static class TestWorlds
{
    public static NetworkSpec ChinaThreeCities() => new()
    {
        Regions = ["shanghai", "beijing", "shenzhen"],
        // One-way ms: Beijing–Shanghai ≈ 29 ms RTT; Shanghai–Shenzhen ≈ Shanghai–Hong Kong 34 ms RTT; Beijing–Shenzhen ≈ 47 ms RTT (SCENARIOS.md).
        BaseLatency =
        [
            [Duration.FromMillis(0.5), Duration.FromMillis(14.5), Duration.FromMillis(17)],
            [Duration.FromMillis(14.5), Duration.FromMillis(0.5), Duration.FromMillis(23.5)],
            [Duration.FromMillis(17), Duration.FromMillis(23.5), Duration.FromMillis(0.5)],
        ],
    };

    /// <summary>Seven PBFT replicas (f = 2) where the teaching demo's consortium members sit: exchange, CCP and bank
    /// in Shanghai, CSD and regulator in Beijing, Shenzhen's exchange and a broker in Shenzhen.</summary>
    public static SettlementChain SevenReplicas(ChainProtocol? protocol = null) => new(protocol ?? new PbftProtocol(new PbftOptions()), new ChainOptions
    {
        Nodes = 7,
        Placement = ["shanghai", "shanghai", "beijing", "beijing", "shanghai", "shenzhen", "shenzhen"],
    });

    public static (SecuritiesWorldSpec World, RunResult Run, SecuritiesResults Results) Run(SecuritiesOptions options, ulong seed, SimTime? end = null, SettlementChain? chain = null,
        IEnumerable<Lab.Sim.Faults.ScheduledFault>? faults = null, TradeTape? tape = null, ExecutionMode mode = ExecutionMode.Sequential)
    {
        var calendar = BusinessCalendars.China2026();
        var net = ChinaThreeCities();
        var world = SecuritiesWorld.Build(options, calendar, net, seed, options.Settlement is OnChainSettlement ? chain ?? SevenReplicas() : null, tape);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = end ?? world.SuggestedEnd, SeriesBin = Duration.FromMinutes(10), Mode = mode }, net, world.Nodes, faults);
        foreach (var o in world.Observers) sim.AddObserver(o);
        var run = sim.Run();
        return (world, run, world.Derive(run));
    }
}
