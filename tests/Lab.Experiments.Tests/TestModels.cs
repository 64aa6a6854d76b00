using Lab.Consensus.Common;
using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Sim.Nodes;

namespace Lab.Experiments.Tests;

/// <summary>Stand-ins for models other issues provide, so rules such as n ≥ 3f+1 can be tested now.</summary>
public static class TestModels
{
    public static ModelRegistry Registry { get; } = ModelRegistry.Default.With(new StubBft());

    /// <summary>A Byzantine-tolerant protocol that does nothing: enough for validation rules.</summary>
    public sealed class StubBft : IModel
    {
        public string Name => "test-bft";
        public ModelKind Kind => ModelKind.Protocol;
        public string Description => "test stand-in for a BFT protocol";
        public IReadOnlyList<SchemaKey> Keys => [];
        public FaultTolerance Tolerance => FaultTolerance.Byzantine;
        public IReadOnlyList<string> ByzantineBehaviours => ["equivocate"];

        public World Build(RunContext context)
        {
            var world = new World();
            for (int i = 0; i < context.Config.Int("chain.nodes"); i++) world.Nodes.Add(new($"n{i}", context.RegionOf(i), "replica", () => new Idle()));
            return world;
        }
    }

    private sealed class Idle : INodeBehaviour
    {
        public void OnStart(INodeContext ctx) { }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
        public void OnTimer(INodeContext ctx, object state) { }
    }

    public static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Lab.sln"))) return d.FullName;
        throw new InvalidOperationException("Lab.sln not found above " + AppContext.BaseDirectory);
    }
}
