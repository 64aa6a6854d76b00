using Lab.Consensus.Kv;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Kv;

/// <summary>The checker on hand-written histories whose verdict is known (times in milliseconds).</summary>
public class LinearizabilityTests
{
    private static int _seq;

    private static KvOperation Op(int client, KvCommand command, double from, double? to, string? answer = null) =>
        new(client, TxId.For(new NodeId(client), _seq++), command, SimTime.Zero + Duration.FromMillis(from),
            to is { } t ? SimTime.Zero + Duration.FromMillis(t) : null, answer);

    [Fact]
    public void A_sequential_history_that_reads_what_was_written_is_linearizable()
    {
        var h = new[]
        {
            Op(0, new KvGet("x"), 0, 1, "nil"),
            Op(0, new KvPut("x", 5), 2, 3, "ok"),
            Op(1, new KvGet("x"), 4, 5, "5"),
            Op(1, new KvCas("x", 5, 7), 6, 7, "ok"),
            Op(0, new KvCas("x", 5, 9), 8, 9, "cas failed"),
            Op(0, new KvGet("x"), 10, 11, "7"),
        };
        Assert.True(Linearizability.Check(h).Linearizable);
    }

    [Fact]
    public void A_read_of_an_overwritten_value_after_the_overwrite_completed_is_not_linearizable()
    {
        var h = new[]
        {
            Op(0, new KvPut("x", 1), 0, 1, "ok"),
            Op(0, new KvPut("x", 2), 2, 3, "ok"),
            Op(1, new KvGet("x"), 4, 5, "1"),   // stale: the write of 2 finished before this read began
        };
        var r = Linearizability.Check(h);
        Assert.False(r.Linearizable);
        Assert.Equal("x", r.Key);
        Assert.Contains("get x", r.Explain());
    }

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_either_value()
    {
        foreach (var seen in new[] { "1", "2" })
        {
            var h = new[]
            {
                Op(0, new KvPut("x", 1), 0, 1, "ok"),
                Op(0, new KvPut("x", 2), 2, 10, "ok"),
                Op(1, new KvGet("x"), 3, 4, seen),
            };
            Assert.True(Linearizability.Check(h).Linearizable, seen);
        }
    }

    [Fact]
    public void Two_reads_may_not_see_concurrent_writes_in_opposite_orders_once_each_read_is_over()
    {
        // Writes of 1 and 2 run concurrently with everything; c1 sees 1 then 2, c2 sees 2 then 1: no single order.
        var h = new[]
        {
            Op(0, new KvPut("x", 1), 0, 100, "ok"),
            Op(3, new KvPut("x", 2), 0, 100, "ok"),
            Op(1, new KvGet("x"), 10, 11, "1"),
            Op(1, new KvGet("x"), 12, 13, "2"),
            Op(2, new KvGet("x"), 14, 15, "2"),
            Op(2, new KvGet("x"), 16, 17, "1"),
        };
        Assert.False(Linearizability.Check(h).Linearizable);
    }

    [Fact]
    public void A_write_without_an_answer_may_have_happened_or_not()
    {
        var happened = new[] { Op(0, new KvPut("x", 1), 0, null), Op(1, new KvGet("x"), 5, 6, "1") };
        var notYet = new[] { Op(0, new KvPut("x", 1), 0, null), Op(1, new KvGet("x"), 5, 6, "nil") };
        Assert.True(Linearizability.Check(happened).Linearizable);
        Assert.True(Linearizability.Check(notYet).Linearizable);
        // But not before it was invoked.
        var early = new[] { Op(1, new KvGet("x"), 0, 1, "1"), Op(0, new KvPut("x", 1), 2, null) };
        Assert.False(Linearizability.Check(early).Linearizable);
    }

    [Fact]
    public void A_compare_and_set_that_succeeded_must_have_found_its_expected_value()
    {
        var h = new[]
        {
            Op(0, new KvPut("x", 1), 0, 1, "ok"),
            Op(1, new KvCas("x", 3, 4), 2, 3, "ok"),   // x was 1, never 3
        };
        Assert.False(Linearizability.Check(h).Linearizable);
    }

    [Fact]
    public void Keys_are_checked_apart_and_the_failing_key_is_named()
    {
        var h = new[]
        {
            Op(0, new KvPut("a", 1), 0, 1, "ok"),
            Op(0, new KvPut("b", 1), 0, 1, "ok"),
            Op(1, new KvGet("a"), 2, 3, "1"),
            Op(1, new KvGet("b"), 2, 3, "nil"),
        };
        var r = Linearizability.Check(h);
        Assert.False(r.Linearizable);
        Assert.Equal("b", r.Key);
    }

    [Fact]
    public void A_long_contended_history_is_checked_quickly()
    {
        // 4 clients, 400 overlapping operations on one key, generated from a register that really is linearizable.
        var rng = new Lab.Sim.Randomness.SimRandom(7);
        var ops = new List<KvOperation>();
        long? value = null;
        var t = 0.0;
        for (int i = 0; i < 400; i++)
        {
            var client = i % 4;
            var start = t;
            t += 1 + rng.Next(3);
            // The effect happens at t; the operation spans [start - jitter, t + jitter].
            KvCommand c = rng.Next(3) switch { 0 => new KvGet("x"), 1 => new KvPut("x", i), _ => new KvCas("x", value ?? -1, i) };
            string answer;
            switch (c)
            {
                case KvGet: answer = value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nil"; break;
                case KvPut p: value = p.Value; answer = "ok"; break;
                default:
                    var cas = (KvCas)c;
                    if (value == cas.Expected) { value = cas.Value; answer = "ok"; } else answer = "cas failed";
                    break;
            }
            ops.Add(Op(client, c, start - rng.Next(3), t + rng.Next(3), answer));
        }
        Assert.True(Linearizability.Check(ops).Linearizable);
    }
}
