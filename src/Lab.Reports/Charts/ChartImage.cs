namespace Lab.Reports.Charts;

/// <summary>A rendered chart: its file name stem (<c>charts/{Name}.png|svg</c>), what it shows, and both renderings.</summary>
public sealed record ChartImage(string Name, string Title, string Caption, byte[] Png, string Svg);
