using Lab.Sim.Kernel;
using Lab.Sim.Randomness;

namespace Lab.Sim.Tests;

public class WakeupQueueTests
{
    /// <summary>
    /// Driven as the kernel drives it, against a plain list: windows take every entry before their end, nodes then
    /// register at or after it (some far ahead, some at equal times), and now and then an entry lands before the
    /// floor (a fault). Every entry taken out is one the list holds and is the earliest; nothing before a window's
    /// end is left behind; the count matches throughout.
    /// </summary>
    [Theory]
    [InlineData(1, 0L)]          // zero lookahead: windows one nanosecond wide
    [InlineData(2, 6_000_000L)]  // 6 ms lookahead, PoW-like
    [InlineData(3, 1L << 40)]    // windows wider than most gaps
    public void Takes_out_what_a_sorted_list_would(ulong seed, long lookahead)
    {
        var rng = new SimRandom(seed);
        var queue = new WakeupQueue();
        var reference = new List<(int Node, long Time)>();
        long now = 0;
        int node = 0;
        for (int round = 0; round < 3_000; round++)
        {
            // Register a few nodes at or after now: near, far, equal to another, and rarely before the floor.
            var adds = rng.Next(6);
            for (int i = 0; i < adds; i++)
            {
                long t = rng.Next(10) switch
                {
                    0 => now + (long)(rng.NextDouble() * 1e12),
                    1 => reference.Count > 0 ? reference[rng.Next(reference.Count)].Time : now,
                    2 when round % 97 == 0 => Math.Max(0, now - 1 - rng.Next(1_000_000)),
                    _ => now + rng.Next(50_000_000),
                };
                queue.Enqueue(node, t);
                reference.Add((node++, t));
            }
            Assert.Equal(reference.Count, queue.Count);

            // The kernel's window: peek the earliest, then take everything before its end.
            if (!queue.TryPeek(out var peekedNode, out var next))
            {
                Assert.Empty(reference);
                continue;
            }
            var earliest = reference.Min(e => e.Time);
            Assert.Equal(earliest, next);
            Assert.Contains((peekedNode, next), reference);
            var end = next + Math.Max(1, lookahead);
            while (queue.TryDequeueBefore(end, out var n, out var t))
            {
                Assert.True(t < end, $"took {t}, at or after the window's end {end}");
                Assert.Equal(reference.Min(e => e.Time), t);
                Assert.True(reference.Remove((n, t)), $"node {n} at {t} was never queued, or came out twice");
            }
            Assert.DoesNotContain(reference, e => e.Time < end);
            Assert.Equal(reference.Count, queue.Count);
            now = end;
        }
    }

    [Fact]
    public void Peek_and_dequeue_take_the_earliest_and_an_empty_queue_says_so()
    {
        var queue = new WakeupQueue();
        Assert.False(queue.TryPeek(out _, out _));
        Assert.False(queue.TryDequeueBefore(long.MaxValue, out _, out _));
        Assert.Throws<InvalidOperationException>(queue.Dequeue);
        queue.Enqueue(7, 300);
        queue.Enqueue(8, 100);
        queue.Enqueue(9, 200);
        Assert.False(queue.TryDequeueBefore(100, out _, out _));   // the limit is exclusive
        Assert.True(queue.TryPeek(out var n, out var t));
        Assert.Equal((8, 100L), (n, t));
        queue.Dequeue();
        queue.Enqueue(10, 50);                                      // before the floor: rebuilt around it
        Assert.True(queue.TryDequeueBefore(250, out n, out t));
        Assert.Equal((10, 50L), (n, t));
        Assert.True(queue.TryDequeueBefore(250, out n, out t));
        Assert.Equal((9, 200L), (n, t));
        Assert.False(queue.TryDequeueBefore(250, out _, out _));
        Assert.Equal(1, queue.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Enqueue(1, -1));
        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryPeek(out _, out _));
    }
}
