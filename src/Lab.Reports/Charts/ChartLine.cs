namespace Lab.Reports.Charts;

/// <summary>
/// One labelled line of a chart. <see cref="Low"/> and <see cref="High"/>, when given (same length as
/// <see cref="X"/>), are drawn as a shaded band around it (e.g. a 95% confidence interval).
/// </summary>
public sealed record ChartLine(string Label, double[] X, double[] Y, double[]? Low = null, double[]? High = null);

/// <summary>A stretch of time to shade (e.g. a fault window), in seconds; an open end lasts to the edge of the chart.</summary>
public sealed record ShadedWindow(double StartSeconds, double? EndSeconds, string Label);

/// <summary>A set of values to draw as one distribution (one CDF line), e.g. settlement times of one variant.</summary>
public sealed record ChartDistribution(string Label, IReadOnlyList<double> Values);

/// <summary>One group of bars (e.g. "gross"), one value per category (e.g. per member).</summary>
public sealed record BarGroup(string Label, double[] Values);
