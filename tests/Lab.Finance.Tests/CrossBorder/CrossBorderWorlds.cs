using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.CrossBorder;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.CrossBorder;

/// <summary>The five institutions of scenarios/finance/cross-border.yaml in code, on a small network.</summary>
internal static class CrossBorderWorlds
{
    public static readonly string[] Regions = ["shanghai", "hong-kong", "bangkok", "abu-dhabi", "frankfurt"];

    // Round trips, ms (SCENARIOS.md: Shanghai–Hong Kong 34, Hong Kong–Frankfurt 189; the others 2.1 × great-circle distance / 100 km).
    private static readonly double[,] Rtt =
    {
        { 1, 34, 61, 134, 187 },
        { 34, 1, 36, 126, 189 },
        { 61, 36, 1, 103, 187 },
        { 134, 126, 103, 1, 101 },
        { 187, 189, 187, 101, 1 },
    };

    public static NetworkSpec Network() => new()
    {
        Regions = Regions,
        BaseLatency = [.. Enumerable.Range(0, 5).Select(i => (Duration[])[.. Enumerable.Range(0, 5).Select(j => Duration.FromMillis(Rtt[i, j] / 2))])],
    };

    public static IReadOnlyList<BankSpec> Banks() =>
    [
        new("bank-shanghai", "shanghai", TimeZoneRule.Parse("Asia/Shanghai"), "CNY", new(8, 30), new(20, 0), new(20, 0)),
        new("bank-hong-kong", "hong-kong", TimeZoneRule.Parse("Asia/Hong_Kong"), "HKD", new(8, 30), new(23, 30), new(23, 30)),
        new("bank-bangkok", "bangkok", TimeZoneRule.Parse("Asia/Bangkok"), "THB", new(8, 30), new(22, 30), new(22, 30)),
        new("bank-abu-dhabi", "abu-dhabi", TimeZoneRule.Parse("Asia/Dubai"), "AED", new(7, 30), new(22, 0), new(22, 0)),
        new("bank-frankfurt", "frankfurt", TimeZoneRule.Parse("Europe/Berlin"), "EUR", new(7, 0), new(17, 0), new(18, 0)),
    ];

    public static CrossBorderOptions Options(CrossBorderVariant variant, int payments = 1000) => new()
    {
        Start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)),
        Banks = Banks(),
        Payments = new PaymentOptions { Count = payments },
        Variant = variant,
    };

    public static SettlementChain FourReplicas() => new(new PbftProtocol(new PbftOptions()), new ChainOptions
    {
        Nodes = 4,
        Placement = ["hong-kong", "shanghai", "abu-dhabi", "bangkok"],
    });

    public static (CrossBorderWorldSpec World, RunResult Run, CrossBorderResults Results) Run(CrossBorderOptions options, ulong seed, PaymentBook? book = null, SettlementChain? chain = null, SimTime? end = null)
    {
        var net = Network();
        end ??= CrossBorderWorld.SuggestedEnd(options);
        var world = CrossBorderWorld.Build(options, net, seed, options.Variant == CrossBorderVariant.Ledger ? chain ?? FourReplicas() : null, book);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = end.Value, SeriesBin = Duration.FromMinutes(10) }, net, world.Nodes);
        foreach (var o in world.Observers) sim.AddObserver(o);
        var run = sim.Run();
        return (world, run, world.Derive(run));
    }
}
