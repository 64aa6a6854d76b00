using System.Diagnostics;
using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Sim.Kernel;
using Lab.Sim.Time;
using Xunit.Abstractions;

namespace Lab.Finance.Tests;

public class ProfileTmp(ITestOutputHelper output)
{
    [Fact]
    public void Profile()
    {
        var sw = Stopwatch.StartNew();
        var options = new SecuritiesOptions { Settlement = new OnChainSettlement() };
        var net = TestWorlds.ChinaThreeCities();
        var world = SecuritiesWorld.Build(options, BusinessCalendars.China2026(), net, 1, TestWorlds.SevenReplicas());
        output.WriteLine($"build {sw.Elapsed.TotalSeconds:0.00}");
        var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = world.SuggestedEnd, SeriesBin = Duration.FromMinutes(10) }, net, world.Nodes);
        foreach (var o in world.Observers) sim.AddObserver(o);
        output.WriteLine($"sim ctor {sw.Elapsed.TotalSeconds:0.00}");
        var run = sim.Run();
        output.WriteLine($"run {sw.Elapsed.TotalSeconds:0.00} windows {run.Stats.Windows} events {run.Stats.EventsProcessed}");
        world.Derive(run);
        output.WriteLine($"derive {sw.Elapsed.TotalSeconds:0.00}");
    }
}
