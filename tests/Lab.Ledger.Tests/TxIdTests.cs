using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Ledger.Tests;

public class TxIdTests
{
    [Fact]
    public void Ids_of_many_clients_and_sequences_spread_over_distinct_hash_codes()
    {
        // 16 clients × 4,000 transactions: long's own hash would give at most ~16k distinct values.
        var ids = from c in Enumerable.Range(0, 16) from s in Enumerable.Range(0, 4000) select TxId.For(new NodeId(c), s);
        var distinct = ids.Select(i => i.GetHashCode()).Distinct().Count();
        Assert.True(distinct > 63_000, $"{distinct} distinct hash codes for 64,000 ids");
    }

    [Fact]
    public void An_id_keeps_its_client_and_sequence()
    {
        var id = TxId.For(new NodeId(70), 123_456);
        Assert.Equal((70, 123_456L), (id.Client.Value, id.Sequence));
    }
}
