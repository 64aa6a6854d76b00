using System.Diagnostics;
using Lab.Finance.Securities;
using Xunit.Abstractions;

namespace Lab.Finance.Tests;

public class DemoWorldTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_teaching_week_runs_both_variants_on_the_same_trades_and_on_chain_settles_faster()
    {
        var wall = Stopwatch.StartNew();
        var t1 = TestWorlds.Run(new SecuritiesOptions(), 20260601);
        var t1Wall = wall.Elapsed;
        var chain = TestWorlds.Run(new SecuritiesOptions { Settlement = new OnChainSettlement() }, 20260601);
        var total = wall.Elapsed;
        output.WriteLine($"T+1 wall {t1Wall.TotalSeconds:0.00} s, on-chain wall {(total - t1Wall).TotalSeconds:0.00} s, total {total.TotalSeconds:0.00} s; events {t1.Run.Stats.EventsProcessed} + {chain.Run.Stats.EventsProcessed}");
        foreach (var r in new[] { t1.Results, chain.Results })
            foreach (var (k, v) in r.Scalars().Where(kv => !kv.Key.Contains('.')))
                output.WriteLine($"{r.Variant} {k} = {v:0.####}");
        output.WriteLine(SettlementHeadline.Compose(t1.Results, chain.Results));
        Assert.True(chain.Results.SettlementTimeP50S < t1.Results.SettlementTimeP50S);
        Assert.Equal(0, chain.Results.ConservationViolations);
        Assert.True(chain.Results.ReplicasAgree);
        Assert.Equal(t1.World.Tape.Trades, chain.World.Tape.Trades);
        // Wall time is printed, not asserted (no timing assertions): see the report for the measured figures.
    }
}
