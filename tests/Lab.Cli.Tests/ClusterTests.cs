using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lab.Cluster;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Tests;

/// <summary>
/// Real processes on loopback: a coordinator (<c>lab run FILE --cluster-listen PORT</c>) and worker
/// processes (<c>lab worker --join</c>). The results must be byte-identical to <c>lab run FILE --parallel 1</c>,
/// also when a worker is killed with SIGKILL mid-sweep; a worker with the wrong secret gets no work.
/// </summary>
[Collection("cluster processes")]
public sealed class ClusterTests : IDisposable
{
    private const string Secret = "test-secret-for-the-cluster";
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-cluster").FullName;
    private readonly List<LabProcess> _started = [];

    public void Dispose()
    {
        foreach (var p in _started) p.Stop();
        Directory.Delete(_dir, true);
    }

    /// <summary>Eight gossip runs; <paramref name="seconds"/> of virtual time each.</summary>
    private string Sweep(int seconds)
    {
        var file = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(file, $$"""
            name: sweep
            duration: {{seconds}}s
            network: { latency: uniform(5ms, 15ms) }
            chain: { protocol: gossip, nodes: 30 }
            workload: { arrivals: poisson(rate: 200/s) }
            sweep:
              chain.gossip.fanout: [2, 3, 4, 5, 6, 7, 8, 9]
            """);
        return file;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private LabProcess Start(string secret, params string[] args)
    {
        var p = new LabProcess(secret, args);
        _started.Add(p);
        return p;
    }

    private string Local(string file)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        IAnsiConsole C(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var code = new CliApp(C(o), C(e), interactive: false, report: Numbers).Run(["run", file, "--out", Path.Combine(_dir, "local"), "--parallel", "1", "--quiet"]);
        Assert.True(code == ExitCode.Ok, e.ToString());
        return o.ToString().Trim();
    }

    /// <summary>The real summary.json and metrics/ (the byte-compared part of a results folder).</summary>
    private static void Numbers(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var summary = Lab.Reports.Statistics.ExperimentSummary.Of(r);
        File.WriteAllBytes(Path.Combine(folder, "summary.json"), Lab.Reports.Writers.SummaryJson.Serialize(summary));
        var metrics = Directory.CreateDirectory(Path.Combine(folder, "metrics")).FullName;
        foreach (var (name, bytes) in Lab.Reports.Writers.MetricsCsv.Files(r, summary).Concat(Lab.Reports.Writers.MetricsParquet.Files(r, summary))) File.WriteAllBytes(Path.Combine(metrics, name), bytes);
    }

    private static Dictionary<string, string> Bytes(string folder) =>
        new[] { Path.Combine(folder, "summary.json") }.Concat(Directory.GetFiles(Path.Combine(folder, "metrics")))
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    [Trait("Category", "Slow")]
    public void A_coordinator_and_two_worker_processes_give_byte_identical_results_to_a_local_run()
    {
        var file = Sweep(5);
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var coordinator = Start(Secret, "run", file, "--out", Path.Combine(_dir, "cluster"), "--cluster-listen", port, "--cluster-workers", "2");
        Start(Secret, "worker", "--join", "127.0.0.1:" + port, "--cores", "1");
        Start(Secret, "worker", "--join", "127.0.0.1:" + port, "--cores", "1");
        Assert.True(coordinator.WaitForExit() == ExitCode.Ok, coordinator.Output);
        Assert.Contains("2 worker(s)", coordinator.Output);
        Assert.Contains("[8/8]", coordinator.Output);
        Assert.Equal(Bytes(Local(file)), Bytes(coordinator.LastLine));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_worker_killed_mid_sweep_has_its_runs_requeued_and_the_results_stay_byte_identical()
    {
        var file = Sweep(10);
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var coordinator = Start(Secret, "run", file, "--out", Path.Combine(_dir, "cluster"), "--cluster-listen", port, "--cluster-config", Heartbeats(), "--cluster-workers", "2");
        var doomed = Start(Secret, "worker", "--join", "127.0.0.1:" + port, "--cores", "1");
        Start(Secret, "worker", "--join", "127.0.0.1:" + port, "--cores", "1");
        // Killed once both are working and the sweep is under way: its run in flight is lost with it.
        coordinator.WaitFor("[2/8]");
        doomed.Kill();
        Assert.True(coordinator.WaitForExit() == ExitCode.Ok, coordinator.Output);
        Assert.Matches(@"unreachable \(its heartbeats stopped\): \d run\(s\) re-queued; 1 worker\(s\)", coordinator.Output);
        Assert.Equal(Bytes(Local(file)), Bytes(coordinator.LastLine));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_worker_with_the_wrong_secret_is_refused_and_a_late_worker_with_the_right_one_finishes_the_sweep()
    {
        var file = Sweep(2);
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var coordinator = Start(Secret, "run", file, "--out", Path.Combine(_dir, "cluster"), "--cluster-listen", port);
        var intruder = Start("not-the-secret-at-all", "worker", "--join", "127.0.0.1:" + port, "--cores", "1");
        Assert.Equal(ExitCode.Invalid, intruder.WaitForExit());
        Assert.Contains("refused by the coordinator: wrong secret", intruder.Output);
        Assert.Contains("refused: wrong secret", coordinator.Output);
        Assert.DoesNotContain("[1/8]", coordinator.Output);

        Start(Secret, "worker", "--join", "127.0.0.1:" + port, "--cores", "2");
        Assert.True(coordinator.WaitForExit() == ExitCode.Ok, coordinator.Output);
        Assert.Equal(Bytes(Local(file)), Bytes(coordinator.LastLine));
    }

    [Fact]
    public void Without_a_secret_a_cluster_run_is_refused_before_anything_runs()
    {
        var p = new LabProcess("", ["run", Sweep(2), "--out", Path.Combine(_dir, "x"), "--cluster-listen", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        _started.Add(p);
        Assert.Equal(ExitCode.Invalid, p.WaitForExit());
        Assert.Contains("LAB_CLUSTER_SECRET", p.Output);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void The_secret_is_proved_without_being_sent_and_a_wrong_one_fails()
    {
        var right = SharedSecret.Load(null, _ => "correct-horse-battery");
        var wrong = SharedSecret.Load(null, _ => "correct-horse-battery!");
        var challenge = SharedSecret.NewChallenge();
        var proof = right.Prove(challenge);
        Assert.True(right.Verify(challenge, proof));
        Assert.False(wrong.Verify(challenge, proof));
        Assert.False(right.Verify(SharedSecret.NewChallenge(), proof));
        Assert.DoesNotContain("correct-horse-battery", Encoding.UTF8.GetString(proof));
        Assert.Throws<ArgumentException>(() => SharedSecret.Load(null, _ => "short"));
    }

    [Fact]
    public void Cluster_messages_survive_the_wire_and_damaged_ones_are_refused()
    {
        var serializer = new ClusterMessageSerializer(null!);
        IClusterMessage[] messages =
        [
            new Hello("w1", 2, "sha256:ab"), new Challenge([1, 2, 3]), new Proof([4, 5]), new Welcome("c"), new Refused("why"),
            new Pull(3), new Done(7L << 32 | 5, [9, 8, 7]), new Failed(1, "boom"),
        ];
        foreach (var m in messages)
        {
            var back = serializer.FromBinary(serializer.ToBinary(m), serializer.Manifest(m));
            Assert.Equal(Convert.ToHexString(serializer.ToBinary(m)), Convert.ToHexString(serializer.ToBinary(back)));
            Assert.Equal(m.GetType(), back.GetType());
        }
        var work = new Work([new JobOffer(42, "a.yaml", ["workload.rate=100/s", "seed=3"], "hash", 6)]);
        var job = Assert.Single(((Work)serializer.FromBinary(serializer.ToBinary(work), "K")).Jobs);
        Assert.Equal((42L, "a.yaml", "workload.rate=100/s|seed=3", "hash", 6), (job.Id, job.File, string.Join("|", job.Overrides), job.ConfigHash, job.Run));
        var bytes = serializer.ToBinary(new Done(1, new byte[100]));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes[..50], "D"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, "Z"));
    }

    /// <summary>A worker silent for 2 s is unreachable (the default is 5 s), to keep the test short.</summary>
    private string Heartbeats()
    {
        var file = Path.Combine(_dir, "cluster.conf");
        File.WriteAllText(file, "akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s\n");
        return file;
    }

    /// <summary>A <c>lab</c> child process with its output collected as it comes.</summary>
    private sealed class LabProcess
    {
        private readonly Process _p;
        private readonly StringBuilder _out = new();

        public LabProcess(string secret, string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lab.dll"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment[SharedSecret.EnvironmentVariable] = secret;
            psi.Environment["CI"] = "true";
            _p = new Process { StartInfo = psi };
            _p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            _p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            _p.Start();
            _p.BeginOutputReadLine();
            _p.BeginErrorReadLine();
        }

        public string Output { get { lock (_out) return _out.ToString(); } }

        /// <summary>The last line written: a finished run prints its results folder last.</summary>
        public string LastLine => Output.TrimEnd().Split('\n')[^1].Trim();

        /// <summary>Waits for the process; a hang fails the test (after two minutes) instead of blocking the suite.</summary>
        public int WaitForExit()
        {
            if (!_p.WaitForExit(TimeSpan.FromMinutes(2))) Assert.Fail("lab did not finish:\n" + Output);
            _p.WaitForExit();
            return _p.ExitCode;
        }

        public void WaitFor(string text)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!Output.Contains(text))
            {
                if (_p.HasExited) Assert.Fail($"lab ended before printing '{text}':\n" + Output);
                if (DateTime.UtcNow > deadline) Assert.Fail($"'{text}' never appeared:\n" + Output);
                Thread.Sleep(20);
            }
        }

        public void Kill() => _p.Kill();

        public void Stop()
        {
            if (!_p.HasExited) { _p.Kill(); _p.WaitForExit(); }
            _p.Dispose();
        }
    }
}
