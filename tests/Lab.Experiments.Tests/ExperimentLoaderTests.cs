using Lab.Experiments.Validation;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Tests;

public class ExperimentLoaderTests
{
    private static Experiment Load(string yaml, params string[] sets)
    {
        var dir = Directory.CreateTempSubdirectory("lab-exp").FullName;
        var file = Path.Combine(dir, "e.yaml");
        File.WriteAllText(file, yaml);
        var d = new Diagnostics();
        var e = new ExperimentLoader(TestModels.Registry).Load(file, sets, d);
        Directory.Delete(dir, true);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        return e!;
    }

    private const string Base = "name: t\nchain: { protocol: gossip, nodes: 4 }\nduration: 10s\n";

    [Fact]
    public void Defaults_fill_keys_that_are_not_written()
    {
        var e = Load(Base);
        var c = e.Points.Single().Config;
        Assert.Equal(Duration.FromMillis(100), c.Time("chain.block.timeout"));
        Assert.Equal(4, c.Int("chain.gossip.fanout"));
        Assert.Equal(1UL, e.Seed);
        Assert.Contains("fanout: 4", e.ResolvedYaml);
    }

    [Fact]
    public void Set_overrides_the_file_and_dotted_keys_equal_nested_ones()
    {
        var e = Load(Base + "chain.gossip.fanout: 3\n", "chain.nodes=16", "seed=9");
        var c = e.Points.Single().Config;
        Assert.Equal(16, c.Int("chain.nodes"));
        Assert.Equal(3, c.Int("chain.gossip.fanout"));
        Assert.Equal(9UL, e.Seed);
    }

    [Fact]
    public void Variants_times_sweep_points_expand_in_order_and_share_seeds()
    {
        var e = Load(Base + "replications: 2\nvariants:\n  wide: { chain.gossip.fanout: 8 }\n  narrow: { chain.gossip.fanout: 2 }\nsweep:\n  chain.nodes: [4, 8, 16]\n");
        Assert.Equal(6, e.Points.Count);
        Assert.Equal(["wide", "wide", "wide", "narrow", "narrow", "narrow"], e.Points.Select(p => p.Variant));
        Assert.Equal([4, 8, 16, 4, 8, 16], e.Points.Select(p => p.Config.Int("chain.nodes")));
        Assert.Equal(8, e.Points[0].Config.Int("chain.gossip.fanout"));
        var runs = e.Runs;
        Assert.Equal(12, runs.Count);
        Assert.Equal(runs[0].Seed, runs[2].Seed);
        Assert.NotEqual(runs[0].Seed, runs[1].Seed);
        Assert.Equal(["chain.nodes"], e.SweepAxes);
    }

    [Fact]
    public void Zip_pairs_axes_instead_of_multiplying_them()
    {
        var e = Load(Base + "sweep:\n  zip:\n    chain.nodes: [4, 8]\n    chain.gossip.fanout: [2, 3]\n  workload.arrivals: [10/s, 20/s]\n");
        Assert.Equal(4, e.Points.Count);
        Assert.Equal([(4, 2), (4, 2), (8, 3), (8, 3)], e.Points.Select(p => (p.Config.Int("chain.nodes"), p.Config.Int("chain.gossip.fanout"))));
    }

    [Fact]
    public void Presets_load_by_name_and_inline_keys_override_them()
    {
        var e = Load(Base + "network:\n  preset: bitcoin-2019\n  inter-region: 10Mbps\n");
        var c = e.Points.Single().Config;
        Assert.Equal(6, c.Get<List<object>>("network.regions").Count);
        Assert.Equal(Bandwidth.Mbps(10), c.Get<Bandwidth>("network.inter-region"));
        var spec = Network.NetworkBuilder.Build(c, new Diagnostics())!;
        Assert.Equal(Duration.FromMillis(124), spec.BaseLatency[0][1]);
        Assert.Equal(Bandwidth.Mbps(19.2), spec.Upload![0]);
    }

    [Fact]
    public void Rtt_presets_are_halved_into_one_way_latency()
    {
        var e = Load(Base + "network: { preset: aws-3-regions }\n");
        var spec = Network.NetworkBuilder.Build(e.Points.Single().Config, new Diagnostics())!;
        Assert.Equal(Duration.FromMillis(94.5), spec.BaseLatency[0][1]);
    }

