using System.Globalization;

namespace Lab.Experiments.Sizing;

/// <summary>
/// The search for one point's largest sustainable load, by bracketing and bisection, assuming that a
/// higher load never meets a target a lower one misses (monotonicity), and checking that assumption
/// on every probe.
/// <para>A probe's level is how surely its load meets every target (see <see cref="SizingTarget.Judge"/>):
/// 3 surely (the 95% interval is within every bound), 2 by the mean, 1 possibly, 0 not. Three loads are
/// searched at once, one per level: <see cref="SearchOutcome.Sure"/> (the answer: a load passes only if the
/// interval's far end meets the target), <see cref="SearchOutcome.ByMean"/> (the point estimate) and
/// <see cref="SearchOutcome.Possible"/> (beyond it, even the favourable end of the interval fails). Each
/// probe narrows all three; the next probe halves the widest bracket.</para>
/// <para>Bracketing first: from <see cref="SearchOptions.Start"/>, the load is multiplied by the factor
/// until it fails even possibly (or reaches the maximum), and divided until it surely passes (or reaches
/// the minimum). Then bisection, until every bracket is within the tolerance.</para>
/// </summary>
public sealed class LoadSearch(SearchOptions options)
{
    private readonly SortedDictionary<double, int> _probes = [];

    public IReadOnlyDictionary<double, int> Probes => _probes;

    /// <summary>Records a probe's level (0 to 3).</summary>
    public void Record(double load, int level)
    {
        if (level is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(level));
        _probes[load] = level;
    }

    /// <summary>The next load to probe, or null when the search is over.</summary>
    public double? Next()
    {
        if (_probes.Count == 0) return Clamp(options.Start);
        if (_probes.Count >= options.MaxProbes) return null;
        var top = _probes.Keys.Last();
        if (_probes[top] >= 1 && top < options.Max) return Fresh(Clamp(top * options.Factor));
        var bottom = _probes.Keys.First();
        if (_probes[bottom] < 3 && bottom > options.Min) return Fresh(Clamp(bottom / options.Factor));
        (double Lo, double Hi)? widest = null;
        var width = 0.0;
        foreach (var level in Levels)
        {
            var (lo, hi) = Bracket(level);
            if (lo is not { } l || hi is not { } h || Resolved(l, h)) continue;
            var w = (h - l) / l;
            if (w > width) { width = w; widest = (l, h); }
        }
        return widest is { } b ? Between(b.Lo, b.Hi) : null;
    }

    private static readonly int[] Levels = [3, 2, 1];

    private bool Resolved(double lo, double hi) => hi - lo <= options.Tolerance * lo || (options.Integer && hi - lo <= 1);

    /// <summary>For one level: the smallest load that misses it, and the largest load below that which reaches it.</summary>
    private (double? Lo, double? Hi) Bracket(int level)
    {
        double? hi = null;
        foreach (var (load, l) in _probes)
            if (l < level) { hi = load; break; }
        double? lo = null;
        foreach (var (load, l) in _probes)
        {
            if (hi is { } h && load >= h) break;
            if (l >= level) lo = load;
        }
        return (lo, hi);
    }

    public SearchOutcome Outcome()
    {
        var (sureLo, sureHi) = Bracket(3);
        var (meanLo, meanHi) = Bracket(2);
        var (possibleLo, possibleHi) = Bracket(1);
        // Monotonicity: a load that fails by the mean below one that passes by the mean.
        var inversions = new List<(double Fails, double Passes)>();
        foreach (var (a, la) in _probes)
            if (la < 2)
                foreach (var (b, lb) in _probes)
                    if (b > a && lb >= 2) { inversions.Add((a, b)); break; }
        var unresolved = Levels.Any(l => Bracket(l) is ({ } lo, { } hi) && !Resolved(lo, hi));
        return new SearchOutcome(sureLo, meanLo, possibleLo, sureHi, possibleHi,
            AboveMax: sureHi is null && sureLo is not null,
            BelowMin: sureLo is null,
            Inversions: inversions,
            Unresolved: unresolved);
    }

    private double Clamp(double load)
    {
        var x = Math.Clamp(load, options.Min, options.Max);
        return options.Integer ? Math.Clamp(Math.Round(x), Math.Ceiling(options.Min), Math.Floor(options.Max)) : Nice(x);
    }

    /// <summary>A load not probed yet (a clamped step can land on one; then the search moves on to bisection).</summary>
    private double? Fresh(double load) => _probes.ContainsKey(load) ? BisectOrNull() : load;

    private double? BisectOrNull()
    {
        foreach (var level in Levels)
            if (Bracket(level) is ({ } lo, { } hi) && !Resolved(lo, hi)) return Between(lo, hi);
        return null;
    }

    /// <summary>The middle of a bracket, rounded to as few significant digits as keep it strictly inside.</summary>
    private double Between(double lo, double hi)
    {
        var mid = (lo + hi) / 2;
        if (options.Integer)
        {
            var m = Math.Round(mid);
            return m > lo && m < hi ? m : Math.Floor(lo) + 1;
        }
        for (int digits = 2; digits <= 15; digits++)
        {
            var r = Round(mid, digits);
            if (r > lo && r < hi) return r;
        }
        return mid;
    }

    private static double Nice(double x) => Round(x, 4);

    private static double Round(double x, int digits) =>
        double.Parse(x.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>What a point's search found.</summary>
/// <param name="Sure">Largest load that surely met every target (the answer); null when none did.</param>
/// <param name="ByMean">Largest load whose means met every target (the point estimate).</param>
/// <param name="Possible">Largest load that possibly met them (the far end of the answer's interval).</param>
/// <param name="SureFails">Smallest load above <see cref="Sure"/> that did not surely meet them (the knee lies between).</param>
/// <param name="PossibleFails">Smallest load that failed even at the favourable end of the interval.</param>
/// <param name="AboveMax">The maximum load still met every target: the answer is a lower bound.</param>
/// <param name="BelowMin">Not even the minimum load met every target.</param>
/// <param name="Inversions">Pairs of loads where the lower failed and the higher passed (by the mean): the point is not monotone.</param>
/// <param name="Unresolved">The probe budget ran out before every bracket was within the tolerance.</param>
public sealed record SearchOutcome(double? Sure, double? ByMean, double? Possible, double? SureFails, double? PossibleFails,
    bool AboveMax, bool BelowMin, IReadOnlyList<(double Fails, double Passes)> Inversions, bool Unresolved)
{
    public bool Monotone => Inversions.Count == 0;
}
