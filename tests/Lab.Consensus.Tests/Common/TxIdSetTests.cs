using Lab.Consensus.Common;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Common;

public class TxIdSetTests
{
    /// <summary>Against a hash set: dense ids over several pages, sparse ones (invented sequence numbers near 2³⁹)
    /// and negative ids answer Add and Contains as the hash set does.</summary>
    [Fact]
    public void Answers_what_a_hash_set_would()
    {
        var random = new Random(11);
        var set = new TxIdSet();
        var reference = new HashSet<TxId>();
        for (int i = 0; i < 60_000; i++)
        {
            var id = random.Next(20) switch
            {
                0 => TxId.For(new NodeId(random.Next(4)), (1L << 39) + random.Next(1000)),
                1 => new TxId(-1 - random.Next(100)),
                _ => TxId.For(new NodeId(random.Next(6)), random.Next(100_000)),   // several 32,768-id pages
            };
            Assert.Equal(reference.Contains(id), set.Contains(id));
            Assert.Equal(reference.Add(id), set.Add(id));
            Assert.Equal(reference.Count, set.Count);
        }
        foreach (var id in reference) Assert.True(set.Contains(id));
        Assert.False(set.Contains(TxId.For(new NodeId(3), 4_999_999)));
        Assert.False(set.Contains(TxId.For(new NodeId(100), 0)));
    }
}
