using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Models;
using Lab.Sim.Randomness;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// Draws a whole configuration from (protocol, seed, run): node count, network (latency, jitter, loss,
/// duplication, reordering), client load (open or closed loop), block cutting, the protocol's own timeouts,
/// Byzantine replicas and a fault schedule (crashes of named nodes or the leader, pauses, partitions, cut links,
/// loss bursts, latency spikes, slow nodes, restarts that wipe the disk), in the style of TigerBeetle's VOPR:
/// one generator, every dimension at once, the run number alone reproducing it.
/// <para>Within the tolerance (the default) the faults stay inside what the protocol promises to survive:
/// crash faults, omissions, delays and partitions of any size and number (safety never depends on them; every one
/// ends, so liveness is owed afterwards), plus at most f Byzantine replicas for PBFT and HotStuff, where a replica
/// that loses its disk counts as one of the f (it may contradict what it said before, Castro-Liskov §3).
/// Raft and the solo orderer assume stable storage (Raft §5, Figure 2), so they never lose a disk within it.</para>
/// <para>Beyond the tolerance (<c>--beyond</c>) it aims at breaking safety: more than f colluding Byzantine
/// replicas with the honest ones cut apart, or replicas that lose their disk (Raft, solo, BFT).</para>
/// </summary>
public static class FuzzGenerator
{
    /// <summary>The protocols it can draw for.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["raft", "solo", "pbft", "hotstuff"];

