namespace Lab.Experiments.Running;

/// <summary>
/// The order in which an experiment's runs start: the longest expected first, so that the runs left for
/// the end are short ones and every core stays busy until the last run ends (with two cores and the
/// teaching demo's 3 on-chain and 3 T+1 runs, plan order leaves two on-chain runs back to back on one core).
/// Only the order of execution changes: results are kept by run index and assembled in plan order, and
/// each run depends only on its configuration and seed.
/// </summary>
public static class RunOrder
{
    /// <summary>The cost class of a run: 1 for a scenario that runs on a chain (every replica executes every
    /// transaction: several times the cost of the same scenario off chain), 0 otherwise.</summary>
    public static int CostClass(RunSpec run) => run.Point.Model.RunsOnChain(run.Point.Config) ? 1 : 0;

    /// <summary>The jobs with the costlier class first; plan order within a class (a stable sort).</summary>
    public static List<RunJob> LongestFirst(IReadOnlyList<RunJob> jobs)
    {
        var classes = new Dictionary<int, int>();   // point index → cost class, computed once per point
        int ClassOf(RunJob j)
        {
            if (!classes.TryGetValue(j.Spec.Point.Index, out var c)) classes[j.Spec.Point.Index] = c = CostClass(j.Spec);
            return c;
        }
        return [.. jobs.Select((j, i) => (Job: j, Class: ClassOf(j), Index: i))
                       .OrderByDescending(x => x.Class).ThenBy(x => x.Index)
                       .Select(x => x.Job)];
    }
}
