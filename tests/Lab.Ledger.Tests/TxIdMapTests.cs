using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Ledger.Tests;

public class TxIdMapTests
{
    /// <summary>Against a dictionary: dense ids (client, 0, 1, 2, …), sparse ones (a Byzantine leader's invented
    /// sequence numbers near 2³⁹), and a negative client index all read back as written.</summary>
    [Fact]
    public void Reads_back_what_a_dictionary_would()
    {
        var random = new Random(7);
        var map = new TxIdMap();
        var reference = new Dictionary<TxId, long>();
        for (int i = 0; i < 50_000; i++)
        {
            var id = random.Next(20) switch
            {
                0 => TxId.For(new NodeId(random.Next(4)), (1L << 39) + random.Next(1000)),
                1 => new TxId(-1 - random.Next(100)),
                _ => TxId.For(new NodeId(random.Next(8)), random.Next(20_000)), // several 4,096-slot pages
            };
            var value = (long)random.Next(0, 1_000_000);
            if (random.Next(2) == 0)
            {
                Assert.Equal(reference.TryAdd(id, value), map.TryAdd(id, value));
            }
            else
            {
                reference[id] = value;
                map.Set(id, value);
            }
            Assert.Equal(reference.Count, map.Count);
        }
        foreach (var (id, value) in reference)
        {
            Assert.True(map.TryGetValue(id, out var got));
            Assert.Equal(value, got);
        }
        Assert.False(map.ContainsKey(TxId.For(new NodeId(3), 4_999_999)));
        Assert.False(map.ContainsKey(TxId.For(new NodeId(100), 0)));
    }

    /// <summary>Values are log indexes and heights, kept in 4 bytes: one that does not fit is refused, not cut short.</summary>
    [Fact]
    public void Refuses_a_value_that_does_not_fit_in_a_slot()
    {
        var map = new TxIdMap();
        var id = TxId.For(new NodeId(1), 5);
        map.Set(id, int.MaxValue - 1);
        Assert.True(map.TryGetValue(id, out var got));
        Assert.Equal(int.MaxValue - 1, got);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(id, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.TryAdd(TxId.For(new NodeId(2), 0), 1L << 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(id, -1));
    }
}
