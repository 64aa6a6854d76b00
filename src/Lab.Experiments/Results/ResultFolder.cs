using System.Globalization;
using System.Text;
using System.Text.Json;
using Lab.Experiments.Running;
using Lab.Reports;

namespace Lab.Experiments.Results;

/// <summary>Writes the analysis files of a result into a folder (normally <see cref="ReportWriter.WriteAll"/>).</summary>
public delegate void ReportFiles(ExperimentResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance);

/// <summary>
/// One results folder, <c>&lt;root&gt;/&lt;experiment&gt;/&lt;run-id&gt;/</c>, from before the first run
/// starts until it is complete:
/// <list type="number">
/// <item><see cref="Create"/> makes <c>&lt;run-id&gt;-incomplete/</c> with <c>experiment.yaml</c> (verbatim),
/// <c>resolved.yaml</c>, <c>manifest.json</c> and an empty <c>runs/</c>, before anything is simulated, so a
/// folder that cannot be written is found at once.</item>
/// <item>Each finished run is kept as <c>runs/&lt;point&gt;-&lt;replication&gt;.run</c> (a <see cref="RunRecord"/>,
/// written durably through a temporary name) before it counts as done. Killed at any moment, even with
/// <c>kill -9</c> or by a power cut, the folder holds every run that had finished; a half-written file
/// has a temporary name or fails its checksum, and is never taken for a result.</item>
/// <item><see cref="Complete"/> assembles <c>summary.json</c>, <c>metrics/</c>, charts and report from the
/// records, marks the manifest complete and only then renames the folder to <c>&lt;run-id&gt;</c>. A
/// folder whose name does not end in <c>-incomplete</c> is therefore always whole.</item>
/// </list>
/// <see cref="Stop"/> keeps an interrupted or failed experiment (with a report of the points that finished);
/// <see cref="Resume"/> reopens such a folder for <c>lab run --resume</c>, which runs only what is missing.
/// Folders are never overwritten.
/// </summary>
public sealed class ResultFolder : IRunJournal
{
    public const string RunsFolder = "runs";
    public const string ManifestFile = "manifest.json";
    public const string IncompleteSuffix = "-incomplete";

    /// <summary>What <see cref="Complete"/> and <see cref="Stop"/> write; removed again before a resumed sweep writes them anew.</summary>
    private static readonly string[] Analysis = ["summary.json", "metrics", "charts", "report.html"];

    private readonly Experiment _experiment;
    private readonly DurableFiles _files;
    private readonly bool[] _finished;
    private readonly string _configHash;
    private readonly ManifestFacts _facts;

    /// <summary>The folder now (it is renamed when complete).</summary>
    public string Path { get; private set; }

    /// <summary>Runs whose records were damaged (truncated, altered) when the folder was resumed; they run again.</summary>
    public IReadOnlyList<string> Discarded { get; }

    private ResultFolder(Experiment experiment, string path, DurableFiles files, ManifestFacts facts, IReadOnlyList<string> discarded)
    {
        _experiment = experiment;
        Path = path;
        _files = files;
        _facts = facts;
        _configHash = experiment.ConfigHash;
        _finished = new bool[experiment.Points.Count * experiment.Replications];
        Discarded = discarded;
    }

    /// <summary>Runs already kept in this folder.</summary>
    public int FinishedRuns => _finished.Count(f => f);

    // ---- creating ----

