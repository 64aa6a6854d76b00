using Lab.Sim.Distributions;
using Lab.Sim.Randomness;

namespace Lab.Experiments.Values;

/// <summary>
/// An unbounded distribution whose draws above <paramref name="Cap"/> are replaced by <paramref name="Cap"/>:
/// the largest value its key allows. Validation only caps distributions that exceed the cap less than
/// once in a million draws (see <see cref="DistributionParser"/>), so the shape is kept where it matters
/// and no draw can overflow the kernel's 64-bit nanoseconds. Draws consume the random stream exactly
/// as the inner distribution does.
/// </summary>
public sealed record CappedDistribution(Distribution Inner, double Cap) : Distribution
{
    public override double Sample(SimRandom rng) => Math.Min(Inner.Sample(rng), Cap);
    public override double Minimum => Math.Min(Inner.Minimum, Cap);
    /// <summary>The inner distribution's mean; the cap moves it by less than the one-in-a-million tail beyond it, which is not computed.</summary>
    public override double Mean => Math.Min(Inner.Mean, Cap);
    public override double Cdf(double x) => x >= Cap ? 1 : Inner.Cdf(x);
    public override string ToString() => $"{Inner} capped at {Cap:R}";
}
