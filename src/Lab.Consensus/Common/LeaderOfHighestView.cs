using Lab.Sim.Faults;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// Fault target "leader"/"primary" for protocols whose leader is a function of the view (PBFT's primary
/// v mod n, HotStuff's round-robin leader): the designated leader of the highest view any running
/// replica is in, whether or not it has taken office yet. Resolved when the fault fires.
/// </summary>
public static class LeaderOfHighestView
{
    /// <param name="leaderOf">Replica identity leading a view, given the view and the number of identities.</param>
    public static NodeSelector Selector(string word, Func<long, int, int> leaderOf) => new DynamicNodes(word, view =>
    {
        var identities = 0;
        long best = -1;
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.BehaviourOf(node) is not ILeaderRole role) continue;
            // Twins (n0-twin) share their replica's identity: they are not another identity.
            if (view.Directory.Name(node).EndsWith(ChainWorld.TwinSuffix, StringComparison.Ordinal)) continue;
            identities++;
            if (view.StateOf(node) == NodeState.Up) best = Math.Max(best, role.Term);
        }
        return best < 0 || identities == 0 ? [] : [new NodeId(leaderOf(best, identities))];
    });
}
