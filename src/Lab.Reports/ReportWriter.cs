namespace Lab.Reports;

/// <summary>
/// Writes an experiment's analysis files into a run folder: <c>summary.json</c>,
/// <c>metrics/*.csv</c>, <c>charts/*.png|svg</c> and <c>report.html</c>.
/// <c>summary.json</c> and <c>metrics/</c> depend only on the result (byte-identical for equal results).
/// </summary>
public static class ReportWriter
{
    /// <param name="folder">An existing, empty folder (the caller renames it into place when complete).</param>
    /// <param name="provenance">Lines for the report's provenance section (lab version, commit, machine, times).</param>
    public static void WriteAll(ExperimentResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        // Implemented in the Reports issue work; the signature is the contract with Lab.Experiments.
        throw new NotImplementedException("Lab.Reports.ReportWriter is being written");
    }
}
