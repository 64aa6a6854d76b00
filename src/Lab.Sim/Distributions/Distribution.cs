using System.Globalization;
using Lab.Sim.Randomness;
using MD = MathNet.Numerics.Distributions;

namespace Lab.Sim.Distributions;

/// <summary>
/// A real-valued distribution drawn from a <see cref="SimRandom"/>. Time distributions are in
/// seconds. <see cref="Minimum"/> is the lower end of the support: the network uses it to know the
/// smallest latency it can produce (the kernel's lookahead).
/// </summary>
public abstract record Distribution
{
    public abstract double Sample(SimRandom rng);
    public abstract double Minimum { get; }
    public abstract double Mean { get; }
    /// <summary>P(X ≤ x), for goodness-of-fit tests.</summary>
    public abstract double Cdf(double x);

    protected static string F(double v) => v.ToString("0.#########", CultureInfo.InvariantCulture);
}

public sealed record Constant(double Value) : Distribution
{
    public override double Sample(SimRandom rng) => Value;
    public override double Minimum => Value;
    public override double Mean => Value;
    public override double Cdf(double x) => x >= Value ? 1 : 0;
    public override string ToString() => $"constant({F(Value)})";
}

public sealed record Uniform(double Low, double High) : Distribution
{
    public override double Sample(SimRandom rng) => Low + (High - Low) * rng.NextDouble();
    public override double Minimum => Low;
    public override double Mean => (Low + High) / 2;
    public override double Cdf(double x) => x <= Low ? 0 : x >= High ? 1 : (x - Low) / (High - Low);
    public override string ToString() => $"uniform({F(Low)}, {F(High)})";
}

/// <summary>Normal truncated at zero: negative draws are redrawn (a delay is never negative).</summary>
public sealed record TruncatedNormal(double Mu, double Sigma) : Distribution
{
    public override double Sample(SimRandom rng)
    {
        if (Sigma == 0) return Math.Max(0, Mu);
        while (true)
        {
            var x = MD.Normal.Sample(rng, Mu, Sigma);
            if (x >= 0) return x;
        }
    }
    public override double Minimum => Sigma == 0 ? Math.Max(0, Mu) : 0;
    public override double Mean => Mu + Sigma * Phi(-Mu / Sigma) / (1 - MD.Normal.CDF(0, 1, -Mu / Sigma));
    public override double Cdf(double x)
    {
        if (x < 0) return 0;
        var z0 = MD.Normal.CDF(Mu, Sigma, 0);
        return (MD.Normal.CDF(Mu, Sigma, x) - z0) / (1 - z0);
    }
    private static double Phi(double z) => Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
    public override string ToString() => $"normal(mu: {F(Mu)}, sigma: {F(Sigma)})";
}

public sealed record LogNormal(double Mu, double Sigma) : Distribution
{
    public override double Sample(SimRandom rng) => MD.LogNormal.Sample(rng, Mu, Sigma);
    public override double Minimum => 0;
    public override double Mean => Math.Exp(Mu + Sigma * Sigma / 2);
    public override double Cdf(double x) => x <= 0 ? 0 : MD.LogNormal.CDF(Mu, Sigma, x);
    public override string ToString() => $"lognormal(mu: {F(Mu)}, sigma: {F(Sigma)})";
}

public sealed record Exponential(double MeanValue) : Distribution
{
    public override double Sample(SimRandom rng) => rng.NextExponential(MeanValue);
    public override double Minimum => 0;
    public override double Mean => MeanValue;
    public override double Cdf(double x) => x <= 0 ? 0 : 1 - Math.Exp(-x / MeanValue);
    public override string ToString() => $"exponential(mean: {F(MeanValue)})";
}

public sealed record Pareto(double Scale, double Shape) : Distribution
{
    public override double Sample(SimRandom rng) => MD.Pareto.Sample(rng, Scale, Shape);
    public override double Minimum => Scale;
    public override double Mean => Shape > 1 ? Shape * Scale / (Shape - 1) : double.PositiveInfinity;
    public override double Cdf(double x) => x < Scale ? 0 : 1 - Math.Pow(Scale / x, Shape);
    public override string ToString() => $"pareto(scale: {F(Scale)}, shape: {F(Shape)})";
}

public sealed record GammaDist(double Shape, double Scale) : Distribution
{
    public override double Sample(SimRandom rng) => MD.Gamma.Sample(rng, Shape, 1 / Scale);
    public override double Minimum => 0;
    public override double Mean => Shape * Scale;
    public override double Cdf(double x) => x <= 0 ? 0 : MD.Gamma.CDF(Shape, 1 / Scale, x);
    public override string ToString() => $"gamma(shape: {F(Shape)}, scale: {F(Scale)})";
}

/// <summary>An empirical CDF from a table of (value, cumulative probability), sampled by inverse
/// transform with linear interpolation between points. Values must rise; the last probability is 1.</summary>
public sealed record Empirical : Distribution
{
    public IReadOnlyList<(double Value, double Probability)> Points { get; }
    public string Source { get; }

    public Empirical(IReadOnlyList<(double Value, double Probability)> points, string source = "table")
    {
        if (points.Count < 2) throw new ArgumentException("an empirical distribution needs at least two points");
        for (int i = 1; i < points.Count; i++)
            if (points[i].Value < points[i - 1].Value || points[i].Probability < points[i - 1].Probability)
                throw new ArgumentException($"empirical CDF must be non-decreasing (point {i + 1})");
        if (Math.Abs(points[^1].Probability - 1) > 1e-9) throw new ArgumentException("empirical CDF must end at probability 1");
        Points = points;
        Source = source;
    }

    public override double Sample(SimRandom rng)
    {
        var u = rng.NextDouble();
        if (u <= Points[0].Probability) return Points[0].Value;
        for (int i = 1; i < Points.Count; i++)
        {
            var (v1, p1) = Points[i];
            if (u > p1) continue;
            var (v0, p0) = Points[i - 1];
            return p1 == p0 ? v1 : v0 + (v1 - v0) * (u - p0) / (p1 - p0);
        }
        return Points[^1].Value;
    }

    public override double Minimum => Points[0].Value;
    public override double Mean
    {
        get
        {
            double m = Points[0].Value * Points[0].Probability;
            for (int i = 1; i < Points.Count; i++)
                m += (Points[i].Probability - Points[i - 1].Probability) * (Points[i].Value + Points[i - 1].Value) / 2;
            return m;
        }
    }
    public override double Cdf(double x)
    {
        if (x < Points[0].Value) return 0;
        for (int i = 1; i < Points.Count; i++)
        {
            var (v1, p1) = Points[i];
            if (x > v1) continue;
            var (v0, p0) = Points[i - 1];
            return v1 == v0 ? p1 : p0 + (p1 - p0) * (x - v0) / (v1 - v0);
        }
        return 1;
    }
    public override string ToString() => $"empirical({Source})";
}
