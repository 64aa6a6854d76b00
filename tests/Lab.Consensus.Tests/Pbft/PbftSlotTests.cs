using Lab.Consensus.Byzantine;
using Lab.Consensus.Pbft;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pbft;

/// <summary>
/// A slot keeps its prepared certificate lazily (built when a view change sends it): the certificate must be
/// the one the replica had when it prepared, not one made of the prepares that arrived since.
/// </summary>
public class PbftSlotTests
{
    private const int N = 7;
    private static readonly Authenticator[] Key = Enumerable.Range(0, N).Select(r => new Authenticator(r, CommitteeKeys.Modelled)).ToArray();
    private static readonly Block Batch = new(1, Hash.Zero, [new Transaction(new TxId(1), "c", null, 100, SimTime.Zero)], "n0");

    private static Prepare PrepareOf(int replica) =>
        new(0, 1, Batch.Hash, replica, Key[replica].Sign(Prepare.For(0, 1, Batch.Hash)));

    [Fact]
    public void Prepared_certificate_holds_the_prepares_it_had_when_it_prepared()
    {
        var pp = new PrePrepare(0, 1, Batch.Hash, Batch, Key[0].Sign(PrePrepare.For(0, 1, Batch.Hash)));
        var slot = new Slot(1, N);
        var votes = slot.Prepares.For(0, Batch.Hash);
        var p3 = PrepareOf(3);
        var p5 = PrepareOf(5);
        var p6 = PrepareOf(6);
        foreach (var p in new[] { p6, p3, p5 }) votes.Add(p.Replica, p);
        slot.SetPrepared(pp, votes, count: 2);
        // A prepare from a lower replica id arrives after the slot prepared.
        votes.Add(1, PrepareOf(1));

        var cert = slot.Prepared()!;
        Assert.Same(pp, cert.PrePrepare);
        Assert.Equal([p3, p5], cert.Prepares);
        Assert.Same(cert, slot.Prepared());
        Assert.Same(votes, slot.Prepares.For(0, Batch.Hash));
        Assert.NotSame(votes, slot.Prepares.For(0, Hash.Combine(Batch.Hash, Batch.Hash)));
    }

    [Fact]
    public void Vote_set_walks_voters_in_ascending_order_across_words()
    {
        var set = new VoteSet(130);
        foreach (var r in new[] { 129, 0, 64, 63, 65 }) Assert.True(set.Add(r));
        Assert.False(set.Add(64));
        var voters = new List<int>();
        for (var r = set.Next(0); r >= 0; r = set.Next(r + 1)) voters.Add(r);
        Assert.Equal([0, 63, 64, 65, 129], voters);
        Assert.Equal(voters, set.Voters());
        Assert.Equal(5, set.Count);
        Assert.Equal(-1, set.Next(130));
    }

    [Fact]
    public void A_flood_of_digests_keeps_every_digests_votes_apart_and_found_again()
    {
        // A Byzantine replica can sign any number of digests for one sequence number: past a few the slot indexes
        // them by a dictionary; the votes gathered before and after that must stay with their own (view, digest).
        var votes = new SlotVotes(N);
        var digests = new List<Hash> { Batch.Hash };
        for (int i = 1; i < 200; i++) digests.Add(Hash.Combine(digests[^1], Batch.Hash));
        var sets = new List<VoteSet>();
        for (int i = 0; i < digests.Count; i++)
        {
            var set = votes.For(i % 3, digests[i]);
            set.Add(i % N);
            sets.Add(set);
        }
        Assert.Equal(200, votes.Values);
        for (int i = 0; i < digests.Count; i++)
        {
            Assert.Same(sets[i], votes.For(i % 3, digests[i]));
            Assert.Equal([i % N], sets[i].Voters());
        }
        Assert.Equal(200, votes.Values);
        Assert.Empty(votes.For(5, Batch.Hash).Voters()); // same digest, another view: another set
        Assert.Equal(201, votes.Values);
    }

    [Fact]
    public void Slot_log_answers_like_a_sorted_dictionary()
    {
        var log = new SlotLog();
        var reference = new SortedDictionary<long, Slot>();
        var rng = new Lab.Sim.Randomness.SimRandom(11);
        long low = 0;
        for (int step = 0; step < 20_000; step++)
        {
            var seq = low + 1 + rng.Next(300);
            if (rng.Next(4) == 0)
                Assert.Equal(reference.TryGetValue(seq, out var expected), log.TryGet(seq, out var found) && ReferenceEquals(found, expected));
            else
            {
                var slot = log.GetOrAdd(seq, N);
                if (reference.TryGetValue(seq, out var existing)) Assert.Same(existing, slot);
                else reference[seq] = slot;
                Assert.Equal(seq, slot.Seq);
            }
            if (rng.Next(100) == 0)
            {
                low += rng.Next(200);
                log.RemoveUpTo(low);
                foreach (var k in reference.Keys.Where(k => k <= low).ToList()) reference.Remove(k);
            }
            Assert.Equal(reference.Count, log.Count);
        }
        Assert.Equal(reference.Values, log.InOrder());
    }
}
