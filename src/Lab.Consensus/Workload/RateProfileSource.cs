using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// A non-homogeneous Poisson process by thinning (Lewis and Shedler 1979): candidates at the peak
/// rate, each kept with probability rate(t) / peak.
/// </summary>
internal sealed class RateProfileSource(Func<SimTime, double> rate, double peak) : IArrivalSource
{
    private SimTime _last = SimTime.Zero;

    public Arrival? Next(SimRandom rng)
    {
        if (peak <= 0) return null;
        for (int candidates = 0; candidates < 100_000_000; candidates++)
        {
            _last += Duration.FromSeconds(rng.NextExponential(1 / peak));
            if (rng.NextDouble() * peak < rate(_last)) return new Arrival(_last);
        }
        return null; // the profile is (practically) zero from here on
    }
}
