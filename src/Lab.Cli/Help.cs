using Spectre.Console;

namespace Lab.Cli;

/// <summary>Help texts, with examples.</summary>
public static class Help
{
    public static void Overview(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab[/] — simulate consensus protocols and settlement scenarios from YAML experiment files.");
        c.WriteLine();
        c.MarkupLine("[bold]Usage:[/] lab <command> [[options]]");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("[bold]run[/] FILE", "run an experiment and write results/<experiment>/<run-id>/");
        t.AddRow("[bold]run --resume[/] DIR", "finish an interrupted or crashed run: only what is missing runs");
        t.AddRow("[bold]validate[/] FILE...", "check experiment files without running them (exit 0 or 2)");
        t.AddRow("[bold]verify[/] [[FILE...]]", "reproduce published and closed-form results (scenarios/validation/); exit 1 on any miss");
        t.AddRow("[bold]list[/] [[what]]", "list protocols, scenarios, networks, distributions or metrics");
        t.AddRow("[bold]fuzz[/] --protocol P", "swarm testing: random configurations and faults, checked; failures replayable and shrunk");
        t.AddRow("[bold]replay[/] P:SEED:RUN", "run one fuzz configuration again with a timeline");
        t.AddRow("[bold]size[/] FILE --target T", "capacity planning: the largest load meeting every target, per sweep point");
        t.AddRow("[bold]worker[/] --join HOST:PORT", "run a sweep's runs for a coordinator (lab run FILE --cluster-listen PORT)");
        t.AddRow("[bold]query[/] \"SQL\"", "SQL (DuckDB) over every results folder under results/; --schema lists the tables");
        c.Write(t);
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml --set chain.nodes=64 --seed 7 --parallel 2");
        c.WriteLine("  lab validate scenarios/demo/*.yaml");
        c.WriteLine("  lab verify");
        c.WriteLine("  lab list networks");
        c.WriteLine();
        ExitCodes(c);
        c.WriteLine();
        c.WriteLine("Run 'lab <command> --help' for a command's options. Key reference: scenarios/README.md.");
    }

    /// <summary>The exit codes, as <see cref="ExitCode"/> defines them.</summary>
    public static void ExitCodes(IAnsiConsole c)
    {
        c.MarkupLine("[bold]Exit codes:[/]");
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow(ExitCode.Ok.ToString(System.Globalization.CultureInfo.InvariantCulture), "done");
        t.AddRow(ExitCode.RunFailed.ToString(System.Globalization.CultureInfo.InvariantCulture), "a run failed, a check missed (verify), or results could not be written once runs had started (finished runs are kept)");
        t.AddRow(ExitCode.Invalid.ToString(System.Globalization.CultureInfo.InvariantCulture), "bad command line, invalid experiment, or a results folder that cannot be made or resumed: nothing ran");
        t.AddRow(ExitCode.SafetyViolated.ToString(System.Globalization.CultureInfo.InvariantCulture), "a run violated safety that the experiment expects to hold");
        t.AddRow(ExitCode.Cancelled.ToString(System.Globalization.CultureInfo.InvariantCulture), "interrupted by Ctrl-C, SIGTERM or SIGHUP: every finished run is kept; lab run --resume DIR finishes it");
        c.Write(t);
    }

    private static void Limits(IAnsiConsole c)
    {
        c.WriteLine("Limits on what is read (each error that hits one says which): --limit NAME=N raises one.");
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        foreach (var (name, meaning) in Lab.Experiments.Validation.InputLimits.Names) t.AddRow("  " + name, meaning);
        c.Write(t);
    }

