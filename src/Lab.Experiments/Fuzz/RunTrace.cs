using System.Globalization;
using System.Text;
using Lab.Consensus.Common;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// A readable timeline of one run, for <c>lab replay</c>: faults as the kernel applied them (with the nodes each
/// hit), nodes going down, coming back (a restart is a new behaviour instance) and pausing, replicas taking and
/// losing the lead (Raft term, BFT view), every replica's committed height once per virtual second while it
/// changes, and the checkers' findings. Watches between windows like the checkers, so it changes nothing in the run.
/// </summary>
public sealed class RunTrace : ISimulationObserver
{
    private readonly List<(SimTime At, int Order, string Kind, string Text)> _lines = [];
    private NodeState[] _state = [];
    private INodeBehaviour?[] _instance = [];
    private (bool Leads, long Term)[] _lead = [];
    private int[] _height = [];
    private string _lastHeights = "";
    private long _nextHeightsAt;
    private int _order;

    /// <summary>Most lines kept; a longer trace ends with a count of what was left out.</summary>
    public const int MaxLines = 5000;

    public void OnBarrier(ISimulationView view)
    {
        var n = view.Directory.Count;
        if (_state.Length != n)
        {
            _state = new NodeState[n];
            _instance = new INodeBehaviour?[n];
            _lead = new (bool, long)[n];
            _height = new int[n];
        }
        for (int i = 0; i < n; i++)
        {
            var node = new NodeId(i);
            var name = view.Directory.Name(node);
            var state = view.StateOf(node);
            var behaviour = view.BehaviourOf(node);
            if (state != _state[i])
                Add(view.Now, "node", state switch
                {
                    NodeState.Down => $"{name} is down",
                    NodeState.Paused => $"{name} is paused",
                    _ => _state[i] == NodeState.Paused ? $"{name} resumes" : $"{name} is up again" + (ReferenceEquals(_instance[i], behaviour) ? "" : " (restarted)"),
                });
            _state[i] = state;
            _instance[i] = behaviour;
            if (state != NodeState.Up) continue;
            if (behaviour is ILeaderRole role)
            {
                var lead = (role.IsActingLeader, role.Term);
                if (lead != _lead[i])
                {
                    if (lead.IsActingLeader) Add(view.Now, "leader", $"{name} leads term/view {lead.Term}");
                    else if (_lead[i].Leads) Add(view.Now, "leader", $"{name} stops leading (now in term/view {lead.Term})");
                    _lead[i] = lead;
                }
            }
            if (behaviour is IReplica { Commits: { } log }) _height[i] = log.Count;
        }
        if (view.Now.Nanos >= _nextHeightsAt) Heights(view);
    }

    public void OnEnd(ISimulationView view)
    {
        OnBarrier(view);
        _lastHeights = "";
        Heights(view);
    }

    private void Heights(ISimulationView view)
    {
        var text = string.Join(" ", Enumerable.Range(0, _height.Length)
            .Where(i => view.Directory[new NodeId(i)].Kind == ChainWorld.ReplicaKind)
            .Select(i => $"{view.Directory.Name(new NodeId(i))}={_height[i]}"));
        if (text.Length > 0 && text != _lastHeights) Add(view.Now, "heights", text);
        _lastHeights = text;
        _nextHeightsAt = (view.Now.Nanos / 1_000_000_000 + 1) * 1_000_000_000;
    }

    private void Add(SimTime at, string kind, string text) => _lines.Add((at, _order++, kind, text));

    /// <summary>The timeline with the run's faults and findings merged in, one event per line, in time order.</summary>
    public string Format(RunStats stats, RunMetrics metrics)
    {
        var lines = new List<(SimTime At, int Order, string Kind, string Text)>(_lines);
        foreach (var f in stats.Faults)
        {
            lines.Add((f.Start, -2, "fault", f.Description + (f.End is { } e && e != f.Start ? $" (until {e})" : "")));
            if (f.End is { } end && end != f.Start) lines.Add((end, -1, "fault", "ends: " + f.Description));
        }
        foreach (var finding in metrics.Findings.Where(x => x.Kind != "leader"))
            lines.Add((finding.At, int.MaxValue, finding.Kind, finding.Text));
        lines.Sort((a, b) => a.At.Nanos != b.At.Nanos ? a.At.Nanos.CompareTo(b.At.Nanos) : a.Order.CompareTo(b.Order));
        var sb = new StringBuilder();
        foreach (var (at, _, kind, text) in lines.Take(MaxLines))
            sb.Append(at.Seconds.ToString("0.000000", CultureInfo.InvariantCulture).PadLeft(12)).Append("s  ").Append(kind.PadRight(9)).Append(text).Append('\n');
        if (lines.Count > MaxLines) sb.Append($"… {lines.Count - MaxLines} more line(s)\n");
        return sb.ToString();
    }
}
