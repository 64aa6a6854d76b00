using Lab.Cli.Commands;
using Lab.Cluster;
using Lab.Experiments;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;

namespace Lab.Cli.Tests;

/// <summary>
/// Runs in child processes (<see cref="ProcessRunExecutor"/>, <c>lab worker --stdio</c>): the same bytes as in
/// this process; a child that dies, talks nonsense or resolves the experiment differently fails its run with the
/// reason; cancelling ends the children at once.
/// </summary>
// Not alongside the cluster tests: their killed-worker test reads the failure detector's timing, which a burst of child
// processes next to it can upset.
[Collection("cluster processes")]
public sealed class ProcessExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-children").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Gossip runs of 3 s, one per fanout.</summary>
    private string Sweep(string fanouts = "[2, 3, 4, 5]")
    {
        var file = Path.Combine(_dir, $"sweep{fanouts.Length}.yaml");
        File.WriteAllText(file, $$"""
            name: sweep
            duration: 3s
            network: { latency: uniform(5ms, 15ms) }
            chain: { protocol: gossip, nodes: 30 }
            workload: { arrivals: poisson(rate: 200/s) }
            sweep:
              chain.gossip.fanout: {{fanouts}}
            """);
        return file;
    }

    private static Experiment Load(string file, params string[] overrides)
    {
        var d = new Diagnostics();
        return new ExperimentLoader(ModelRegistry.Default).Load(file, overrides, d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
    }

    private static string Summary(ExperimentResult r) =>
        Convert.ToHexString(Lab.Reports.Writers.SummaryJson.Serialize(Lab.Reports.Statistics.ExperimentSummary.Of(r)));

    private static string Metrics(ExperimentResult r) =>
        string.Join("\n", Lab.Reports.Writers.MetricsCsv.Files(r, Lab.Reports.Statistics.ExperimentSummary.Of(r)).Select(f => f.Key + ":" + Convert.ToHexString(f.Value)));

    /// <summary>Runs one job of a one-run experiment on <paramref name="command"/> and returns what it threw.</summary>
    private Exception? RunOn(IReadOnlyList<string> command, CancellationToken cancel = default)
    {
        var e = Load(Sweep("[3]"));
        try { new ProcessRunExecutor(command, 1).Execute([new RunJob(e, 0, e.Runs[0])], (_, _) => { }, null, cancel); }
        catch (Exception x) { return x; }
        return null;
    }

    [Fact]
    public void Runs_in_two_child_processes_give_the_same_bytes_as_in_this_process()
    {
        var e = Load(Sweep(), "seed=11");
        var runner = new ExperimentRunner(ModelRegistry.Default);
        var started = new List<string>();
        var progress = new Recorder(started);
        var children = runner.Run(e, new ProcessRunExecutor(MachineExecutor.ChildCommand([]), 2), progress);
        var here = runner.Run(e, new LocalRunExecutor(runner, 1));
        Assert.Equal(Summary(here), Summary(children));
        Assert.Equal(Metrics(here), Metrics(children));
        // Progress came from the children: every run started, advanced and finished.
        Assert.Equal(4, started.Count(s => s.StartsWith("started", StringComparison.Ordinal)));
        Assert.Equal(4, started.Count(s => s.StartsWith("finished", StringComparison.Ordinal)));
        Assert.Contains(started, s => s.StartsWith("advanced", StringComparison.Ordinal));
    }

    [Fact]
    public void Lab_run_puts_two_or_more_runs_at_once_in_child_processes_and_keeps_one_run_or_unknown_models_here()
    {
        var runner = new ExperimentRunner(ModelRegistry.Default);
        Assert.IsType<ProcessRunExecutor>(new MachineExecutor(runner, ModelRegistry.Default, 2, false, []).For(8));
        Assert.IsType<LocalRunExecutor>(new MachineExecutor(runner, ModelRegistry.Default, 2, false, []).For(1));
        Assert.IsType<LocalRunExecutor>(new MachineExecutor(runner, ModelRegistry.Default, 1, false, []).For(8));
        Assert.IsType<LocalRunExecutor>(new MachineExecutor(runner, ModelRegistry.Default, 2, true, []).For(8));
        Assert.IsType<LocalRunExecutor>(new MachineExecutor(runner, ModelRegistry.Default.With(), 2, false, []).For(8));
    }

    [Fact]
    public void Children_started_ahead_load_the_experiment_and_take_the_jobs()
    {
        var file = Sweep("[2, 3]");
        var e = Load(file, "seed=5");
        using var warm = new ChildPool(MachineExecutor.ChildCommand([]));
        warm.Start(2, file, ["seed=5"]);
        var runner = new ExperimentRunner(ModelRegistry.Default);
        // No child can be started from this command: the runs can only have gone to the two started ahead.
        var ahead = runner.Run(e, new ProcessRunExecutor(["/nonexistent/lab-host"], 2, warm));
        Assert.Equal(Summary(runner.Run(e, new LocalRunExecutor(runner, 1))), Summary(ahead));
    }

    [Fact]
    public void A_batch_s_children_serve_the_next_batch()
    {
        var e = Load(Sweep("[2, 3]"));
        var runner = new ExperimentRunner(ModelRegistry.Default);
        using var pool = new ChildPool(MachineExecutor.ChildCommand([]));
        var first = runner.Run(e, new ProcessRunExecutor(MachineExecutor.ChildCommand([]), 2, pool));
        Assert.Equal(2, pool.Idle);
        // No child can be started from this command: the second batch can only run on the first one's children.
        var second = runner.Run(e, new ProcessRunExecutor(["/nonexistent/lab-host"], 2, pool));
        Assert.Equal(Summary(first), Summary(second));
        Assert.Equal(2, pool.Idle);
    }

    [Fact]
    public void Children_started_ahead_and_never_used_are_killed()
    {
        var pids = Path.Combine(_dir, "pids");
        var warm = new ChildPool(["sh", "-c", $"echo $$ >> {pids}; exec cat > /dev/null"]);
        warm.Start(2, "never-read.yaml", []);
        var started = DateTime.UtcNow;
        while (!(File.Exists(pids) && File.ReadAllLines(pids).Length == 2) && DateTime.UtcNow - started < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        var alive = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.Equal(2, alive.Count);
        warm.Dispose();
        foreach (var pid in alive)
        {
            while (Running(pid) && DateTime.UtcNow - started < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
            Assert.False(Running(pid), $"child {pid} still runs");
        }

        // A zombie (killed, not yet reaped) no longer runs.
        static bool Running(int pid) =>
            File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim()[0] is not 'Z' and not 'X';
    }

    [Fact]
    public void A_child_that_dies_fails_its_run_with_its_exit_code_and_last_words()
    {
        var x = Assert.IsType<RunFailedException>(RunOn(["sh", "-c", "echo 'Out of memory.' >&2; exit 134"]));
        Assert.Contains("exit code 134", x.Message);
        Assert.Contains("Out of memory.", x.Message);
    }

    [Fact]
    public void A_child_that_writes_something_else_than_frames_fails_its_run()
    {
        var x = Assert.IsType<RunFailedException>(RunOn(["sh", "-c", "echo 'hello from a stray print'; cat > /dev/null"]));
        Assert.Contains("unknown frame kind", x.Message);
    }

    [Fact]
    public void A_child_that_cannot_start_fails_with_the_command()
    {
        var x = Assert.IsType<RunFailedException>(RunOn(["/nonexistent/lab-host"]));
        Assert.Contains("cannot start a worker process (/nonexistent/lab-host", x.Message);
    }

    [Fact]
    public void A_file_that_changed_under_the_run_is_refused_by_the_child()
    {
        var file = Sweep("[3]");
        var e = Load(file);
        File.WriteAllText(file, File.ReadAllText(file).Replace("duration: 3s", "duration: 4s", StringComparison.Ordinal));
        var x = Assert.Throws<RunFailedException>(() =>
            new ProcessRunExecutor(MachineExecutor.ChildCommand([]), 1).Execute([new RunJob(e, 0, e.Runs[0])], (_, _) => { }, null, default));
        Assert.True(x.Message.Contains("resolves differently on this worker", StringComparison.Ordinal), x.Message);
    }

    [Fact]
    public async Task Cancelling_kills_the_children_and_ends_at_once()
    {
        using var cancel = new CancellationTokenSource();
        // A child that never answers: only killing it ends the batch.
        var run = Task.Run(() => RunOn(["sleep", "600"], cancel.Token));
        await Task.Delay(300);
        cancel.Cancel();
        var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.True(ended == run, "the batch did not end when cancelled");
        Assert.IsType<OperationCanceledException>(await run);
    }

    [Fact]
    public void Frames_survive_the_pipe_and_a_truncated_one_is_refused()
    {
        var stream = new MemoryStream();
        using (var w = PipeFrames.Writer(stream))
        {
            PipeFrames.Write(w, new PipeFrames.Prepare("a.yaml", ["seed=4", "duration=2s"]));
            PipeFrames.Write(w, new Work([new JobOffer(3, "a.yaml", ["seed=4", "duration=2s"], "hash", 7)]));
            PipeFrames.Write(w, new PipeFrames.Started(3));
            PipeFrames.Write(w, new PipeFrames.Advanced(3, 0.25));
            PipeFrames.Write(w, new Done(3, [1, 2, 3]));
            PipeFrames.Write(w, new Failed(4, "boom"));
        }
        var bytes = stream.ToArray();
        using var r = PipeFrames.Reader(new MemoryStream(bytes));
        var prepare = Assert.IsType<PipeFrames.Prepare>(PipeFrames.Read(r));
        Assert.Equal(("a.yaml", "seed=4|duration=2s"), (prepare.File, string.Join("|", prepare.Overrides)));
        var job = Assert.Single(Assert.IsType<Work>(PipeFrames.Read(r)).Jobs);
        Assert.Equal((3L, "a.yaml", "seed=4|duration=2s", "hash", 7), (job.Id, job.File, string.Join("|", job.Overrides), job.ConfigHash, job.Run));
        Assert.Equal(new PipeFrames.Started(3), PipeFrames.Read(r));
        Assert.Equal(new PipeFrames.Advanced(3, 0.25), PipeFrames.Read(r));
        Assert.Equal([1, 2, 3], Assert.IsType<Done>(PipeFrames.Read(r)).Record);
        Assert.Equal("boom", Assert.IsType<Failed>(PipeFrames.Read(r)).Error);
        Assert.Null(PipeFrames.Read(r));
        using var cut = PipeFrames.Reader(new MemoryStream(bytes[..(bytes.Length - 3)]));
        for (int i = 0; i < 5; i++) PipeFrames.Read(cut);
        Assert.Throws<InvalidDataException>(() => PipeFrames.Read(cut));
    }

    private sealed class Recorder(List<string> log) : IRunProgress
    {
        public void Started(RunSpec run) { lock (log) log.Add("started " + run.Label); }
        public void Advanced(RunSpec run, double fraction) { lock (log) log.Add("advanced " + run.Label); }
        public void Finished(RunSpec run) { lock (log) log.Add("finished " + run.Label); }
    }
}
