using System.Numerics;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// Which replicas voted: a bitmap over replica ids with a count. Quorum checks run once per
/// received vote (n² per decision in PBFT), so this replaces a sorted set on the hot path.
/// Enumerates in ascending replica order.
/// </summary>
public sealed class VoteSet
{
    private ulong[] _bits = new ulong[1];

    public int Count { get; private set; }

    /// <summary>Adds a replica; false if it had voted already.</summary>
    public bool Add(int replica)
    {
        var word = replica >> 6;
        if (word >= _bits.Length) Array.Resize(ref _bits, word + 1);
        var mask = 1UL << (replica & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }

    public bool Contains(int replica) => (replica >> 6) < _bits.Length && (_bits[replica >> 6] & (1UL << (replica & 63))) != 0;

    /// <summary>The voters in ascending order.</summary>
    public IEnumerable<int> Voters()
    {
        for (int w = 0; w < _bits.Length; w++)
            for (var b = _bits[w]; b != 0; b &= b - 1)
                yield return (w << 6) + BitOperations.TrailingZeroCount(b);
    }
}
