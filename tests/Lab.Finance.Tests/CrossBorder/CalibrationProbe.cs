using Lab.Finance.CrossBorder;
using Xunit.Abstractions;

namespace Lab.Finance.Tests.CrossBorder;

public class CalibrationProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        foreach (var v in new[] { CrossBorderVariant.Correspondent, CrossBorderVariant.Ledger })
        {
            var (_, run, r) = CrossBorderWorlds.Run(CrossBorderWorlds.Options(v, 2000), 1);
            output.WriteLine($"{v}: {r}");
            foreach (var (k, x) in run.Metrics.Scalars) if (k.StartsWith("payment") || k.StartsWith("nostro") || k.StartsWith("valid")) output.WriteLine($"  {k} = {x}");
            var w = CrossBorderWorld.Build(CrossBorderWorlds.Options(v, 2000), CrossBorderWorlds.Network(), 1, v == CrossBorderVariant.Ledger ? CrossBorderWorlds.FourReplicas() : null);
            foreach (var g in w.Book.Payments.GroupBy(p => p.Sender)) output.WriteLine($"  sender {g.Key}: {g.Count()}");
            foreach (var (k, x) in run.Metrics.Counters) output.WriteLine($"  c {k} = {x}");
            var (ww, _, _) = CrossBorderWorlds.Run(CrossBorderWorlds.Options(v, 2000), 1);
            var slow = ww.Book.Payments.Where(p => ww.Log.Records[p.Index].ReleasedNs is { } rel && (ww.Log.Records[p.Index].ReceivingBankNs ?? long.MaxValue) - rel > 3_600_000_000_000L).ToList();
            output.WriteLine($"  slow {slow.Count}, with review {slow.Count(p => p.Hops.Take(p.ReceiverHop).Any(h => h.ManualReviewS > 0))}");
            foreach (var g in slow.GroupBy(p => (p.Sender, p.Intermediaries[0])).OrderByDescending(g => g.Count()).Take(8)) output.WriteLine($"    {g.Key}: {g.Count()} of {ww.Book.Payments.Count(p => p.Sender == g.Key.Sender && p.Intermediaries[0] == g.Key.Item2)}");
            var s = run.Metrics.Samples[CrossBorderMetrics.ToBeneficiary].Order().ToArray();
            if (s.Length > 0) output.WriteLine($"  ben p50 {s[s.Length / 2]} p90 {s[s.Length * 9 / 10]} p99 {s[s.Length * 99 / 100]}");
        }
    }
}
