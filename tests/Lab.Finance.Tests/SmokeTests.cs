using Lab.Finance.Securities;
using Lab.Finance.Securities.Regimes;
using Xunit.Abstractions;

namespace Lab.Finance.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("cn", "cn-chinaclear")]
    [InlineData("us", "us-cns")]
    [InlineData("us", "chain")]
    [InlineData("cn", "chain")]
    public void Smoke(string market, string regime)
    {
        SettlementVariant v = regime == "chain" ? new OnChainSettlement() : new DeferredNetSettlement { Regime = SettlementRegimes.Named(regime) };
        var (_, run, r) = TestWorlds.Run(TestWorlds.Small(v, market), 7);
        foreach (var (k, x) in r.Scalars().Where(kv => !kv.Key.Contains('.'))) output.WriteLine($"{k} = {x:0.####}");
        foreach (var (k, x) in run.Metrics.Counters) output.WriteLine($"counter {k} = {x:0.####}");
        foreach (var f in run.Metrics.Findings.Take(10)) output.WriteLine($"finding {f.Kind}: {f.Text}");
        Assert.True(r.Executed > 0);
    }
}
