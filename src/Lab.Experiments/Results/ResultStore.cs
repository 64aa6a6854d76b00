using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lab.Reports;

namespace Lab.Experiments.Results;

/// <summary>Writes the analysis files of a result into a folder (normally <see cref="ReportWriter.WriteAll"/>).</summary>
public delegate void ReportFiles(ExperimentResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance);

/// <summary>Wall-clock facts about one invocation, for the manifest (never part of the results themselves).</summary>
public sealed record RunInfo(DateTimeOffset Started, DateTimeOffset Finished, int Parallel);

/// <summary>
/// Writes <c>&lt;root&gt;/&lt;experiment&gt;/&lt;run-id&gt;/</c>: experiment.yaml (verbatim), resolved.yaml,
/// manifest.json, then the report files. Everything goes to a hidden temporary folder that is renamed
/// into place only when complete, and an existing folder is never overwritten.
/// </summary>
public static class ResultStore
{
    public static string LabVersion => typeof(ResultStore).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <param name="stoppedBy">Null for a complete experiment; otherwise why it stopped early (the folder
    /// then holds only the points that finished, its name ends in <c>-incomplete</c>).</param>
    public static string Write(Experiment experiment, ExperimentResult result, string root, RunInfo info, ReportFiles report, string? stoppedBy = null)
    {
        var parent = Path.Combine(Path.GetFullPath(root), experiment.Name);
        Directory.CreateDirectory(parent);
        var runId = info.Started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-seed" + experiment.Seed + (stoppedBy is null ? "" : "-incomplete");
        var temp = Path.Combine(parent, $".incomplete-{runId}-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllText(Path.Combine(temp, "experiment.yaml"), experiment.SourceText);
            File.WriteAllText(Path.Combine(temp, "resolved.yaml"), experiment.ResolvedYaml);
            var commit = GitCommit();
            var manifest = Manifest(experiment, result, info, commit, stoppedBy);
            File.WriteAllText(Path.Combine(temp, "manifest.json"), manifest);
            var provenance = Provenance(experiment, info, commit);
            if (stoppedBy is not null) provenance.Add(new("status", $"INCOMPLETE: {stoppedBy}; {result.Points.Count} of {experiment.Points.Count} points finished"));
            report(result, temp, provenance);
            for (int n = 1; ; n++)
            {
                var final = Path.Combine(parent, n == 1 ? runId : $"{runId}-{n}");
                if (Directory.Exists(final) || File.Exists(final)) continue;
                try { Directory.Move(temp, final); return final; }
                catch (IOException) when (Directory.Exists(final)) { }
            }
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, true);
            if (!Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
            throw;
        }
    }

    public static string ConfigHash(Experiment e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.ResolvedYaml)));

    private static string Manifest(Experiment e, ExperimentResult result, RunInfo info, string? commit, string? stoppedBy)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("experiment", e.Name);
            w.WriteString("file", e.File);
            w.WriteString("lab_version", LabVersion);
            if (commit is null) w.WriteNull("git_commit"); else w.WriteString("git_commit", commit);
            w.WriteNumber("seed", e.Seed);
            w.WriteString("config_hash", "sha256:" + ConfigHash(e));
            w.WriteNumber("points", e.Points.Count);
            w.WriteNumber("replications", e.Replications);
            w.WriteNumber("runs", e.Points.Count * e.Replications);
            w.WriteBoolean("complete", stoppedBy is null);
            if (stoppedBy is not null)
            {
                w.WriteString("stopped_by", stoppedBy);
                w.WriteNumber("points_finished", result.Points.Count);
            }
            w.WriteNumber("parallel", info.Parallel);
            w.WriteString("started_utc", info.Started.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("finished_utc", info.Finished.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            w.WriteNumber("wall_seconds", Math.Round((info.Finished - info.Started).TotalSeconds, 3));
            w.WriteStartObject("machine");
            w.WriteString("host", Environment.MachineName);
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteString("architecture", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString());
            w.WriteNumber("cpus", Environment.ProcessorCount);
            w.WriteString("dotnet", Environment.Version.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static List<KeyValuePair<string, string>> Provenance(Experiment e, RunInfo info, string? commit) =>
    [
        new("experiment file", e.File),
        new("lab version", LabVersion),
        new("git commit", commit ?? "unknown"),
        new("seed", e.Seed.ToString(CultureInfo.InvariantCulture)),
        new("config hash", "sha256:" + ConfigHash(e)),
        new("runs", $"{e.Points.Count} point(s) × {e.Replications} replication(s)"),
        new("started (UTC)", info.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        new("finished (UTC)", info.Finished.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        new("machine", $"{Environment.MachineName}, {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}"),
    ];

    /// <summary>The commit of the lab's source tree, if it is a git checkout and git is installed.</summary>
    private static string? GitCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", AppContext.BaseDirectory, "rev-parse", "HEAD"])
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && output.Length == 40 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return null; }
    }
}
