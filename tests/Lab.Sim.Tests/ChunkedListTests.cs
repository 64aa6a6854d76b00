using Lab.Sim.Collections;

namespace Lab.Sim.Tests;

public class ChunkedListTests
{
    /// <summary>Across the growing first chunk and several full ones: the same items, in order, as a list.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4_096)]
    [InlineData(4_097)]
    [InlineData(20_000)]
    public void Holds_what_a_list_holds(int n)
    {
        var chunked = new ChunkedList<double>();
        var list = new List<double>();
        for (int i = 0; i < n; i++) { chunked.Add(i * 0.5); list.Add(i * 0.5); }
        Assert.Equal(n, chunked.Count);
        Assert.Equal(list, chunked.ToArray());
        var into = new double[n + 2];
        chunked.CopyTo(into, 2);
        Assert.Equal(list, into[2..]);
        if (n > 0)
        {
            chunked[n - 1] = -1;
            Assert.Equal(-1, chunked[n - 1]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => chunked[n]);
    }
}
