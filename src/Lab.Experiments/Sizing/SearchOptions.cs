namespace Lab.Experiments.Sizing;

/// <summary>How <see cref="LoadSearch"/> looks for the largest load that meets the targets.</summary>
/// <param name="Start">First load probed (the file's own load unless <c>--from</c> says otherwise).</param>
/// <param name="Min">Smallest load probed: when even this fails, the point has no answer.</param>
/// <param name="Max">Largest load probed: when even this passes, the answer is "at least Max".</param>
/// <param name="Tolerance">Bisection stops when the bracket's width is at most this share of its lower end.</param>
/// <param name="Factor">Bracketing steps up or down by this factor until the load passes and fails.</param>
/// <param name="Integer">The load is a whole number (e.g. clients or a closed-loop window): bisection also stops at width 1.</param>
/// <param name="MaxProbes">Probes per point at most (a safety net; a well-behaved point needs far fewer).</param>
public sealed record SearchOptions(double Start, double Min, double Max, double Tolerance = 0.05, double Factor = 2, bool Integer = false, int MaxProbes = 40)
{
    public void Validate()
    {
        if (!(Min > 0) || !(Max >= Min) || double.IsInfinity(Max)) throw new ArgumentException("the load range needs 0 < min ≤ max");
        if (!(Tolerance > 0) || Tolerance >= 1) throw new ArgumentException("the tolerance is a share between 0 and 1 (e.g. 0.05)");
        if (!(Factor > 1)) throw new ArgumentException("the bracketing factor must be above 1");
    }
}
