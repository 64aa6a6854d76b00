using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// Poisson arrivals at <paramref name="BaseRate"/>, rising to <paramref name="BurstRate"/> for
/// <paramref name="BurstLength"/> at the start of every <paramref name="BurstEvery"/> (e.g. order
/// bursts at a market open or a news event). Rates are totals over all clients.
/// </summary>
public sealed record BurstyArrivals(double BaseRate, double BurstRate, Duration BurstEvery, Duration BurstLength) : ArrivalProcess
{
    public override double MeanRatePerSecond =>
        (BurstRate * BurstLength.TotalSeconds + BaseRate * (BurstEvery - BurstLength).TotalSeconds) / BurstEvery.TotalSeconds;

    public override IArrivalSource CreateSource(int client, int clients) =>
        new RateProfileSource(t =>
        {
            var phase = t.Nanos % BurstEvery.Nanos;
            return (phase < BurstLength.Nanos ? BurstRate : BaseRate) / clients;
        }, Math.Max(BaseRate, BurstRate) / clients);
}