    public static void Run(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab run[/] FILE [[--set key=value]]... [[--seed N]] [[--out DIR]] [[--parallel N [[--in-process]]]] [[--limit NAME=N]]... [[--quiet]]");
        c.MarkupLine("[bold]lab run --resume[/] DIR [[--parallel N]] [[--quiet]]");
        c.WriteLine();
        c.WriteLine("Validates FILE, makes DIR/<experiment>/<run-id>-incomplete/ (DIR defaults to ./results) before");
        c.WriteLine("anything runs, keeps each run in its runs/ the moment it finishes, and when all have finished writes");
        c.WriteLine("summary.json, metrics/, charts and report.html and renames the folder to <run-id>. The folder's path");
        c.WriteLine("is the last line printed. Interrupted (Ctrl-C, SIGTERM, SIGHUP), killed, or out of disk, the folder");
        c.WriteLine("keeps every finished run; --resume DIR runs only the missing ones, with the same experiment file,");
        c.WriteLine("--set values and lab build (it refuses if any of them changed), and the result is byte-identical.");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--set key=value", "override any key (repeatable); values are YAML: --set outputs.charts=[[a,b]]");
        t.AddRow("--seed N", "root seed (same as --set seed=N)");
        t.AddRow("--out DIR", "write under DIR instead of ./results");
        t.AddRow("--parallel N", $"runs at once (default: the number of cores, here {Environment.ProcessorCount}); results are identical for any N;\n2 or more at once run in child processes (one heap each: they do not pause for each other's garbage collections)");
        t.AddRow("--in-process", "keep parallel runs on threads of this one process instead");
        t.AddRow("--resume DIR", "finish the interrupted or crashed results folder DIR (no FILE, --set, --seed or --out)");
        t.AddRow("--limit NAME=N", "raise a limit on what is read (see below)");
        t.AddRow("--quiet", "no progress, only errors and the results folder");
        t.AddRow("--cluster-listen PORT", "hand the runs to worker processes (lab worker --join HOST:PORT) instead of this machine's cores; same results");
        t.AddRow("--cluster HOST:PORT", "the same, joining a cluster whose seed is at HOST:PORT; --cluster-host ADDR (default 127.0.0.1), --cluster-workers N (hand out no run before N workers joined; default 1), --secret-file PATH (else LAB_CLUSTER_SECRET), --cluster-config FILE (HOCON)");
        c.Write(t);
        c.WriteLine();
        Limits(c);
        c.WriteLine();
        ExitCodes(c);
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml --set chain.nodes=16 --set workload.arrivals=200/s");
        c.WriteLine("  lab run my.yaml --seed 42 --out /tmp/results --parallel 1 --quiet");
        c.WriteLine("  lab run --resume results/my-sweep/20260102-030405-seed42-incomplete");
    }

    public static void Validate(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab validate[/] FILE... [[--set key=value]]... [[--limit NAME=N]]...");
        c.WriteLine();
        c.WriteLine("Checks each file (syntax, keys, types, units and ranges, presets, traces and CDFs line by line,");
        c.WriteLine("cross-field rules, fault targets) and prints every problem as file:line:col: key: message (a problem");
        c.WriteLine("inside a preset or a trace at its own line). Exit 0 if all are valid, else 2.");
        c.WriteLine();
        Limits(c);
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab validate scenarios/demo/gossip.yaml");
        c.WriteLine("  lab validate scenarios/*/*.yaml");
    }

    public static void Verify(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab verify[/] [[FILE|FOLDER...]] [[--full]] [[--parallel N]]");
        c.WriteLine();
        c.WriteLine("Runs experiment files that carry a verify: section (each check: a metric, a statistic, the");
        c.WriteLine("expected value, a tolerance and its source) and prints a pass/fail table per file. Without");
        c.WriteLine("arguments: the quick set of scenarios/validation/ (what CI runs); --full adds the files marked");
        c.WriteLine("'suite: full'. A file named on the command line always runs. Nothing is written under results/.");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--full", "also run the large, full-only files of a folder");
        t.AddRow("--parallel N", $"runs at once (default: the number of cores, here {Environment.ProcessorCount}); results are identical for any N");
        c.Write(t);
        c.WriteLine();
        c.WriteLine("Exit codes: 0 every check passed, 1 a check missed or a run failed, 2 invalid file or check, 130 interrupted.");
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab verify");
        c.WriteLine("  lab verify --full");
        c.WriteLine("  lab verify scenarios/validation/pbft-exact.yaml");
    }

