using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>Independent arrivals at <paramref name="RatePerSecond"/> in total: exponential gaps.</summary>
public sealed record PoissonArrivals(double RatePerSecond) : ArrivalProcess
{
    public override double MeanRatePerSecond => RatePerSecond;

    public override IArrivalSource CreateSource(int client, int clients) => new Source(RatePerSecond / clients);

    private sealed class Source(double rate) : IArrivalSource
    {
        private SimTime _last = SimTime.Zero;

        public Arrival? Next(SimRandom rng)
        {
            if (rate <= 0) return null;
            _last += Duration.FromSeconds(rng.NextExponential(1 / rate));
            return new Arrival(_last);
        }
    }
}
