namespace Lab.Consensus.Byzantine;

/// <summary>
/// Which replicas voted: a bitmap over replica ids with a count. Quorum checks run once per
/// received vote (n² per decision in PBFT), so this replaces a sorted set on the hot path.
/// Enumerates in ascending replica order. Optionally keeps each voter's signed message, for the
/// certificates built from the votes (PBFT's prepared and checkpoint certificates, HotStuff's QCs).
/// A vote, once added, is never replaced: what a certificate took from the set stays there.
/// </summary>
public sealed class VoteSet
{
    private ReplicaBits _bits;
    private IBftMessage?[]? _messages;
    private readonly int _replicas;

    /// <summary>An empty set for replica ids 0..<paramref name="replicas"/>−1 (sized once: no growth per vote;
    /// ids beyond still work, by growing).</summary>
    public VoteSet(int replicas = 64)
    {
        _replicas = Math.Max(1, replicas);
        _bits = new ReplicaBits(_replicas);
    }

    public int Count { get; private set; }

    /// <summary>Adds a replica (with its signed vote, if kept); false if it had voted already.</summary>
    public bool Add(int replica, IBftMessage? message = null)
    {
        if (!_bits.Add(replica)) return false;
        Count++;
        if (message is not null)
        {
            _messages ??= new IBftMessage?[Math.Max(_replicas, replica + 1)];
            if (replica >= _messages.Length) Array.Resize(ref _messages, Math.Max(replica + 1, 2 * _messages.Length));
            _messages[replica] = message;
        }
        return true;
    }

    public bool Contains(int replica) => _bits.Contains(replica);

    /// <summary>The smallest voter ≥ <paramref name="from"/>, or −1: <c>for (var r = s.Next(0); r >= 0; r = s.Next(r + 1))</c>
    /// walks the voters in ascending order without allocating.</summary>
    public int Next(int from) => _bits.Next(from);

    /// <summary>The vote kept for <paramref name="replica"/>, if it is a <typeparamref name="T"/>.</summary>
    public T? MessageOf<T>(int replica) where T : class, IBftMessage =>
        _messages is not null && replica >= 0 && replica < _messages.Length ? _messages[replica] as T : null;

    /// <summary>The kept votes of type <typeparamref name="T"/>, in ascending voter order.</summary>
    public IEnumerable<T> Messages<T>() where T : class, IBftMessage
    {
        foreach (var v in Voters())
            if (_messages is not null && v < _messages.Length && _messages[v] is T m) yield return m;
    }

    /// <summary>The first <paramref name="max"/> kept votes of type <typeparamref name="T"/> in ascending voter order, as a list.</summary>
    public List<T> FirstMessages<T>(int max) where T : class, IBftMessage
    {
        var list = new List<T>(Math.Min(max, Count));
        for (var r = Next(0); r >= 0 && list.Count < max; r = Next(r + 1))
            if (MessageOf<T>(r) is { } m) list.Add(m);
        return list;
    }

    /// <summary>The voters in ascending order.</summary>
    public IEnumerable<int> Voters()
    {
        for (var r = Next(0); r >= 0; r = Next(r + 1)) yield return r;
    }
}
