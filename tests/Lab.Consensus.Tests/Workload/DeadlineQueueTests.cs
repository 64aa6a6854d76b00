using Lab.Consensus.Workload;
using Lab.Ledger.Transactions;

namespace Lab.Consensus.Tests.Workload;

public class DeadlineQueueTests
{
    /// <summary>Against a plain binary heap keyed by (deadline, order): the same heads in the same order, for
    /// mixes of sorted deadlines (one retry timeout), earlier ones (redirect back-offs) and later ones (backed-off
    /// timeouts), interleaved with removals.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Gives_the_heads_a_heap_gives(int seed)
    {
        var random = new Random(seed);
        var queue = new DeadlineQueue();
        var heap = new PriorityQueue<TxId, (long, long)>();
        long now = 0, order = 0;
        for (int step = 0; step < 20_000; step++)
        {
            now += random.Next(0, 3);
            if (random.NextDouble() < 0.55)
            {
                var deadline = random.Next(10) switch
                {
                    0 => now + random.Next(0, 50),       // a redirect back-off: earlier than the tail
                    1 => now + 1000 * random.Next(2, 5), // a backed-off timeout: later
                    _ => now + 1000,                     // the usual retry timeout: sorted
                };
                var tx = new TxId(step);
                queue.Enqueue(tx, deadline, order);
                heap.Enqueue(tx, (deadline, order));
                order++;
            }
            else if (heap.TryPeek(out var expected, out var key))
            {
                Assert.True(queue.TryPeek(out var tx, out var deadline));
                Assert.Equal((expected, key.Item1), (tx, deadline));
                queue.Dequeue();
                heap.Dequeue();
            }
            else Assert.False(queue.TryPeek(out _, out _));
            Assert.Equal(heap.Count, queue.Count);
        }
    }
}
