using System.Globalization;

namespace Lab.Reports.Writers;

/// <summary>
/// How numbers are written to summary.json and the CSVs: the shortest text that parses back to the
/// same double ("R", invariant culture), so files are exact and byte-stable. NaN and infinities have
/// no JSON form and are written as <c>null</c> (JSON) or an empty field (CSV).
/// </summary>
public static class RoundTrip
{
    public static string? Format(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : null;

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
