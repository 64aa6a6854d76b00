using System.Globalization;
using ScottPlot;

namespace Lab.Reports.Charts;

/// <summary>Time axes: a linear axis in a readable unit, and a log axis labelled 1 s, 1 min, 1 h, 1 d.</summary>
public static class TimeAxis
{
    /// <summary>The unit a linear time axis up to <paramref name="maxSeconds"/> reads best in.</summary>
    public static (double SecondsPerUnit, string Unit) LinearUnit(double maxSeconds) => maxSeconds switch
    {
        >= 2 * 86_400 => (86_400, "d"),
        >= 2 * 3_600 => (3_600, "h"),
        >= 2 * 60 => (60, "min"),
        >= 2 => (1, "s"),
        _ => (0.001, "ms"),
    };

    private static readonly (double Seconds, string Label)[] LogTicks =
    [
        (1e-6, "1 µs"), (1e-5, "10 µs"), (1e-4, "100 µs"), (1e-3, "1 ms"), (1e-2, "10 ms"), (0.1, "100 ms"),
        (1, "1 s"), (10, "10 s"), (60, "1 min"), (600, "10 min"), (3_600, "1 h"), (6 * 3_600, "6 h"),
        (86_400, "1 d"), (7 * 86_400, "1 w"), (30 * 86_400, "30 d"), (365 * 86_400, "1 y"),
    ];

    /// <summary>
    /// Makes <paramref name="axis"/> a log time axis for data plotted as log10(seconds) spanning
    /// [<paramref name="minSeconds"/>, <paramref name="maxSeconds"/>]: ticks at round times with their
    /// names, at least one decade wide so a narrow distribution still shows its scale.
    /// </summary>
    public static void ApplyLog(Plot plot, IAxis axis, double minSeconds, double maxSeconds)
    {
        var lo = Math.Log10(Math.Max(minSeconds, 1e-7));
        var hi = Math.Log10(Math.Max(maxSeconds, minSeconds * 10));
        lo -= 0.15;
        hi += 0.15;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (seconds, label) in LogTicks)
        {
            var x = Math.Log10(seconds);
            if (x >= lo && x <= hi) ticks.AddMajor(x, label);
        }
        // Minor ticks at 2..9 × each decade: what makes a log axis read as one.
        for (var decade = Math.Floor(lo); decade <= hi; decade++)
            for (int k = 2; k <= 9; k++)
            {
                var x = decade + Math.Log10(k);
                if (x >= lo && x <= hi) ticks.AddMinor(x);
            }
        axis.TickGenerator = ticks;
        axis.Min = lo;
        axis.Max = hi;
    }

    /// <summary>"1.5 s", "320 ms", "2.1 h": a duration as a person would say it (3 significant digits).</summary>
    public static string Humanise(double seconds)
    {
        if (!double.IsFinite(seconds)) return "–";
        var abs = Math.Abs(seconds);
        (double div, string unit) = abs switch
        {
            >= 86_400 => (86_400d, "d"),
            >= 3_600 => (3_600d, "h"),
            >= 60 => (60d, "min"),
            >= 1 => (1d, "s"),
            >= 1e-3 => (1e-3, "ms"),
            0 => (1d, "s"),
            _ => (1e-6, "µs"),
        };
        return Significant(seconds / div) + " " + unit;
    }

    /// <summary>Three significant digits, invariant culture, thousands separated: 1,950 · 45.2 · 0.0123.</summary>
    public static string Significant(double value)
    {
        if (!double.IsFinite(value)) return "–";
        if (value == 0) return "0";
        var abs = Math.Abs(value);
        if (abs >= 1000) return Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture);
        var digits = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(abs)));
        return Math.Round(value, Math.Min(digits, 15)).ToString("#,0.###############", CultureInfo.InvariantCulture);
    }
}