    /// <summary>Makes the folder and writes what describes the experiment, before any run starts.</summary>
    /// <param name="overrides">The <c>--set</c> values (and seed) the experiment was loaded with, kept for a resume.</param>
    /// <exception cref="ResultFolderException">The folder cannot be made or written (the message names the path).</exception>
    public static ResultFolder Create(Experiment experiment, string root, IReadOnlyList<string> overrides, Session session, DurableFiles? files = null)
    {
        files ??= DurableFiles.Disk;
        var rootFull = System.IO.Path.GetFullPath(root);
        CheckFolderPath(rootFull, root);
        var parent = System.IO.Path.Combine(rootFull, experiment.Name);
        var runId = session.Started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-seed" + experiment.Seed;
        var facts = new ManifestFacts(experiment.File, System.IO.Path.GetFullPath(experiment.File), [.. overrides], [session], LabBuild.Version, LabBuild.Id, "sha256:" + experiment.ConfigHash, experiment.Inputs);
        string staging = "";
        try
        {
            files.CreateDirectory(parent);
            // Everything is written in a hidden folder first and renamed into place: a folder under its
            // real name always has its manifest.
            staging = System.IO.Path.Combine(parent, $".new-{runId}-{Environment.ProcessId}");
            if (Directory.Exists(staging)) Directory.Delete(staging, true);
            files.CreateDirectory(staging);
            files.CreateDirectory(System.IO.Path.Combine(staging, RunsFolder));
            files.Write(System.IO.Path.Combine(staging, "experiment.yaml"), Encoding.UTF8.GetBytes(experiment.SourceText));
            files.Write(System.IO.Path.Combine(staging, "resolved.yaml"), Encoding.UTF8.GetBytes(experiment.ResolvedYaml));
            files.Write(System.IO.Path.Combine(staging, ManifestFile), Manifest(experiment, facts, status: "running", finishedRuns: 0));
            for (int n = 1; ; n++)
            {
                var id = n == 1 ? runId : $"{runId}-{n}";
                var final = System.IO.Path.Combine(parent, id);
                var incomplete = final + IncompleteSuffix;
                if (Exists(final) || Exists(incomplete)) continue;
                try
                {
                    files.MoveDirectory(staging, incomplete);
                    return new ResultFolder(experiment, incomplete, files, facts, []);
                }
                catch (IOException) when (Exists(incomplete)) { }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw new ResultFolderException($"cannot write results under {parent}: {ResultFolderException.Reason(e)}", e);
        }
    }

    /// <summary>Refuses an output folder that is a file, lies under a file, or is a device such as /dev/null.</summary>
    private static void CheckFolderPath(string full, string asGiven)
    {
        for (var p = full; !string.IsNullOrEmpty(p); p = System.IO.Path.GetDirectoryName(p))
        {
            if (Directory.Exists(p)) return;
            if (File.Exists(p))
                throw new ResultFolderException(p == full
                    ? $"--out {asGiven}: {p} is a file, not a folder"
                    : $"--out {asGiven}: {p} is a file, so there can be no folder under it");
        }
    }

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);

    // ---- resuming ----

    /// <summary>What a folder says about how it was started: enough to load its experiment again.</summary>
    public static ResumeSource ReadSource(string folder)
    {
        var facts = ReadManifest(folder, out var complete);
        if (complete) throw new ResultFolderException($"{folder} is complete: there is nothing to resume");
        return new ResumeSource(facts.FilePath, facts.File, facts.Overrides);
    }

    /// <summary>
    /// Reopens an interrupted or crashed folder for the same experiment: checks that the lab build, the
    /// experiment file and everything resolved from it are what the folder was started with, keeps every
    /// intact run record and discards damaged ones and temporary files.
    /// </summary>
    /// <exception cref="ResultFolderException">The folder cannot be resumed with this experiment or this lab (the message says why).</exception>
    public static ResultFolder Resume(string folder, Experiment experiment, Session session, DurableFiles? files = null)
    {
        files ??= DurableFiles.Disk;
        var full = System.IO.Path.GetFullPath(folder);
        var facts = ReadManifest(full, out var complete);
        if (complete) throw new ResultFolderException($"{folder} is complete: there is nothing to resume");
        const string again = "a resumed sweep must run the same experiment on the same build to give the same bytes; run it again from the start instead";
        if (facts.LabVersion != LabBuild.Version)
            throw new ResultFolderException($"{folder} was started by lab {facts.LabVersion} and this is lab {LabBuild.Version}: {again}");
        if (facts.LabBuild != LabBuild.Id)
            throw new ResultFolderException($"{folder} was started by another build of lab ({Short(facts.LabBuild)}, this one is {Short(LabBuild.Id)}): {again}");
        if (ReadText(System.IO.Path.Combine(full, "experiment.yaml")) != experiment.SourceText)
            throw new ResultFolderException($"the experiment file {experiment.File} has changed since {folder} was started (compare it with {System.IO.Path.Combine(folder, "experiment.yaml")}): {again}");
        var now = experiment.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (path, digest) in facts.Inputs)
            if (!now.TryGetValue(path, out var current) || current != digest)
                throw new ResultFolderException(current is null
                    ? $"the experiment no longer reads {path}, which it read when {folder} was started: {again}"
                    : $"{path}, which the experiment reads, has changed since {folder} was started: {again}");
        if (facts.ConfigHash != "sha256:" + experiment.ConfigHash)
            throw new ResultFolderException($"the experiment resolves differently than when {folder} was started (a preset or another file it reads has changed; compare with {System.IO.Path.Combine(folder, "resolved.yaml")}): {again}");

