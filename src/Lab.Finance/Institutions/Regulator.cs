using Lab.Finance.Securities;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>The regulator: receives every report, sends nothing but acknowledgements. On chain it also runs a replica (reads everything) and holds a read-only identity.</summary>
public sealed class Regulator : INodeBehaviour
{
    private readonly ReliableLink _link = new("regulator.link");
    private List<RegulatoryReport> _reports = [];
    public IReadOnlyList<RegulatoryReport> Reports => _reports;

    public void OnStart(INodeContext ctx)
    {
        _reports = ctx.Storage.GetOrAdd("regulator.reports", () => new List<RegulatoryReport>());
        _link.Start(ctx);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is not RegulatoryReport r) return;
        _reports.Add(r);
        ctx.Metrics.Add(SecuritiesMetrics.RegulatorReports);
    }

    public void OnTimer(INodeContext ctx, object state) => _link.TryTimer(ctx, state);
}