    public static void Fuzz(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab fuzz[/] --protocol P[[,P...]] [[--runs N]] [[--seed S]] [[--beyond]] [[--budget TIME]] [[--parallel N]] [[--out DIR]] [[--shrink-runs N | --no-shrink]] [[--quiet]]");
        c.WriteLine();
        c.WriteLine("Swarm testing: run r draws its whole configuration from (protocol, seed, r): node count, network");
        c.WriteLine("(latency, jitter, loss, duplication, reordering), client load, block cutting, the protocol's timeouts,");
        c.WriteLine("Byzantine replicas and a fault schedule (crashes of nodes or the leader, pauses, partitions, cut links,");
        c.WriteLine("loss bursts, latency spikes, slow nodes, restarts that wipe the disk). Each is an ordinary experiment");
        c.WriteLine("file, run and judged by its checkers: safety, validity, and liveness once the faults end (everything");
        c.WriteLine("submitted before the last fault ends is final within a stated bound, expect.liveness). Within the");
        c.WriteLine("tolerance every failure is a bug; --beyond draws beyond it (more than f colluding Byzantine replicas,");
        c.WriteLine("lost disks), where safety violations are the result and the hit rate is reported.");
        c.WriteLine("Each failure prints the line that reproduces it (lab replay P:S:RUN); the first is shrunk (fewer faults,");
        c.WriteLine("nodes, clients, a shorter run, a plainer network) and written as an experiment file under DIR.");
        c.WriteLine("Same seed, same runs and verdicts, at any --parallel.");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--protocol P", $"{string.Join(", ", Lab.Experiments.Fuzz.FuzzGenerator.Protocols)}; several separated by commas");
        t.AddRow("--runs N", "runs per protocol (default 100)");
        t.AddRow("--seed S", "the campaign's seed (default 1)");
        t.AddRow("--beyond", "draw beyond the fault tolerance: find violations and report how many runs it took");
        t.AddRow("--budget TIME", "wall-clock time for all protocols (e.g. 90s); no new run starts after it, runs under way finish");
        t.AddRow("--parallel N", $"runs at once (default: the number of cores, here {Environment.ProcessorCount})");
        t.AddRow("--out DIR", "where failing and shrunk configurations are written (default results/fuzz)");
        t.AddRow("--shrink-runs N", "most runs spent shrinking the first failure (default 150); --no-shrink: none");
        c.Write(t);
        c.WriteLine();
        c.WriteLine("Exit codes: 0 no failure (or --beyond), 1 a run crashed, 3 a violation within the tolerance, 130 interrupted.");
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab fuzz --protocol pbft --runs 500 --seed 7");
        c.WriteLine("  lab fuzz --protocol raft,solo,pbft,hotstuff --budget 10min --parallel 1");
        c.WriteLine("  lab fuzz --protocol pbft --beyond --runs 100");
    }

    public static void Replay(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab replay[/] P:SEED:RUN [[--beyond]] [[--out DIR]] [[--trace FILE]]");
        c.MarkupLine("[bold]lab replay[/] FILE [[--trace FILE]]");
        c.WriteLine();
        c.WriteLine("Draws run RUN of 'lab fuzz --protocol P --seed SEED' again (add --beyond if it was drawn beyond the");
        c.WriteLine("tolerance), writes it as an experiment file under DIR (default results/fuzz) and runs that file exactly as");
        c.WriteLine("lab run would, printing a timeline: faults, nodes going down, up and paused, leaders and views, every");
        c.WriteLine("replica's committed height once per virtual second, the checkers' findings; then the verdict. With a");
        c.WriteLine("FILE (a shrunk configuration) it runs and traces that file. --trace FILE writes the timeline there.");
        c.WriteLine();
        c.WriteLine("Exit codes: 0 passed (or a violation the file expects), 1 the run crashed, 2 invalid, 3 a violation.");
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab replay pbft:7:123");
        c.WriteLine("  lab replay results/fuzz/fuzz-pbft-7-123-shrunk.yaml");
    }

    public static void List(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab list[/] [[protocols|scenarios|networks|distributions|metrics]]");
        c.WriteLine();
        c.WriteLine("Without an argument, lists everything.");
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab list");
        c.WriteLine("  lab list networks");
    }

    public static void Query(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab query[/] \"SQL\" [[--results DIR]] [[--csv | --json]] [[--max-rows N]] | lab query --schema");
        c.WriteLine();
        c.WriteLine("Runs one SQL statement (DuckDB, embedded: no server) over every results folder under results/");
        c.WriteLine("(results/<experiment>/<run-id>/). Tables: experiments (one row per folder), metrics (per-run value of");
        c.WriteLine("every metric), series, samples, faults, findings, points; every table but experiments starts with");
        c.WriteLine("experiment and run_id. They read each folder's metrics/*.parquet (the CSVs for older folders).");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--results DIR", "the results root (default results)");
        t.AddRow("--csv, --json", "write every row as CSV or a JSON array instead of a table");
        t.AddRow("--max-rows N", "rows shown in the table (default 200; --csv and --json write all)");
        t.AddRow("--schema", "list the tables and their columns");
        c.Write(t);
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab query \"select experiment, variant, avg(value) from metrics where metric = 'throughput_tps' group by all\"");
        c.WriteLine("  lab query \"select run_id, variant, metric, value from metrics where experiment = 't1-vs-onchain'\" --csv");
        c.WriteLine("  lab query --schema");
    }
}
