using System.Diagnostics;
using Lab.Cli;
using Lab.Experiments.Results;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Tests;

/// <summary>
/// A real <c>lab</c> process, stopped the ways the world stops it: <c>kill -9</c> mid-sweep (then
/// <c>lab run --resume</c> must finish it byte for byte), and SIGTERM or SIGHUP (which must behave as Ctrl-C).
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-kill").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Eight short gossip runs, each a fraction of a second: long enough to be caught mid-sweep.</summary>
    /// <summary>8 points × <paramref name="replications"/>; a signal test asks for many, so that however late the
    /// signal lands on a loaded machine (test classes run in parallel), runs are still left.</summary>
    private string Sweep(int replications = 1)
    {
        var file = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(file, $$"""
            name: sweep
            duration: 20s
            replications: {{replications}}
            network: { latency: uniform(5ms, 15ms) }
            chain: { protocol: gossip, nodes: 30 }
            workload: { arrivals: poisson(rate: 200/s) }
            sweep:
              chain.gossip.fanout: [2, 3, 4, 5, 6, 7, 8, 9]
            """);
        return file;
    }

    /// <summary>Whether this process ignores <paramref name="signal"/> (inherited by the processes it starts): the SigIgn mask in /proc.</summary>
    private static bool Ignored(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (signal - 1))) != 0;
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lab.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Waits (polling the disk, not the clock's say-so) until the folder holds <paramref name="records"/> finished runs.</summary>
    private static string WaitForRuns(string outDir, int records, Process p)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) Assert.Fail("lab finished before it could be interrupted: " + p.StandardError.ReadToEnd());
            var folders = Directory.Exists(Path.Combine(outDir, "sweep")) ? Directory.GetDirectories(Path.Combine(outDir, "sweep")) : [];
            if (folders.Length == 1 && Directory.Exists(Path.Combine(folders[0], "runs")) &&
                Directory.GetFiles(Path.Combine(folders[0], "runs"), "*.run").Length >= records)
                return folders[0];
            Thread.Sleep(20);
        }
        throw new TimeoutException("no finished runs appeared");
    }

    private static (int Code, string Out, string Err) InProcess(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        IAnsiConsole C(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var code = new CliApp(C(o), C(e), interactive: false, report: Numbers).Run(args);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The real summary.json and metrics/ (the byte-compared part of a results folder).</summary>
    private static void Numbers(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var summary = Lab.Reports.Statistics.ExperimentSummary.Of(r);
        File.WriteAllBytes(Path.Combine(folder, "summary.json"), Lab.Reports.Writers.SummaryJson.Serialize(summary));
        var metrics = Directory.CreateDirectory(Path.Combine(folder, "metrics")).FullName;
        foreach (var (name, bytes) in Lab.Reports.Writers.MetricsCsv.Files(r, summary)) File.WriteAllBytes(Path.Combine(metrics, name), bytes);
    }

    private static Dictionary<string, string> Bytes(string folder) =>
        new[] { Path.Combine(folder, "summary.json") }.Concat(Directory.GetFiles(Path.Combine(folder, "metrics")))
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    [Trait("Category", "Slow")]
    public void A_sweep_killed_with_sigkill_keeps_its_finished_runs_and_resumes_to_byte_identical_results()
    {
        var file = Sweep();
        var outDir = Path.Combine(_dir, "out");
        var lab = Start("run", file, "--out", outDir, "--parallel", "1", "--quiet");
        var folder = WaitForRuns(outDir, 2, lab);
        lab.Kill();                                  // SIGKILL: no handler runs
        lab.WaitForExit();
        Assert.EndsWith("-incomplete", folder);
        var kept = Directory.GetFiles(Path.Combine(folder, "runs"), "*.run").Length;
        Assert.InRange(kept, 2, 7);
        Assert.False(File.Exists(Path.Combine(folder, "summary.json")));

        var (code, output, err) = InProcess("run", "--resume", folder, "--parallel", "2");
        Assert.True(code == ExitCode.Ok, err);
        Assert.Contains($"8 run(s), {kept} already finished", output);
        var resumed = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(folder[..^"-incomplete".Length], resumed);

        var (fullCode, fullOut, fullErr) = InProcess("run", file, "--out", Path.Combine(_dir, "whole"), "--parallel", "2", "--quiet");
        Assert.True(fullCode == ExitCode.Ok, fullErr);
        Assert.Equal(Bytes(fullOut.Trim()), Bytes(resumed));
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("HUP", "SIGHUP")]
    public async Task Sigterm_and_sighup_stop_like_ctrl_c_and_keep_every_finished_run(string signal, string name)
    {
        // Started under nohup, this process and its children ignore SIGHUP, as the user asked: lab keeps running
        // then, rightly, so there is nothing to test (CI does not start the suite under nohup).
        if (signal == "HUP" && Ignored(1)) return;
        var outDir = Path.Combine(_dir, "out");
        var lab = Start("run", Sweep(replications: 25), "--out", outDir, "--parallel", "1", "--quiet");
        var folder = WaitForRuns(outDir, 1, lab);
        using (var kill = Process.Start("kill", ["-" + signal, lab.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        var stdout = lab.StandardOutput.ReadToEndAsync();
        var stderr = await lab.StandardError.ReadToEndAsync();
        await lab.WaitForExitAsync();
        Assert.True(lab.ExitCode == ExitCode.Cancelled, $"exit {lab.ExitCode}: {stderr}");
        Assert.Contains($"interrupted ({name})", stderr);
        Assert.Contains($"lab run --resume {folder}", stderr);
        Assert.Equal(folder, (await stdout).Trim());
        Assert.Contains($"\"status\": \"interrupted ({name})\"", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var kept = Directory.GetFiles(Path.Combine(folder, "runs"), "*.run");
        Assert.NotEmpty(kept);
        foreach (var f in kept) RunRecord.Decode(File.ReadAllBytes(f));
    }
}
