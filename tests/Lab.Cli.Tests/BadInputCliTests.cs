using System.Diagnostics;
using Lab.Cli;

namespace Lab.Cli.Tests;

/// <summary>Bad input that needs the command line or the machine itself: devices, system files, the working directory, limits.</summary>
public sealed class BadInputCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-badcli").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string Base = "name: t\nduration: 2s\nnetwork: { latency: 5ms }\nchain: { protocol: raft, nodes: 3 }\n";

    [Fact]
    public void Dev_zero_as_the_experiment_is_refused_after_a_bounded_read()
    {
        var (code, _, err) = CliTests.Lab("validate", "/dev/zero");
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Equal("/dev/zero:1:1: is larger than 4 MiB, the limit for such files (raise it with --limit file-size=N)", err.Split('\n')[0].Trim());
    }

    [Fact]
    public void A_system_file_as_a_trace_gets_an_error_per_line_at_its_own_place()
    {
        if (!File.Exists("/etc/passwd")) return;   // not a Unix machine: nothing to read
        var file = Path.Combine(_dir, "e.yaml");
        File.WriteAllText(file, Base + "workload: { trace: /etc/passwd }\n");
        var (code, _, err) = CliTests.Lab("validate", file);
        Assert.Equal(ExitCode.Invalid, code);
        var lines = err.TrimEnd().Split('\n').SkipLast(1).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^/etc/passwd:\d+:1: workload\.trace: expected time,size,type \(e\.g\. 0\.5,512,payment\), got '", l));
        Assert.DoesNotContain("internal error", err);
    }

    /// <summary>A mistake inside a preset is reported with a path that leads to the preset from where lab was started.</summary>
    [Fact]
    public void Errors_inside_a_preset_name_it_from_the_working_directory()
    {
        var project = Directory.CreateDirectory(Path.Combine(_dir, "project", "experiments")).FullName;
        var nets = Directory.CreateDirectory(Path.Combine(_dir, "project", "nets")).FullName;
        File.WriteAllText(Path.Combine(nets, "lan.yaml"), "description: a LAN\nlatency: 5parsecs\n");
        File.WriteAllText(Path.Combine(project, "e.yaml"), "name: t\nduration: 2s\nnetwork: { preset: ../nets/lan.yaml }\nchain: { protocol: raft, nodes: 3 }\n");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(_dir, "project"), RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lab.dll"));
        psi.ArgumentList.Add("validate");
        psi.ArgumentList.Add("experiments/e.yaml");
        using var lab = Process.Start(psi)!;
        var err = lab.StandardError.ReadToEnd();
        lab.WaitForExit();
        Assert.Equal(ExitCode.Invalid, lab.ExitCode);
        var first = err.Split('\n')[0];
        Assert.StartsWith("nets/lan.yaml:2:10: network.latency: 'parsecs' is not a time unit", first);
        Assert.True(File.Exists(Path.Combine(_dir, "project", first.Split(':')[0])));
    }

    [Theory]
    [InlineData("depth=0")]
    [InlineData("runs")]
    [InlineData("colour=blue")]
    public void A_bad_limit_is_a_usage_error(string limit)
    {
        var file = Path.Combine(_dir, "e.yaml");
        File.WriteAllText(file, Base);
        var (code, _, err) = CliTests.Lab("validate", file, "--limit", limit);
        Assert.Equal(ExitCode.Invalid, code);
        Assert.StartsWith("error: --limit", err);
    }

    [Fact]
    public void A_raised_limit_lets_a_large_sweep_through()
    {
        var file = Path.Combine(_dir, "e.yaml");
        File.WriteAllText(file, Base + "sweep: { seed: [" + string.Join(", ", Enumerable.Range(1, 15)) + "] }\nreplications: 10000\n");
        Assert.Equal(ExitCode.Invalid, CliTests.Lab("validate", file).Code);
        var (code, output, err) = CliTests.Lab("validate", file, "--limit", "runs=150000");
        Assert.True(code == ExitCode.Ok, err);
        Assert.Contains("150000 run(s)", output);
    }
}
