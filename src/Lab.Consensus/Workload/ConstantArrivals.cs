using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>Evenly spaced arrivals at <paramref name="RatePerSecond"/> in total; clients are staggered
/// so their union is evenly spaced too.</summary>
public sealed record ConstantArrivals(double RatePerSecond) : ArrivalProcess
{
    public override double MeanRatePerSecond => RatePerSecond;

    public override IArrivalSource CreateSource(int client, int clients) => new Source(RatePerSecond / clients, (double)client / clients);

    private sealed class Source(double rate, double phase) : IArrivalSource
    {
        private long _n;

        public Arrival? Next(SimRandom rng)
        {
            if (rate <= 0) return null;
            // Computed from the count, not accumulated, so rounding never drifts.
            return new Arrival(SimTime.Zero + Duration.FromSeconds((phase + _n++) / rate));
        }
    }
}
