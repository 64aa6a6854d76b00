using ScottPlot;
using SkiaSharp;

namespace Lab.Reports.Charts;

/// <summary>
/// Makes chart text render the same on every machine, including a bare Linux container with no
/// fonts installed: DejaVu Sans (Bitstream Vera licence, Fonts/DejaVuSans-LICENSE.txt) is embedded in
/// this assembly and answers every font request ScottPlot makes.
/// </summary>
public static class ChartFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Registers the embedded font with ScottPlot (once per process; safe from any thread).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(
                Load("Lab.Reports.Fonts.DejaVuSans.ttf"), Load("Lab.Reports.Fonts.DejaVuSans-Bold.ttf")));
            ScottPlot.Fonts.Default = Family;
            ScottPlot.Fonts.Sans = Family;
            ScottPlot.Fonts.Serif = Family;
            ScottPlot.Fonts.Monospace = Family;
            _registered = true;
        }
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded font {resource} is missing from {typeof(ChartFonts).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Answers every family with DejaVu Sans (regular or bold) so no request falls through to
    /// whatever the machine has (or hasn't) installed. A fresh typeface per call: ScottPlot owns it.
    /// </summary>
    private sealed class EmbeddedFontResolver(byte[] regular, byte[] bold) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            Create(weight >= FontWeight.SemiBold);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Create(bold);

        private SKTypeface Create(bool isBold) => SKTypeface.FromData(SKData.CreateCopy(isBold ? bold : regular));
    }
}
