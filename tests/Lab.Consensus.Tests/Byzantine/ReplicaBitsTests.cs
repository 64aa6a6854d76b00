using Lab.Consensus.Byzantine;
using Lab.Sim.Randomness;

namespace Lab.Consensus.Tests.Byzantine;

public class ReplicaBitsTests
{
    /// <summary>The bitmap answers as a sorted set does: adds, membership and the ascending walk, for committees
    /// within the inline word, sized past it, and growing past it on a later add.</summary>
    [Theory]
    [InlineData(7, 7)]
    [InlineData(7, 200)]      // made for 7, then holds ids up to 199 (grows)
    [InlineData(130, 130)]
    [InlineData(64, 65)]
    public void Answers_like_a_sorted_set(int sizedFor, int ids)
    {
        var rng = new SimRandom((ulong)(sizedFor * 1000 + ids));
        for (int round = 0; round < 50; round++)
        {
            var bits = new ReplicaBits(sizedFor);
            var reference = new SortedSet<int>();
            for (int step = 0; step < 3 * ids; step++)
            {
                var r = rng.Next(ids);
                Assert.Equal(reference.Add(r), bits.Add(r));
                var probe = rng.Next(ids + 70) - 3;
                Assert.Equal(reference.Contains(probe), bits.Contains(probe));
                var from = rng.Next(ids + 70) - 3;
                var expected = reference.GetViewBetween(Math.Max(0, from), int.MaxValue).Cast<int?>().FirstOrDefault() ?? -1;
                Assert.Equal(expected, bits.Next(from));
            }
            var walked = new List<int>();
            for (var r = bits.Next(0); r >= 0; r = bits.Next(r + 1)) walked.Add(r);
            Assert.Equal(reference, walked);
        }
    }

    [Fact]
    public void Default_is_empty_and_refuses_negative_ids()
    {
        var bits = default(ReplicaBits);
        Assert.Equal(-1, bits.Next(0));
        Assert.False(bits.Contains(-1));
        Assert.False(bits.Contains(500));
        Assert.Throws<ArgumentOutOfRangeException>(() => bits.Add(-1));
        Assert.True(bits.Add(500));
        Assert.Equal(500, bits.Next(0));
        Assert.Equal(-1, bits.Next(501));
    }
}
