using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

/// <summary>Small worlds in code: three Chinese cities (or New York, New Jersey, Chicago), a 7-replica chain.</summary>
internal static class TestWorlds
{
    public static NetworkSpec ChinaThreeCities() => new()
    {
        Regions = ["shanghai", "beijing", "shenzhen"],
        // One-way ms: Beijing–Shanghai ≈ 29 ms RTT; Shanghai–Shenzhen ≈ 34 ms RTT; Beijing–Shenzhen ≈ 47 ms RTT (SCENARIOS.md).
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

    /// <summary>A small week: 8 members, 5 securities, 3,000 orders, on the cn or us market.</summary>
    public static SecuritiesOptions Small(SettlementVariant settlement, string market = "cn", int trades = 3000, int members = 8) => new()
    {
        Start = market == "us" ? new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-4)) : new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)),
        Market = market,
        Orders = new MarketOptions { Members = members, Securities = 5, Trades = trades },
        Settlement = settlement,
    };

    public static (SecuritiesWorldSpec World, RunResult Run, SecuritiesResults Results) Run(SecuritiesOptions options, ulong seed, SimTime? end = null, SettlementChain? chain = null,
        IEnumerable<Lab.Sim.Faults.ScheduledFault>? faults = null, TradeTape? tape = null, ExecutionMode mode = ExecutionMode.Sequential)
    {
        var net = ChinaThreeCities();
        var runEnd = end ?? SecuritiesWorld.SuggestedEnd(options with { Settlement = new DeferredNetSettlement { Regime = options.Market == "us" ? Lab.Finance.Securities.Regimes.SettlementRegimes.UsCns() : Lab.Finance.Securities.Regimes.SettlementRegimes.CnChinaClear() } });
        runEnd = SimTime.Max(runEnd, SecuritiesWorld.SuggestedEnd(options));
        var world = SecuritiesWorld.Build(options, net, seed, options.Settlement is OnChainSettlement ? chain ?? SevenReplicas() : null, tape, runEnd);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = runEnd, SeriesBin = Duration.FromMinutes(10), Mode = mode }, net, world.Nodes, faults);
        foreach (var o in world.Observers) sim.AddObserver(o);
        var run = sim.Run();
        return (world, run, world.Derive(run));
    }
}
