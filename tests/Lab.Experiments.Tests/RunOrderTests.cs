using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

public class RunOrderTests
{
    private static Experiment Teaching()
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "teaching", "t1-vs-onchain.yaml");
        return new ExperimentLoader(ModelRegistry.Default).Load(file, [], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
    }

    [Fact]
    public void On_chain_runs_start_first_and_each_class_keeps_plan_order()
    {
        var e = Teaching();
        var jobs = e.Runs.Select((r, i) => new RunJob(e, i, r)).ToList();
        Assert.Equal(["t+1", "t+1", "t+1", "on-chain", "on-chain", "on-chain"], jobs.Select(j => j.Spec.Point.Variant));
        var order = RunOrder.LongestFirst(jobs);
        Assert.Equal([3, 4, 5, 0, 1, 2], order.Select(j => j.Run));
        Assert.Equal([1, 1, 1, 0, 0, 0], order.Select(j => RunOrder.CostClass(j.Spec)));
    }

    [Fact]
    public void The_time_left_comes_from_finished_runs_of_the_same_point_and_from_runs_in_flight()
    {
        var e = Teaching();
        var order = RunOrder.LongestFirst([.. e.Runs.Select((r, i) => new RunJob(e, i, r))]).Select(j => j.Spec).ToList();
        var (c1, c2, c3, t1, t2, t3) = (order[0], order[1], order[2], order[3], order[4], order[5]);
        var now = 0.0;
        var eta = new RunEta(order, slots: 2, () => now);
        eta.Started(c1);
        eta.Started(c2);
        now = 2;
        Assert.Null(eta.Remaining());   // nothing finished, nothing far enough along
        eta.Advanced(c1, 0.4);          // 2 s for 40%: on-chain runs take 5 s, but nothing tells yet what a T+1 run takes
        Assert.Null(eta.Remaining());
        now = 5;
        eta.Finished(c1);
        eta.Finished(c2);
        eta.Started(c3);
        eta.Started(t1);
        now = 5.5;
        eta.Advanced(t1, 0.5);          // a T+1 run: 0.5 s for half of it
        // c3 takes 5 s like c1 and c2 (4.5 s left); t1 0.5 s left, then t2 and t3 1 s each on that slot: 4.5 s in all
        // (elapsed ÷ runs done would say 5 s × 4 runs left ÷ 2 slots = 10 s).
        Assert.Equal(4.5, eta.Remaining()!.Value.TotalSeconds, 6);
        now = 6;
        eta.Finished(t1);
        eta.Started(t2);
        Assert.Equal(4.0, eta.Remaining()!.Value.TotalSeconds, 6);   // c3: 4 s left; t2 and t3 (1 s each) on the other slot
    }
}
