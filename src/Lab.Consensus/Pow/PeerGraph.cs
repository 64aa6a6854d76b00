using Lab.Sim.Randomness;

namespace Lab.Consensus.Pow;

/// <summary>
/// The undirected random peer graph: each node opens <c>OutDegree</c> links to distinct random
/// peers (Bitcoin Core's 8 outbound), refusing peers already at <c>MaxPeers</c> (its 125 inbound
/// limit). Built from its own seeded stream, so the same seed gives the same graph.
/// </summary>
public sealed class PeerGraph
{
    private readonly int[][] _peers;

    private PeerGraph(int[][] peers) => _peers = peers;

    public int Count => _peers.Length;
    public IReadOnlyList<int> PeersOf(int node) => _peers[node];
    /// <summary><see cref="PeersOf"/> as a span, for per-block fan-outs (no enumerator, no interface calls).</summary>
    public ReadOnlySpan<int> Neighbours(int node) => _peers[node];
    /// <summary>Position of <paramref name="peer"/> in <paramref name="node"/>'s sorted peer list, or −1.</summary>
    public int IndexOfPeer(int node, int peer) => Math.Max(-1, Array.BinarySearch(_peers[node], peer));
    public long Links => _peers.Sum(p => (long)p.Length) / 2;

    public static PeerGraph FullMesh(int n) =>
        new(Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Where(j => j != i).ToArray()).ToArray());

    public static PeerGraph Random(int n, PowOptions o, SimRandom rng) =>
        Random(n, o.MaxPeers, rng, _ => o.OutDegree);

    /// <summary>
    /// SimBlock's graph (<c>node/routing/BitcoinCoreTable.initTable</c>): node i, in order, opens
    /// <paramref name="outbound"/>[i] links to distinct random nodes it is not linked with yet, with no
    /// limit on inbound links.
    /// </summary>
    public static PeerGraph Random(int n, IReadOnlyList<int> outbound, SimRandom rng) =>
        Random(n, int.MaxValue, rng, i => outbound[i]);

    private static PeerGraph Random(int n, int maxPeers, SimRandom rng, Func<int, int> outboundOf)
    {
        var adj = new List<int>[n];
        for (int i = 0; i < n; i++) adj[i] = [];
        var links = new HashSet<long>();
        for (int i = 0; i < n; i++)
        {
            var want = Math.Min(outboundOf(i), n - 1);
            int made = 0, tries = 0;
            while (made < want && tries < 50 * want)
            {
                tries++;
                var j = rng.Next(n - 1);
                if (j >= i) j++;
                if (adj[i].Count >= maxPeers) break;
                if (adj[j].Count >= maxPeers) continue;
                var key = (long)Math.Min(i, j) * n + Math.Max(i, j);
                if (!links.Add(key)) continue;
                adj[i].Add(j);
                adj[j].Add(i);
                made++;
            }
        }
        // Sorted adjacency: relay order never depends on construction order.
        return new PeerGraph(adj.Select(a => a.Order().ToArray()).ToArray());
    }
}
