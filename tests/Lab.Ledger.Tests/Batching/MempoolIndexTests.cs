using Lab.Ledger.Batching;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests.Batching;

/// <summary>The mempool against a plain list (the blocks every protocol proposes depend on it), and its index by client.</summary>
public class MempoolIndexTests
{
    private static Transaction Tx(int client, long seq, int size = 100) =>
        new(TxId.For(new NodeId(client), seq), "c", null, size, SimTime.Zero);

    /// <summary>The pool picks exactly the blocks a plain list in arrival order picks, under random adds (in order, retried,
    /// out of order, far ahead of the client's window, non-client ids), removals, proposals and compactions.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Selects_the_same_blocks_as_a_plain_list_under_random_operations(ulong seed)
    {
        var options = new BlockOptions { MaxTransactions = 7, MaxBytes = 2_000 };
        var pool = new Mempool(options);
        var reference = new PlainPool(options);
        var rng = new SimRandom(seed);
        var next = new long[5];
        var added = new List<Transaction>();
        var proposed = new HashSet<TxId>();
        bool Proposed(Transaction tx) => proposed.Contains(tx.Id);
        for (int step = 0; step < 20_000; step++)
        {
            var op = rng.Next(100);
            if (op < 45)
            {
                var client = rng.Next(next.Length);
                var seq = rng.Next(20) switch
                {
                    0 => Math.Max(0, next[client] - 1 - rng.Next(200)),            // a retry or a late one
                    1 => next[client] + 1_000 + rng.Next(ClientWindows.MaxWindow), // far ahead
                    2 => (1L << 39) + rng.Next(1_000),                             // a Byzantine leader's invented id
                    _ => next[client]++,
                };
                var tx = Tx(client, seq, 50 + rng.Next(300));
                added.Add(tx);
                Assert.Equal(reference.Add(tx), pool.Add(tx));
            }
            else if (op < 85 && added.Count > 0)
            {
                var id = added[rng.Next(added.Count)].Id;
                Assert.Equal(reference.Remove(id), pool.Remove(id));
                proposed.Remove(id);
            }
            else if (op < 95)
            {
                var expected = reference.NextBlock(Proposed, out var expectedFull);
                var actual = pool.NextUnproposed(Proposed, out var full);
                Assert.Equal(expected.Select(t => t.Id), actual.Select(t => t.Id));
                Assert.Equal(expectedFull, full);
                foreach (var tx in actual) proposed.Add(tx.Id);
            }
            else if (op < 97)
            {
                proposed.Clear();
                pool.ForgetProposed();
            }
            else
            {
                var expected = reference.NextBlock(null, out var expectedFull);
                var actual = pool.NextBlock(null, out var full);
                Assert.Equal(expected.Select(t => t.Id), actual.Select(t => t.Id));
                Assert.Equal(expectedFull, full);
            }
            Assert.Equal(reference.Count, pool.Count);
            Assert.Equal(reference.Bytes, pool.Bytes);
            Assert.Equal(reference.HasFullBlock, pool.HasFullBlock);
        }
        Assert.Equal(reference.InArrivalOrder().Select(t => t.Id), pool.InArrivalOrder().Select(t => t.Id));
        foreach (var tx in added) Assert.Equal(reference.Contains(tx.Id), pool.Contains(tx.Id));
    }

    [Fact]
    public void A_client_window_follows_its_oldest_pending_request_and_grows_when_the_client_runs_ahead()
    {
        var index = new ClientWindows();
        var c = new NodeId(3);
        for (long s = 0; s < 500; s++) Assert.True(index.TryAdd(TxId.For(c, s), 10 * s));
        Assert.False(index.TryAdd(TxId.For(c, 7), 1), "already there");
        for (long s = 0; s < 499; s++) Assert.True(index.Remove(TxId.For(c, s), out var v) && v == 10 * s);
        Assert.True(index.TryAdd(TxId.For(c, 3), 42), "behind the window: kept aside, still found");
        Assert.True(index.TryGetValue(TxId.For(c, 3), out var back) && back == 42);
        Assert.True(index.TryGetValue(TxId.For(c, 499), out var last) && last == 4_990);
        index.Set(TxId.For(c, 499), 5);
        Assert.True(index.TryGetValue(TxId.For(c, 499), out last) && last == 5);
        Assert.Equal(2, index.Count);
        Assert.False(index.Remove(TxId.For(c, 500), out _));
        Assert.Throws<KeyNotFoundException>(() => index.Set(TxId.For(c, 600), 1));
    }

    /// <summary>The rules of <see cref="Mempool"/> as plainly as they can be written: a list in arrival order.</summary>
    private sealed class PlainPool(BlockOptions o)
    {
        private readonly List<Transaction> _pending = [];
        public int Count => _pending.Count;
        public long Bytes => _pending.Sum(t => (long)t.SizeBytes);
        public bool HasFullBlock => Count >= o.MaxTransactions || Bytes >= o.MaxBytes;
        public bool Contains(TxId id) => _pending.Exists(t => t.Id == id);
        public IEnumerable<Transaction> InArrivalOrder() => _pending;

        public bool Add(Transaction tx)
        {
            if (Contains(tx.Id)) return false;
            _pending.Add(tx);
            return true;
        }

        public bool Remove(TxId id) => _pending.RemoveAll(t => t.Id == id) > 0;

        // Up to MaxTransactions and MaxBytes (a lone larger one still goes), skipping the proposed ones.
        public List<Transaction> NextBlock(Func<Transaction, bool>? skip, out bool full)
        {
            var batch = new List<Transaction>();
            long bytes = 0;
            var overflow = false;
            foreach (var tx in _pending)
            {
                if (skip is not null && skip(tx)) continue;
                if (batch.Count > 0 && bytes + tx.SizeBytes > o.MaxBytes) { overflow = true; break; }
                bytes += tx.SizeBytes;
                batch.Add(tx);
                if (batch.Count == o.MaxTransactions) break;
            }
            full = overflow || batch.Count == o.MaxTransactions || bytes >= o.MaxBytes;
            return batch;
        }
    }
}
