using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

public class PlacementTests
{
    [Theory]
    [InlineData("pbft")]
    [InlineData("hotstuff")]
    [InlineData("raft")]
    public void Replicas_follow_chain_placement_and_clients_follow_their_regions(string protocol)
    {
        var dir = Directory.CreateTempSubdirectory("lab-placement-");
        try
        {
            var file = Path.Combine(dir.FullName, "p.yaml");
            File.WriteAllText(file, $"""
                name: placement
                network: {"{"} preset: aws-3-regions {"}"}
                chain: {"{"} protocol: {protocol}, nodes: 4, placement: [frankfurt, us-east] {"}"}
                workload: {"{"} clients: {"{"} count: 3, regions: [hong-kong] {"}"} {"}"}
                """);
            var d = new Diagnostics();
            var run = (new ExperimentLoader(ModelRegistry.Default).Load(file, [], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()))).Runs[0];
            var network = NetworkBuilder.Build(run.Point.Config, d)!;
            var world = run.Point.Model.Build(new RunContext { Config = run.Point.Config, Seed = run.Seed, Network = network, Registry = ModelRegistry.Default, Protocol = run.Point.Protocol });
            string RegionOf(string node) => network.Regions[world.Nodes.Single(n => n.Name == node).Region];
            Assert.Equal(["frankfurt", "us-east", "frankfurt", "us-east"], new[] { "n0", "n1", "n2", "n3" }.Select(RegionOf));
            Assert.All(new[] { "c0", "c1", "c2" }, c => Assert.Equal("hong-kong", RegionOf(c)));
        }
        finally { dir.Delete(recursive: true); }
    }
}
