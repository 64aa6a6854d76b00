using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>The regulator: receives every report, sends nothing. On chain it also runs a replica (reads everything) and holds a read-only identity.</summary>
public sealed class Regulator : INodeBehaviour
{
    private readonly List<RegulatoryReport> _reports = [];
    public IReadOnlyList<RegulatoryReport> Reports => _reports;

    public void OnStart(INodeContext ctx) { }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not RegulatoryReport r) return;
        _reports.Add(r);
        ctx.Metrics.Add("regulator_reports");
    }

    public void OnTimer(INodeContext ctx, object state) { }
}