    public static FuzzCase Generate(ModelRegistry registry, string protocol, ulong seed, long run, bool beyond)
    {
        if (!Protocols.Contains(protocol) || registry.Find(ModelKind.Protocol, protocol) is not ChainModel model)
            throw new ArgumentException($"lab fuzz draws configurations for {string.Join(", ", Protocols)}, not '{protocol}'");
        var rng = SimRandom.Stream(seed, "fuzz." + protocol + (beyond ? ".beyond" : ""), run);
        var bft = model.Tolerance == FaultTolerance.Byzantine;

        int n = beyond
            ? protocol switch { "raft" => Pick(rng, 3, 3, 5), "solo" => Pick(rng, 2, 3, 4), _ => Pick(rng, 4, 4, 4, 5, 7) }
            : protocol switch { "raft" => Pick(rng, 1, 2, 3, 3, 3, 4, 5, 5, 5, 6, 7), "solo" => Pick(rng, 1, 2, 3, 4), _ => Pick(rng, 1, 2, 3, 4, 4, 4, 4, 5, 6, 7, 7, 10) };
        var f = model.Tolerance.Tolerated(n);

        // Network: one-way latency 1-60 ms, sometimes jitter, loss, duplication and reordering.
        var low = 1 + rng.Next(20);
        var high = rng.Chance(0.2) ? low : low + rng.Next(1, 31);
        var jitter = rng.Chance(0.3) ? 1 + rng.Next(20) : 0;
        var loss = rng.Chance(0.5) ? 0 : Math.Round(0.001 + rng.NextDouble() * 0.029, 4);
        var duplication = rng.Chance(0.8) ? 0 : Math.Round(0.001 + rng.NextDouble() * 0.019, 4);
        var fifo = !rng.Chance(0.2);

        var clients = 1 + rng.Next(4);
        var closed = rng.Chance(0.2);
        var rate = Math.Round(10 + rng.NextDouble() * 190);
        var maxTx = 1 + rng.Next(64);
        var batch = 1 + rng.Next(50);
        var settings = new List<KeyValuePair<string, string>>
        {
            new("workload.tx-size", (64 + rng.Next(961)).ToString(CultureInfo.InvariantCulture) + "B"),
            // Clients never give up (by default one does after 20 sends, redirects included, which a long election
            // burns in a second or two): a transaction owed to a client is then one the checker can ask about.
            new("workload.max-attempts", "1000000"),
        };
        var recovery = ProtocolSettings(rng, protocol, settings, maxOneWayMs: high + jitter);

        var byzantine = new List<FuzzByzantine>();
        var faults = new List<FuzzFault>();
        var t0 = 300 + rng.Next(1700);
        var span = 1000 + rng.Next(7000);
        var loadFor = t0 + rng.Next(span);
        var names = Enumerable.Range(0, n).Select(i => $"n{i}").ToList();
        if (bft)
        {
            var count = beyond ? Math.Min(n - 1, f + 1 + (rng.Chance(0.4) ? rng.Next(f + 1) : 0)) : (rng.Chance(0.4) ? 0 : rng.Next(f + 1));
            var behaviours = model.ByzantineBehaviours;
            var chosen = Shuffle(rng, names).Take(count).ToList();
            if (beyond && !chosen.Contains("n0") && rng.Chance(0.7)) chosen[0] = "n0"; // the first primary
            // Beyond: colluders share one attack, aimed at safety; within: each its own, anything goes.
            var shared = Pick(rng, [.. behaviours.Where(b => b is not ("silent" or "withhold" or "forge"))]);
            foreach (var node in chosen.Order(StringComparer.Ordinal))
            {
                var behaviour = beyond ? (rng.Chance(0.8) ? shared : Pick(rng, [.. behaviours])) : Pick(rng, [.. behaviours]);
                byzantine.Add(new FuzzByzantine(node, behaviour, Collude: count > 1 && rng.Chance(beyond ? 0.8 : 0.5)));
            }
        }
        var twins = byzantine.Where(b => b.Behaviour == "twin").Select(b => b.Node + ChainWorld.TwinSuffix).ToList();
        var amnesiaBudget = beyond ? n : bft ? f - byzantine.Count : 0;

        var faultCount = rng.Next(beyond ? 2 : 0, 9);
        for (int i = 0; i < faultCount; i++)
        {
            var at = t0 + rng.Next(span);
            var length = 100 + rng.Next(Math.Max(1, Math.Min(3000, t0 + span - at)));
            var kind = rng.Next(beyond ? 12 : 10);
            var subset = Subset(rng, names);
            switch (kind)
            {
                case 0:
                case 1:
                    faults.Add(new FuzzFault(at, length, "crash", [rng.Chance(0.3) ? ["leader"] : subset]));
                    break;
                case 2:
                    faults.Add(new FuzzFault(at, length, "pause", [subset]));
                    break;
                case 3:
                case 4:
                    faults.Add(new FuzzFault(at, length, "partition", Groups(rng, [.. names, .. twins], clients)));
                    break;
                case 5:
                    if (subset.Count < 2) subset = [.. names.Take(Math.Min(2, n))];
                    faults.Add(new FuzzFault(at, length, "cut", [subset]));
                    break;
                case 6:
                    faults.Add(new FuzzFault(at, length, "loss", [], $"{10 + rng.Next(81)}%"));
                    break;
                case 7:
                    faults.Add(new FuzzFault(at, length, "latency", [], $"{2 + rng.Next(19)}x"));
                    break;
                case 8:
                    faults.Add(new FuzzFault(at, length, "slow", [subset], $"{2 + rng.Next(19)}x"));
                    break;
                default:
                    // A restart that wipes the disk: within the tolerance only for a BFT replica that is not
                    // Byzantine already, one of the f.
                    var candidates = names.Where(x => byzantine.All(b => b.Node != x) && faults.All(g => g.Action != FuzzFault.Amnesia || !g.Nodes.Contains(x))).ToList();
                    if (amnesiaBudget <= 0 || candidates.Count == 0) { faults.Add(new FuzzFault(at, length, "crash", [subset])); break; }
                    amnesiaBudget--;
                    faults.Add(new FuzzFault(at, length, FuzzFault.Amnesia, [[Pick(rng, [.. candidates])]]));
                    break;
            }
        }
        if (beyond && bft && rng.Chance(0.7))
        {
            // The honest replicas cannot hear each other, while all hear the Byzantine ones (beyond-tolerance.yaml).
            var honest = names.Where(x => byzantine.All(b => b.Node != x)).ToList();
            if (honest.Count >= 2) faults.Add(new FuzzFault(t0, 2000 + rng.Next(span), "cut", [honest]));
        }
        if (beyond && !bft)
        {
            // Raft and solo: somebody always loses a disk (the orderer, for solo, most of the time).
            var node = protocol == "solo" && rng.Chance(0.8) ? "n0" : Pick(rng, [.. names]);
            faults.Add(new FuzzFault(t0 + rng.Next(span), 100 + rng.Next(1500), FuzzFault.Amnesia, [[node]]));
        }
        faults.Sort((a, b) => a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : 0);

        var retry = 200 + rng.Next(1300);
        // Blocks large enough that what piles up before the faults end drains in a few dozen decisions
        // (LivenessBound counts on it).
        var heal = Math.Max(loadFor, faults.Count == 0 ? 0 : faults.Max(x => x.EndMs));
        var backlog = closed ? clients * 8 : rate * heal / 1000.0;
        maxTx = Math.Max(maxTx, (int)Math.Ceiling(backlog / LivenessBound.BacklogBlocks));
        return new FuzzCase
        {
            Protocol = protocol,
            FuzzSeed = seed,
            Run = run,
            Beyond = beyond,
            Seed = SimRandom.DeriveSeed(seed, "fuzz.run", run) >> 1,
            Nodes = n,
            LatencyLowMs = low,
            LatencyHighMs = high,
            JitterMs = jitter,
            Loss = loss,
            Duplication = duplication,
            Fifo = fifo,
            Clients = clients,
            Rate = rate,
            Poisson = !rng.Chance(0.3),
            Outstanding = closed ? 1 + rng.Next(8) : null,
            RetryMs = retry,
            MaxTx = maxTx,
            BatchMs = batch,
            Settings = settings,
            RecoveryMs = recovery,
            Byzantine = byzantine,
            Faults = faults,
            LoadForMs = loadFor,
            TailMs = 3000,
        };
    }

