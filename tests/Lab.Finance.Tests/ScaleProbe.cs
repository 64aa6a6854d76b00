using Lab.Finance.Securities;
using Lab.Finance.Securities.Regimes;
using Xunit.Abstractions;

namespace Lab.Finance.Tests;

public class ScaleProbe(ITestOutputHelper output)
{
    [Theory]
    [InlineData("us", "us-cns", 20260601UL)]
    [InlineData("us", "us-cns", 5UL)]
    public void Probe(string market, string regime, ulong seed)
    {
        var o = TestWorlds.Small(new DeferredNetSettlement { Regime = SettlementRegimes.Named(regime) }, market, trades: 50000, members: 20) with
        {
            Orders = new MarketOptions { Members = 20, Securities = 50, Trades = 50000, Prices = new Lab.Finance.Securities.Market.PriceModel { InitialPrice = new Lab.Sim.Distributions.LogNormal(3.8, 0.7) } },
        };
        var (w, run, r) = TestWorlds.Run(o, seed);
        foreach (var (k, x) in r.Scalars().Where(kv => !kv.Key.Contains('.'))) output.WriteLine($"{k} = {x:0.####}");
        foreach (var (k, x) in run.Metrics.Counters) output.WriteLine($"counter {k} = {x:0.####}");
        foreach (var f in run.Metrics.Findings.Take(10)) output.WriteLine($"finding {f.Kind}: {f.Text}");
        foreach (var m in w.Setup.Sheet.Members) output.WriteLine($"{m.Index} {m.Type} act {m.Activity:0.###} cash {w.Setup.Sheet.Cash[m.Index] / 100.0:0} line {w.Setup.Sheet.CreditLine[m.Index] / 100.0:0} committed {r.LiquidityCommitted[m.Index]:0}");
    }
}
