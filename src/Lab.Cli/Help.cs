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
        t.AddRow("[bold]validate[/] FILE...", "check experiment files without running them (exit 0 or 2)");
        t.AddRow("[bold]verify[/] [[FILE...]]", "reproduce published and closed-form results (scenarios/validation/); exit 1 on any miss");
        t.AddRow("[bold]list[/] [[what]]", "list protocols, scenarios, networks, distributions or metrics");
        c.Write(t);
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml --set chain.nodes=64 --seed 7 --parallel 2");
        c.WriteLine("  lab validate scenarios/demo/*.yaml");
        c.WriteLine("  lab verify");
        c.WriteLine("  lab list networks");
        c.WriteLine();
        c.WriteLine("Run 'lab <command> --help' for a command's options. Key reference: scenarios/README.md.");
    }

    public static void Run(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab run[/] FILE [[--set key=value]]... [[--seed N]] [[--out DIR]] [[--parallel N]] [[--quiet]]");
        c.WriteLine();
        c.WriteLine("Validates FILE, runs every variant × sweep point × replication, and writes");
        c.WriteLine("DIR/<experiment>/<run-id>/ (DIR defaults to ./results). The folder's path is the last line printed.");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--set key=value", "override any key (repeatable); values are YAML: --set outputs.charts=[[a,b]]");
        t.AddRow("--seed N", "root seed (same as --set seed=N)");
        t.AddRow("--out DIR", "write under DIR instead of ./results");
        t.AddRow("--parallel N", $"runs at once (default: the number of cores, here {Environment.ProcessorCount}); results are identical for any N");
        t.AddRow("--quiet", "no progress, only errors and the results folder");
        c.Write(t);
        c.WriteLine();
        c.WriteLine("Exit codes: 0 done, 1 a run failed, 2 invalid experiment or options, 3 unexpected safety violation, 130 interrupted.");
        c.WriteLine();
        c.MarkupLine("[bold]Examples:[/]");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml");
        c.WriteLine("  lab run scenarios/demo/gossip.yaml --set chain.nodes=16 --set workload.arrivals=200/s");
        c.WriteLine("  lab run my.yaml --seed 42 --out /tmp/results --parallel 1 --quiet");
    }

    public static void Validate(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab validate[/] FILE... [[--set key=value]]...");
        c.WriteLine();
        c.WriteLine("Checks each file (syntax, keys, types, units, presets, cross-field rules, fault targets)");
        c.WriteLine("and prints every problem as file:line:col: key: message. Exit 0 if all are valid, else 2.");
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
}
