using System.Numerics;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// A set of replica ids as a bitmap: ids 0..63 in one word held inline, higher ids in words allocated when the set is
/// made for a larger committee or first holds such an id. Committees of up to 64 replicas (every scenario but the
/// scale benchmarks) cost no array per set: a PBFT replica keeps a prepare and a commit set per sequence number.
/// A mutable struct: keep it in a field and change it there (a copy does not see later additions).
/// </summary>
public struct ReplicaBits
{
    private ulong _low;        // ids 0..63
    private ulong[]? _high;    // word w − 1 holds ids 64w .. 64w + 63

    /// <summary>An empty set with room for ids 0..<paramref name="replicas"/>−1 (larger ids still fit, by growing).</summary>
    public ReplicaBits(int replicas)
    {
        if (replicas > 64) _high = new ulong[((replicas + 63) >> 6) - 1];
    }

    /// <summary>Adds <paramref name="replica"/>; false if it was in the set already.</summary>
    public bool Add(int replica)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replica);
        var mask = 1UL << (replica & 63);
        var word = replica >> 6;
        if (word == 0)
        {
            if ((_low & mask) != 0) return false;
            _low |= mask;
            return true;
        }
        if (_high is null || word > _high.Length) Array.Resize(ref _high, word);
        if ((_high[word - 1] & mask) != 0) return false;
        _high[word - 1] |= mask;
        return true;
    }

    public readonly bool Contains(int replica)
    {
        if (replica < 0) return false;
        var word = replica >> 6;
        var bits = word == 0 ? _low : _high is not null && word <= _high.Length ? _high[word - 1] : 0;
        return (bits & (1UL << (replica & 63))) != 0;
    }

    /// <summary>The smallest id ≥ <paramref name="from"/> in the set, or −1: <c>for (var r = s.Next(0); r >= 0; r = s.Next(r + 1))</c>
    /// walks the set in ascending order without allocating.</summary>
    public readonly int Next(int from)
    {
        if (from < 0) from = 0;
        var first = from >> 6;
        var words = 1 + (_high?.Length ?? 0);
        for (int w = first; w < words; w++)
        {
            var b = w == 0 ? _low : _high![w - 1];
            if (w == first) b &= ~0UL << (from & 63);
            if (b != 0) return (w << 6) + BitOperations.TrailingZeroCount(b);
        }
        return -1;
    }
}
