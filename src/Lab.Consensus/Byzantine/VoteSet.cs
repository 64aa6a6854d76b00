using System.Numerics;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// Which replicas voted: a bitmap over replica ids with a count. Quorum checks run once per
/// received vote (n² per decision in PBFT), so this replaces a sorted set on the hot path.
/// Enumerates in ascending replica order. Optionally keeps each voter's signed message, for the
/// certificates built from the votes (PBFT's prepared and checkpoint certificates, HotStuff's QCs).
/// </summary>
public sealed class VoteSet
{
    private ulong[] _bits = new ulong[1];
    private IBftMessage?[]? _messages;

    public int Count { get; private set; }

    /// <summary>Adds a replica (with its signed vote, if kept); false if it had voted already.</summary>
    public bool Add(int replica, IBftMessage? message = null)
    {
        var word = replica >> 6;
        if (word >= _bits.Length) Array.Resize(ref _bits, word + 1);
        var mask = 1UL << (replica & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        if (message is not null)
        {
            if (_messages is null || replica >= _messages.Length) Array.Resize(ref _messages, Math.Max(replica + 1, 2 * (_messages?.Length ?? 2)));
            _messages[replica] = message;
        }
        return true;
    }

    public bool Contains(int replica) => (replica >> 6) < _bits.Length && (_bits[replica >> 6] & (1UL << (replica & 63))) != 0;

    /// <summary>The kept votes of type <typeparamref name="T"/>, in ascending voter order.</summary>
    public IEnumerable<T> Messages<T>() where T : class, IBftMessage
    {
        foreach (var v in Voters())
            if (_messages is not null && v < _messages.Length && _messages[v] is T m) yield return m;
    }

    /// <summary>The voters in ascending order.</summary>
    public IEnumerable<int> Voters()
    {
        for (int w = 0; w < _bits.Length; w++)
            for (var b = _bits[w]; b != 0; b &= b - 1)
                yield return (w << 6) + BitOperations.TrailingZeroCount(b);
    }
}
