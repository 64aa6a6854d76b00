using ScottPlot;

namespace Lab.Reports.Charts;

/// <summary>The common look of every chart (size, font, palette) and its export to PNG and SVG.</summary>
public static class ChartCanvas
{
    public const int Width = 960;
    public const int Height = 540;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>A new plot with the embedded font, a title and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        ChartFonts.Register();
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>The i-th colour of the palette (wraps around), so variant i has the same colour in every chart.</summary>
    public static Color ColorOf(int index) => Palette.GetColor(index % Palette.Colors.Length);

    /// <param name="data">The numbers behind a line chart, for the report's interactive copy; null for kinds drawn only as images.</param>
    /// <param name="lookAt">One sentence on what to look at, shown under the chart in the report.</param>
    public static ChartImage Export(Plot plot, string name, string title, string caption, ChartData? data = null, string lookAt = "")
    {
        var png = plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png);
        var svg = plot.GetSvgXml(Width, Height);
        return new ChartImage(name, title, caption, png, svg, data, lookAt);
    }

    /// <summary>Shows the legend when there is more than one thing to tell apart.</summary>
    public static void LegendIfNeeded(Plot plot, int entries)
    {
        // Beside the data, not over it: with a handful of lines an inside legend hides the interesting corner.
        if (entries > 1) plot.ShowLegend(Edge.Right);
        else plot.HideLegend();
    }
}
