using Lab.Sim.Faults;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>
/// Random network faults for property tests: partitions into two random groups (a twin's two
/// instances always on different sides), loss bursts, and crash-restarts of the Byzantine replica
/// itself. Honest replicas never crash here, so at most f replicas are faulty at any time; every
/// fault is over by faultsEnd (seconds).
/// </summary>
public static class RandomFaults
{
    public static List<ScheduledFault> Schedule(ulong seed, int replicas, int byzantine, bool twin, double faultsEnd)
    {
        var rng = SimRandom.Stream(seed, "test-faults");
        var faults = new List<ScheduledFault>();
        var t = 0.3 + rng.NextDouble();
        while (t < faultsEnd - 0.3)
        {
            var length = Duration.FromSeconds(Math.Min(0.2 + rng.NextDouble() * 1.2, faultsEnd - t));
            var at = SimTime.Zero + Duration.FromSeconds(t);
            switch (rng.Next(3))
            {
                case 0:
                    var a = new List<string>(); var b = new List<string>();
                    for (int r = 0; r < replicas; r++) (rng.Next(2) == 0 ? a : b).Add($"n{r}");
                    if (twin) { a.Remove($"n{byzantine}"); b.Remove($"n{byzantine}"); a.Add($"n{byzantine}"); b.Add($"n{byzantine}-twin"); }
                    faults.Add(new ScheduledFault(at, new Partition([new NamedNodes(a), new NamedNodes(b)]), length));
                    break;
                case 1:
                    faults.Add(new ScheduledFault(at, new LossBurst(0.1 + rng.NextDouble() * 0.3), length));
                    break;
                default:
                    if (!twin) faults.Add(new ScheduledFault(at, new Crash(NodeSelector.Named($"n{byzantine}")), length));
                    break;
            }
            t += length.TotalSeconds + 0.1 + rng.NextDouble() * 0.5;
        }
        return faults;
    }
}
