namespace Lab.Cli.Tests;

/// <summary>lab fuzz and lab replay from the command line: exit codes, the summary line, the replay's timeline.</summary>
public class FuzzCliTests
{
    [Fact]
    public void Fuzz_prints_a_summary_and_exits_0_when_every_run_passes()
    {
        var dir = Directory.CreateTempSubdirectory("lab-fuzz").FullName;
        var (code, output, _) = CliTests.Lab("fuzz", "--protocol", "solo", "--runs", "3", "--seed", "100", "--parallel", "1", "--out", dir);
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("solo: 3 of 3 run(s) from seed 100 (within the tolerance), 3 passed, 0 failed", output);
    }

    [Fact]
    public void Replay_draws_the_run_again_writes_it_and_prints_its_timeline()
    {
        var dir = Directory.CreateTempSubdirectory("lab-replay").FullName;
        var (code, output, _) = CliTests.Lab("replay", "solo:100:1", "--out", dir);
        Assert.Equal(ExitCode.Ok, code);
        Assert.True(File.Exists(Path.Combine(dir, "fuzz-solo-100-1.yaml")));
        Assert.Contains("heights  n0=", output);
        Assert.Contains("passed: safety, validity and liveness held", output);
        // The file it wrote replays the same way.
        var (again, output2, _) = CliTests.Lab("replay", Path.Combine(dir, "fuzz-solo-100-1.yaml"));
        Assert.Equal(ExitCode.Ok, again);
        Assert.Equal(output[(output.IndexOf('\n') + 1)..], output2);
    }

    [Fact]
    public void Fuzz_refuses_an_unknown_protocol_and_a_bad_replay_id()
    {
        Assert.Equal(ExitCode.Invalid, CliTests.Lab("fuzz", "--protocol", "paxos").Code);
        Assert.Equal(ExitCode.Invalid, CliTests.Lab("fuzz").Code);
        Assert.Equal(ExitCode.Invalid, CliTests.Lab("replay", "pbft:x:1").Code);
    }
}