        var discarded = new List<string>();
        var result = new ResultFolder(experiment, full, files, facts with { Sessions = [.. facts.Sessions, session] }, discarded);
        var runs = System.IO.Path.Combine(full, RunsFolder);
        try
        {
            files.CreateDirectory(runs);
            foreach (var file in Directory.EnumerateFiles(runs).Order(StringComparer.Ordinal))
            {
                var name = System.IO.Path.GetFileName(file);
                if (name.StartsWith(DurableFiles.TemporaryPrefix, StringComparison.Ordinal)) { File.Delete(file); continue; }
                if (!name.EndsWith(RunRecord.Extension, StringComparison.Ordinal)) continue;
                if (result.Check(file) is { } problem)
                {
                    discarded.Add($"{System.IO.Path.Combine(folder, RunsFolder, name)}: {problem}; it runs again");
                    File.Delete(file);
                }
            }
            result.RemoveAnalysis();
            files.Write(System.IO.Path.Combine(full, ManifestFile), Manifest(experiment, result._facts, "running", result.FinishedRuns));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFolderException($"cannot resume {folder}: {ResultFolderException.Reason(e)}", e);
        }
        return result;
    }

    private static string Short(string id) => id.Length > 19 ? id[..19] + "…" : id.Length == 0 ? "unknown" : id;

    /// <summary>Null when the file is a whole record of this experiment (and marks it finished); otherwise what is wrong with it.</summary>
    private string? Check(string file)
    {
        RunRecord record;
        try
        {
            if (new FileInfo(file).Length > int.MaxValue) return "too large to be a run record";
            record = RunRecord.Decode(File.ReadAllBytes(file));
        }
        catch (InvalidDataException e) { return e.Message; }
        var n = _experiment.Replications;
        if (record.ConfigHash != _configHash) return "it belongs to another experiment";
        if (record.Point < 0 || record.Point >= _experiment.Points.Count || record.Replication < 0 || record.Replication >= n)
            return "its point or replication is not in this experiment";
        if (System.IO.Path.GetFileName(file) != record.FileName) return "its name does not match its contents";
        if (record.Result.Seed != Experiment.ReplicationSeed(_experiment.Seed, record.Replication)) return "its seed is not this experiment's";
        _finished[record.Point * n + record.Replication] = true;
        return null;
    }

    // ---- the journal ----

    public bool IsFinished(int run) => Volatile.Read(ref _finished[run]);

    public void Record(int run, RunRecord record)
    {
        var file = System.IO.Path.Combine(Path, RunsFolder, record.FileName);
        try { _files.Write(file, record.Encode()); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFolderException($"cannot keep a finished run in {file}: {ResultFolderException.Reason(e)}", e);
        }
        Volatile.Write(ref _finished[run], true);
    }

    public RunRecord Load(int run)
    {
        var n = _experiment.Replications;
        var file = System.IO.Path.Combine(Path, RunsFolder, RunRecord.NameOf(run / n, run % n));
        try { return RunRecord.Decode(File.ReadAllBytes(file)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new ResultFolderException($"cannot read the finished run {file}: {(e is InvalidDataException ? e.Message : ResultFolderException.Reason(e))}", e);
        }
    }

    // ---- finishing ----

    /// <summary>Writes the analysis of the whole experiment, marks the folder complete and renames it to its final name.</summary>
    /// <returns>The final path.</returns>
    /// <exception cref="ResultFolderException">Writing failed; the folder keeps its runs and stays resumable.</exception>
    public string Complete(ExperimentResult result, ReportFiles report, DateTimeOffset finished)
    {
        WriteAnalysis(result, report, finished, stoppedBy: null);
        var parent = System.IO.Path.GetDirectoryName(Path)!;
        var name = System.IO.Path.GetFileName(Path);
        if (!name.EndsWith(IncompleteSuffix, StringComparison.Ordinal)) return Path;
        var baseName = name[..^IncompleteSuffix.Length];
        for (int n = 1; ; n++)
        {
            var final = System.IO.Path.Combine(parent, n == 1 ? baseName : $"{baseName}-{n}");
            if (Exists(final)) continue;
            try
            {
                _files.MoveDirectory(Path, final);
                Path = final;
                return final;
            }
            catch (IOException) when (Exists(final)) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ResultFolderException($"cannot rename {Path} to {final}: {ResultFolderException.Reason(e)}", e);
            }
        }
    }

    /// <summary>Keeps an experiment that stopped early: the report of the points that finished (if any), the manifest saying why.</summary>
    public string Stop(ExperimentResult? partial, string stoppedBy, ReportFiles report, DateTimeOffset finished)
    {
        if (partial is not null) WriteAnalysis(partial, report, finished, stoppedBy);
        else
        {
            try
            {
                RemoveAnalysis();
                _files.Write(System.IO.Path.Combine(Path, ManifestFile), Manifest(_experiment, Finish(finished), stoppedBy, FinishedRuns));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ResultFolderException($"cannot write {System.IO.Path.Combine(Path, ManifestFile)}: {ResultFolderException.Reason(e)}", e);
            }
        }
        return Path;
    }

    private ManifestFacts Finish(DateTimeOffset finished)
    {
        var sessions = _facts.Sessions.ToList();
        sessions[^1] = sessions[^1] with { Finished = finished };
        return _facts with { Sessions = sessions };
    }

    private void WriteAnalysis(ExperimentResult result, ReportFiles report, DateTimeOffset finished, string? stoppedBy)
    {
        var facts = Finish(finished);
        try
        {
            RemoveAnalysis();
            var provenance = Provenance(_experiment, facts);
            if (stoppedBy is not null) provenance.Add(new("status", $"INCOMPLETE: {stoppedBy}; {result.Points.Count} of {_experiment.Points.Count} points finished"));
            report(result, Path, provenance);
            // The report writer writes plainly; flush what it wrote before the manifest says it is there.
            foreach (var a in Analysis) DurableFiles.Flush(System.IO.Path.Combine(Path, a));
            _files.Write(System.IO.Path.Combine(Path, ManifestFile), Manifest(_experiment, facts, stoppedBy ?? "complete", FinishedRuns, result.Points.Count));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing half-written stays next to the runs: a resume writes the analysis again.
            try { RemoveAnalysis(); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw new ResultFolderException($"cannot write the results into {Path}: {ResultFolderException.Reason(e)}", e);
        }
    }

    private void RemoveAnalysis()
    {
        foreach (var a in Analysis) TryDelete(System.IO.Path.Combine(Path, a));
    }

    private static void TryDelete(string path)
    {
        if (path.Length == 0) return;
        if (Directory.Exists(path)) Directory.Delete(path, true);
        else if (File.Exists(path)) File.Delete(path);
    }

    // ---- manifest.json ----

    /// <summary>One invocation of <c>lab run</c> on this folder (the first, then each resume).</summary>
    public sealed record Session(DateTimeOffset Started, int Parallel, DateTimeOffset? Finished = null);

    /// <summary>What a folder to resume was started from.</summary>
    /// <param name="FilePath">The experiment file's full path.</param>
    /// <param name="File">The file as it was named on the command line.</param>
    public sealed record ResumeSource(string FilePath, string File, IReadOnlyList<string> Overrides);

    /// <summary>What manifest.json records about how the folder was started.</summary>
    /// <param name="Inputs">Every file the experiment was read from (itself, presets, traces, CDFs): full path → "sha256:…".</param>
    private sealed record ManifestFacts(string File, string FilePath, IReadOnlyList<string> Overrides, IReadOnlyList<Session> Sessions, string LabVersion, string LabBuild, string ConfigHash,
                                        IReadOnlyList<KeyValuePair<string, string>> Inputs);

    private static byte[] Manifest(Experiment e, ManifestFacts facts, string status, int finishedRuns, int? pointsFinished = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("experiment", e.Name);
            w.WriteString("file", facts.File);
            w.WriteString("file_path", facts.FilePath);
            w.WriteStartArray("overrides");
            foreach (var o in facts.Overrides) w.WriteStringValue(o);
            w.WriteEndArray();
            w.WriteString("lab_version", facts.LabVersion);
            w.WriteString("lab_build", facts.LabBuild);
            if (LabBuild.GitCommit is { } commit) w.WriteString("git_commit", commit); else w.WriteNull("git_commit");
            w.WriteNumber("seed", e.Seed);
            w.WriteString("config_hash", facts.ConfigHash);
            w.WriteStartObject("inputs");
            foreach (var (path, digest) in facts.Inputs) w.WriteString(path, digest);
            w.WriteEndObject();
            w.WriteNumber("points", e.Points.Count);
            w.WriteNumber("replications", e.Replications);
            w.WriteNumber("runs", e.Points.Count * e.Replications);
            w.WriteBoolean("complete", status == "complete");
            w.WriteString("status", status);
            w.WriteNumber("runs_finished", finishedRuns);
            if (pointsFinished is { } p && status != "complete") w.WriteNumber("points_finished", p);
            var first = facts.Sessions[0];
            var last = facts.Sessions[^1];
            w.WriteNumber("parallel", last.Parallel);
            w.WriteString("started_utc", Utc(first.Started));
            if (last.Finished is { } end)
            {
                w.WriteString("finished_utc", Utc(end));
                w.WriteNumber("wall_seconds", Math.Round(facts.Sessions.Sum(s => ((s.Finished ?? s.Started) - s.Started).TotalSeconds), 3));
            }
            w.WriteStartArray("sessions");
            foreach (var s in facts.Sessions)
            {
                w.WriteStartObject();
                w.WriteString("started_utc", Utc(s.Started));
                if (s.Finished is { } f) w.WriteString("finished_utc", Utc(f));
                w.WriteNumber("parallel", s.Parallel);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("machine");
            w.WriteString("host", Environment.MachineName);
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteString("architecture", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString());
            w.WriteNumber("cpus", Environment.ProcessorCount);
            w.WriteString("dotnet", Environment.Version.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);

    private static ManifestFacts ReadManifest(string folder, out bool complete)
    {
        if (File.Exists(folder)) throw new ResultFolderException($"{folder} is a file, not a results folder");
        if (!Directory.Exists(folder)) throw new ResultFolderException($"{folder}: no such folder");
        var path = System.IO.Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) throw new ResultFolderException($"{folder} is not a results folder of lab (it has no {ManifestFile})");
        try
        {
            if (new FileInfo(path).Length > 1 << 20) throw new ResultFolderException($"{path} is too large to be a manifest");
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var m = doc.RootElement;
            string Text(string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw new ResultFolderException($"{path} has no '{name}': it was not written by this version of lab and cannot be resumed");
            complete = m.TryGetProperty("complete", out var c) && c.ValueKind == JsonValueKind.True;
            var overrides = m.TryGetProperty("overrides", out var o) && o.ValueKind == JsonValueKind.Array
                ? o.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : throw new ResultFolderException($"{path} has no 'overrides': it was not written by this version of lab and cannot be resumed");
            var sessions = new List<Session>();
            if (m.TryGetProperty("sessions", out var ss) && ss.ValueKind == JsonValueKind.Array)
                foreach (var s in ss.EnumerateArray())
                    sessions.Add(new Session(
                        DateTimeOffset.Parse(s.GetProperty("started_utc").GetString()!, CultureInfo.InvariantCulture),
                        s.GetProperty("parallel").GetInt32(),
                        s.TryGetProperty("finished_utc", out var f) ? DateTimeOffset.Parse(f.GetString()!, CultureInfo.InvariantCulture) : null));
            if (sessions.Count == 0) throw new ResultFolderException($"{path} has no sessions: it cannot be resumed");
            var inputs = m.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Object
                ? i.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? "")).ToList()
                : [];
            return new ManifestFacts(Text("file"), Text("file_path"), overrides, sessions, Text("lab_version"), Text("lab_build"), Text("config_hash"), inputs);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ResultFolderException($"{path} is damaged: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFolderException($"cannot read {path}: {ResultFolderException.Reason(e)}", e);
        }
    }

    private static string ReadText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFolderException($"cannot read {path}: {ResultFolderException.Reason(e)}", e);
        }
    }

    private static List<KeyValuePair<string, string>> Provenance(Experiment e, ManifestFacts facts) =>
    [
        new("experiment file", e.File),
        new("lab version", LabBuild.Version),
        new("git commit", LabBuild.GitCommit ?? "unknown"),
        new("seed", e.Seed.ToString(CultureInfo.InvariantCulture)),
        new("config hash", "sha256:" + e.ConfigHash),
        new("runs", $"{e.Points.Count} point(s) × {e.Replications} replication(s)"),
        new("started (UTC)", facts.Sessions[0].Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        new("finished (UTC)", (facts.Sessions[^1].Finished ?? facts.Sessions[^1].Started).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        .. facts.Sessions.Count > 1 ? [new KeyValuePair<string, string>("resumed", $"{facts.Sessions.Count - 1} time(s)")] : Array.Empty<KeyValuePair<string, string>>(),
        new("machine", $"{Environment.MachineName}, {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}"),
    ];
}
