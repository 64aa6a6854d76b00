using Lab.Consensus.Byzantine;
using Lab.Ledger.Batching;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

public class CommittedRequestsTests
{
    /// <summary>The index answers exactly as a dictionary would, for ids in order, out of order, on later pages,
    /// behind the newest, and far outside the clients' numbering.</summary>
    [Fact]
    public void Answers_like_a_dictionary()
    {
        var index = new CommittedRequests();
        var reference = new Dictionary<TxId, long>();
        var rng = new SimRandom(7);
        var next = new long[6];
        for (int step = 0; step < 50_000; step++)
        {
            var client = rng.Next(next.Length) * 3;
            var seq = rng.Next(10) switch
            {
                0 => rng.Next(20_000),                       // anywhere, often behind or on another page
                1 => (1L << 30) + rng.Next(100),             // beyond the dense numbering
                _ => next[client / 3]++,
            };
            var id = TxId.For(new NodeId(client), seq);
            var value = rng.Next(1_000_000);
            Assert.Equal(reference.TryAdd(id, value), index.TryAdd(id, value));
            var probe = TxId.For(new NodeId(rng.Next(20)), rng.Next(25_000));
            Assert.Equal(reference.TryGetValue(probe, out var expected), index.TryGetValue(probe, out var actual));
            Assert.Equal(expected, actual);
        }
        foreach (var (id, value) in reference) Assert.True(index.TryGetValue(id, out var v) && v == value);
        Assert.Equal(reference.Count, index.Count);
    }
}