    [Fact]
    public void Every_network_preset_is_valid()
    {
        var dir = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "presets", "networks");
        foreach (var f in Directory.GetFiles(dir, "*.yaml"))
            Load(Base + $"network: {{ preset: {Path.GetFileNameWithoutExtension(f)} }}\n");
    }

    [Fact]
    public void Distributions_may_be_written_as_calls_inside_flow_mappings()
    {
        var e = Load(Base + "network: { latency: uniform(5ms, 15ms), jitter: lognormal(median: 1ms, sigma: 0.5) }\n");
        Assert.Equal(new Lab.Sim.Distributions.Uniform(0.005, 0.015), e.Points.Single().Config.Distribution("network.latency"));
    }

    [Fact]
    public void The_dry_build_checks_node_names_and_a_worker_that_skips_it_plans_the_same_points()
    {
        var dir = Directory.CreateTempSubdirectory("lab-exp").FullName;
        var file = Path.Combine(dir, "e.yaml");
        // Only the dry build knows the node names: n9 is not one of 4 replicas.
        File.WriteAllText(file, "name: t\nchain: { protocol: test-bft, nodes: 4 }\nbyzantine:\n  - { nodes: [n9], behaviour: equivocate }\nreplications: 3\nvariants:\n  a: { duration: 10s }\n  b: { duration: 20s }\n");
        var checkedInFull = new Diagnostics();
        var counted = new List<long>();
        Assert.Null(new ExperimentLoader(TestModels.Registry) { Counted = counted.Add }.Load(file, [], checkedInFull));
        Assert.Contains(checkedInFull.Sorted(), e => e.ToString().Contains("no node named 'n9'", StringComparison.Ordinal));
        Assert.Equal([6L], counted);   // told before the points were checked

        var worker = new Diagnostics();
        var e = new ExperimentLoader(TestModels.Registry) { DryBuild = false }.Load(file, [], worker);
        Directory.Delete(dir, true);
        Assert.True(e is not null, string.Join("\n", worker.Sorted()));
        Assert.Equal(6, e!.Runs.Count);
        Assert.Equal(["a", "b"], e.Points.Select(p => p.Variant));
    }

    [Fact]
    public void Expecting_a_violation_lifts_the_bft_tolerance_rule()
    {
        var e = Load("name: t\nchain: { protocol: test-bft, nodes: 4 }\nbyzantine:\n  - { nodes: [n0, n1], behaviour: equivocate }\nexpect: { safety: violated }\n");
        Assert.Equal("violated", e.ExpectedSafety);
    }

    [Fact]
    public void Every_ready_scenario_file_is_valid()
    {
        var root = Path.Combine(TestModels.RepositoryRoot(), "scenarios");
        foreach (var f in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Where(f => !f.Contains("presets")))
        {
            var d = new Diagnostics();
            Assert.True(new ExperimentLoader(Models.ModelRegistry.Default).Load(f, [], d) is not null, string.Join("\n", d.Sorted()));
        }
    }

    [Fact]
    public void Resolved_yaml_is_itself_a_valid_experiment_that_resolves_to_the_same_text()
    {
        var demo = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "demo", "gossip.yaml");
        var first = Load(File.ReadAllText(demo) + "variants:\n  a: { chain.gossip.fanout: 2 }\n  b:\nsweep:\n  zip: { chain.nodes: [6, 12] }\n", "outputs.charts=[latency-cdf, throughput-vs-nodes]");
        var again = Load(first.ResolvedYaml);
        Assert.Equal(first.ResolvedYaml, again.ResolvedYaml);
        Assert.Contains("partition: [hong-kong]", first.ResolvedYaml);
        Assert.Contains("jitter: uniform(0ms, 5ms)", first.ResolvedYaml);
    }

    [Fact]
    public void Placement_cycles_through_the_listed_regions()
    {
        var e = Load(Base + "chain.placement: [frankfurt, us-east]\nnetwork.preset: aws-3-regions\n");
        var c = e.Points.Single().Config;
        var ctx = new Models.RunContext { Config = c, Seed = 1, Network = Network.NetworkBuilder.Build(c, new Diagnostics())!, Registry = TestModels.Registry };
        Assert.Equal([1, 2, 1, 2], Enumerable.Range(0, 4).Select(ctx.RegionOf));
        var world = new Models.GossipModel().Build(ctx);
        Assert.Equal([1, 2, 1, 2], world.Nodes.Select(n => n.Region));
        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(ctx.ClientRegionOf));
    }
}

public class WorkloadConfigTests
{
    [Fact]
    public void The_bursty_profile_builds_bursts_at_the_written_rate_on_top_of_the_base_rate()
    {
        var dir = Directory.CreateTempSubdirectory("lab-burst").FullName;
        try
        {
            var file = Path.Combine(dir, "e.yaml");
            File.WriteAllText(file, "name: b\nduration: 10s\nchain: { protocol: pbft, nodes: 4 }\nworkload: { rate: 100/s, profile: bursty, burst: { rate: 900/s, every: 10s, for: 1s } }\n");
            var d = new Diagnostics();
            var e = new ExperimentLoader(Lab.Experiments.Models.ModelRegistry.Default).Load(file, [], d);
            Assert.True(e is not null, string.Join("\n", d.Sorted()));
            var context = new Lab.Experiments.Models.RunContext
            {
                Config = e!.Points[0].Config, Seed = 1, Network = new NetworkSpec(), Registry = Lab.Experiments.Models.ModelRegistry.Default,
            };
            var arrivals = Assert.IsType<Lab.Consensus.Workload.BurstyArrivals>(Lab.Experiments.Models.ChainConfig.Workload(context).Arrivals);
            Assert.Equal(new Lab.Consensus.Workload.BurstyArrivals(100, 900, Duration.FromSeconds(10), Duration.FromSeconds(1)), arrivals);
            Assert.Equal(180, arrivals.MeanRatePerSecond, 9);
        }
        finally { Directory.Delete(dir, true); }
    }
}