    /// <summary>The protocol's own keys; returns the timeout recovery waits on (<see cref="FuzzCase.RecoveryMs"/>).</summary>
    private static long ProtocolSettings(SimRandom rng, string protocol, List<KeyValuePair<string, string>> settings, int maxOneWayMs)
    {
        void Set(string key, string value) => settings.Add(new(key, value));
        string Bool(bool b) => b ? "true" : "false";
        switch (protocol)
        {
            case "raft":
                // Raft §5.6: broadcast time ≪ election timeout, or no election ever completes; four round trips at least.
                var low = Math.Max(50 + rng.Next(251), 8 * maxOneWayMs);
                var high = low + low / 2 + rng.Next(low + 1);
                Set("chain.raft.election-timeout", $"uniform({low}ms, {high}ms)");
                Set("chain.raft.heartbeat", FuzzFault.Ms(Math.Max(5, low / (3 + rng.Next(4)))));
                Set("chain.raft.pre-vote", Bool(rng.Chance(0.5)));
                Set("chain.raft.check-quorum", Bool(rng.Chance(0.8)));
                Set("chain.raft.max-batch", (1 + rng.Next(16)).ToString(CultureInfo.InvariantCulture));
                Set("chain.raft.pipeline", (1 + rng.Next(8)).ToString(CultureInfo.InvariantCulture));
                return high;
            case "solo":
                var head = 50 + rng.Next(451);
                Set("chain.solo.head-interval", FuzzFault.Ms(head));
                Set("chain.solo.sync-batch", (1 + rng.Next(64)).ToString(CultureInfo.InvariantCulture));
                return head;
            case "pbft":
                var vc = 200 + rng.Next(1301);
                var checkpoint = 2 + rng.Next(63);
                Set("chain.pbft.view-change-timeout", FuzzFault.Ms(vc));
                Set("chain.pbft.checkpoint-interval", checkpoint.ToString(CultureInfo.InvariantCulture));
                Set("chain.pbft.watermark-window", (checkpoint * (2 + rng.Next(3))).ToString(CultureInfo.InvariantCulture));
                return vc;
            default:
                var view = 200 + rng.Next(1301);
                Set("chain.hotstuff.view-timeout", FuzzFault.Ms(view));
                Set("chain.hotstuff.two-chain", Bool(rng.Chance(0.5)));
                return view;
        }
    }

    /// <summary>Two or three groups of nodes; sometimes clients join a side (otherwise they reach every side).</summary>
    private static List<IReadOnlyList<string>> Groups(SimRandom rng, List<string> nodes, int clients)
    {
        var sides = 2 + (rng.Chance(0.3) ? 1 : 0);
        var groups = Enumerable.Range(0, sides).Select(_ => new List<string>()).ToList();
        foreach (var node in nodes) groups[rng.Next(sides)].Add(node);
        if (rng.Chance(0.15))
            for (int c = 0; c < clients; c++) groups[rng.Next(sides)].Add($"c{c}");
        // The last side is "everybody else": it is left out of the list.
        var listed = groups.Take(sides - 1).Where(g => g.Count > 0).Select(g => (IReadOnlyList<string>)g).ToList();
        return listed.Count > 0 ? listed : [[nodes[0]]];
    }

    private static List<string> Subset(SimRandom rng, List<string> names)
    {
        var size = 1 + rng.Next(names.Count);
        return [.. Shuffle(rng, names).Take(size).OrderBy(x => x.Length).ThenBy(x => x, StringComparer.Ordinal)];
    }

    private static List<string> Shuffle(SimRandom rng, IReadOnlyList<string> items)
    {
        var list = items.ToList();
        for (int i = list.Count - 1; i > 0; i--) { var j = rng.Next(i + 1); (list[i], list[j]) = (list[j], list[i]); }
        return list;
    }

    private static T Pick<T>(SimRandom rng, params T[] items) => items[rng.Next(items.Length)];
}
