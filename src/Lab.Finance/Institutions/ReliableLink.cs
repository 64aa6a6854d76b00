using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>A message carried by a <see cref="ReliableLink"/>: sequence number per (sender, receiver).</summary>
public sealed record Envelope(long Seq, object Body);

/// <summary>The receiver has <see cref="Envelope"/> <paramref name="Seq"/>.</summary>
public sealed record EnvelopeAck(long Seq);

/// <summary>
/// At-least-once delivery with duplicate suppression, kept in the node's durable storage, so a message
/// between institutions is never lost to a crash of either end: the sender keeps each message in an
/// outbox until acknowledged and resends on a timer (10 s, doubling up to 5 min while nothing is
/// acknowledged); the receiver acknowledges every copy and hands each sequence number to its
/// behaviour once. Crash-restart keeps both the outbox and the record of what was received.
/// </summary>
public sealed class ReliableLink(string storageKey)
{
    private static readonly Duration FirstRetry = Duration.FromSeconds(10);
    private static readonly Duration MaxRetry = Duration.FromMinutes(5);

    private sealed class State
    {
        public readonly Dictionary<int, long> NextSeq = [];
        public readonly SortedDictionary<(int To, long Seq), (object Body, int Bytes)> Outbox = [];
        public readonly Dictionary<int, long> Contiguous = [];
        public readonly Dictionary<int, SortedSet<long>> Beyond = [];
        public long RetryNanos = FirstRetry.Nanos;
        public bool AckedSinceRetry;
    }

    private sealed record Retransmit;

    private State _state = new();
    private bool _armed;

    public int Outstanding => _state.Outbox.Count;

    public void Start(INodeContext ctx)
    {
        _state = ctx.Storage.GetOrAdd(storageKey, () => new State());
        _armed = false;
        if (_state.Outbox.Count > 0) Arm(ctx);
    }

    public void Send(INodeContext ctx, NodeId to, object body, int bytes)
    {
        _state.NextSeq.TryGetValue(to.Value, out var seq);
        _state.NextSeq[to.Value] = ++seq;
        _state.Outbox[(to.Value, seq)] = (body, bytes);
        ctx.Send(to, new Envelope(seq, body), bytes + 16);
        Arm(ctx);
    }

    /// <summary>Handles link traffic. Returns true when <paramref name="message"/> was the link's; <paramref name="body"/>
    /// is then the delivered message if it is new, or null (an acknowledgement or a duplicate).</summary>
    public bool TryReceive(INodeContext ctx, NodeId from, object message, out object? body)
    {
        body = null;
        switch (message)
        {
            case EnvelopeAck ack:
                if (_state.Outbox.Remove((from.Value, ack.Seq))) _state.AckedSinceRetry = true;
                return true;
            case Envelope e:
                ctx.Send(from, new EnvelopeAck(e.Seq), 16);
                if (Seen(from.Value, e.Seq)) return true;
                body = e.Body;
                return true;
            default:
                return false;
        }
    }

    public bool TryTimer(INodeContext ctx, object state)
    {
        if (state is not Retransmit) return false;
        _armed = false;
        if (_state.Outbox.Count == 0) { _state.RetryNanos = FirstRetry.Nanos; return true; }
        _state.RetryNanos = _state.AckedSinceRetry ? FirstRetry.Nanos : Math.Min(MaxRetry.Nanos, _state.RetryNanos * 2);
        _state.AckedSinceRetry = false;
        foreach (var ((to, seq), (body, bytes)) in _state.Outbox) ctx.Send(new NodeId(to), new Envelope(seq, body), bytes + 16);
        Arm(ctx);
        return true;
    }

    private void Arm(INodeContext ctx)
    {
        if (_armed) return;
        _armed = true;
        ctx.SetTimer(Duration.FromNanos(_state.RetryNanos), new Retransmit());
    }

    private bool Seen(int from, long seq)
    {
        _state.Contiguous.TryGetValue(from, out var upTo);
        if (seq <= upTo) return true;
        if (!_state.Beyond.TryGetValue(from, out var beyond)) _state.Beyond[from] = beyond = [];
        if (!beyond.Add(seq)) return true;
        while (beyond.Remove(upTo + 1)) upTo++;
        _state.Contiguous[from] = upTo;
        return false;
    }
}
