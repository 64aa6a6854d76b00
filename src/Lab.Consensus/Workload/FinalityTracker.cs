using Lab.Consensus.Common;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// Submit-and-await-finality for any node that submits transactions (load clients, institutions
/// settling DvP trades): signs, sends to the target replica(s), follows redirects, retries on
/// timeout, and applies the protocol's <see cref="FinalityRule"/> to the replies. Protocol-agnostic:
/// it only speaks <see cref="ClientRequest"/> and <see cref="ClientReply"/>.
/// <para>Use it from a behaviour: call <see cref="OnStart"/> in OnStart, pass every message to
/// <see cref="OnMessage"/> (it takes <see cref="ClientReply"/> and <see cref="ClientReplies"/>) and every timer to <see cref="OnTimer"/> (it
/// returns false for timers that are not its own). Finalities arrive through <see cref="Finalized"/>.
/// Records <c>commit_latency_s</c> (submit → final), the <c>committed_tx</c> series and counter,
/// <c>submitted_tx</c>, <c>client_retries</c>, <c>client_redirects</c>, <c>rejected_tx</c>, <c>abandoned_tx</c>.</para>
/// </summary>
public sealed class FinalityTracker
{
    private readonly FinalityRule _rule;
    private readonly IReadOnlyList<NodeId> _replicas;
    private readonly NodeSigning _signing;
    private readonly Dictionary<TxId, Pending> _pending = [];
    // Deadlines in time order; entries whose pending deadline moved on are stale and skipped.
    private readonly PriorityQueue<TxId, (long Deadline, long Order)> _deadlines = new();
    private TimerId _timer = TimerId.None;
    private long _timerAt = long.MaxValue;
    private long _order;
    private int _leader;
    private SubmissionLog? _log;

    public FinalityTracker(FinalityRule rule, IReadOnlyList<NodeId> replicas, TransactionSigning signing)
    {
        if (replicas.Count == 0) throw new ArgumentException("a client needs at least one replica to talk to");
        if (rule.RepliesNeeded < 1 || (rule.Target == TargetSelection.Leader && rule.RepliesNeeded > 1))
            throw new ArgumentException("replies-needed must be 1 with a leader target, and at least 1 otherwise");
        _rule = rule;
        _replicas = replicas;
        _signing = signing.ForNode();
    }

    /// <summary>Called for each transaction when it becomes final.</summary>
    public Action<INodeContext, Finality>? Finalized { get; set; }

    /// <summary>Latencies of transactions submitted before this are not sampled (warm-up).</summary>
    public SimTime MeasureFrom { get; set; } = SimTime.Zero;

    public int Outstanding => _pending.Count;
    public SubmissionLog? Submissions => _log;
    /// <summary>The replica this client currently believes leads.</summary>
    public NodeId BelievedLeader => _replicas[_leader];

    public void OnStart(INodeContext ctx)
    {
        _log = SubmissionLog.Of(ctx);
        _leader = ctx.Self.Value % _replicas.Count; // spread first guesses; redirects fix them
    }

    /// <summary>Builds, signs, records and sends a new transaction. Returns it as sent.</summary>
    public Transaction Submit(INodeContext ctx, int sizeBytes, object? payload = null)
    {
        var log = _log ?? throw new InvalidOperationException("call OnStart first");
        var tx = new Transaction(log.NextId(ctx.Self), ctx.Directory.Name(ctx.Self), payload, sizeBytes, ctx.Now);
        tx = _signing.Sign(ctx, tx);
        log.Record(tx);
        ctx.Metrics.Add("submitted_tx");
        ctx.Metrics.Series("submitted_tx");
        var p = new Pending(tx, ctx.Now);
        _pending[tx.Id] = p;
        Send(ctx, p);
        return tx;
    }

    /// <summary>Handles <see cref="ClientReply"/> and <see cref="ClientReplies"/>; false for any other message.</summary>
    public bool OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case ClientReply reply:
                OnReply(ctx, from, reply);
                return true;
            case ClientReplies replies:
                foreach (var r in replies.Replies) OnReply(ctx, from, r);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Handles a replica's reply; true if it was about one of this tracker's transactions.</summary>
    public bool OnReply(INodeContext ctx, NodeId from, ClientReply reply)
    {
        if (!_pending.TryGetValue(reply.Tx, out var p)) return false; // late or duplicate: already final
        if (!reply.Committed)
        {
            if (_rule.Target != TargetSelection.Leader) return true;
            // A redirect (Raft §8: "if the client contacts a follower, the follower redirects it to the leader").
            if (reply.LeaderHint is { } hint && IndexOf(hint) is var i and >= 0 && hint != from)
            {
                _leader = i;
                ctx.Metrics.Add("client_redirects");
                Send(ctx, p);
            }
            else
            {
                if (_replicas[_leader] == from) _leader = (_leader + 1) % _replicas.Count;
                Reschedule(ctx, p, ctx.Now + _rule.RedirectBackoff);
            }
            return true;
        }
        if (_rule.Target == TargetSelection.Leader) { _leader = IndexOf(from) is var l and >= 0 ? l : _leader; Finish(ctx, p, reply); return true; }
        // BFT: distinct replicas agreeing on height and outcome.
        p.Votes ??= [];
        if (p.Votes.Exists(v => v.From == from)) return true;
        p.Votes.Add((from, reply.Height, reply.Outcome?.Accepted ?? true));
        var matching = p.Votes.Count(v => v.Height == reply.Height && v.Accepted == (reply.Outcome?.Accepted ?? true));
        if (matching >= _rule.RepliesNeeded) Finish(ctx, p, reply);
        return true;
    }

    /// <summary>Handles a timer; false if it is not this tracker's.</summary>
    public bool OnTimer(INodeContext ctx, object state)
    {
        if (state is not RetryDue) return false;
        _timer = TimerId.None;
        _timerAt = long.MaxValue;
        while (_deadlines.TryPeek(out var id, out var key) && key.Deadline <= ctx.Now.Nanos)
        {
            _deadlines.Dequeue();
            if (!_pending.TryGetValue(id, out var p) || p.Deadline.Nanos != key.Deadline) continue;
            if (p.Attempts >= _rule.MaxAttempts)
            {
                _pending.Remove(id);
                ctx.Metrics.Add("abandoned_tx");
                continue;
            }
            if (p.RetryIsTimeout && _rule.Target == TargetSelection.Leader) _leader = (_leader + 1) % _replicas.Count;
            ctx.Metrics.Add("client_retries");
            Send(ctx, p);
        }
        Arm(ctx);
        return true;
    }

    private void Send(INodeContext ctx, Pending p)
    {
        p.Attempts++;
        var request = new ClientRequest(p.Tx);
        var size = p.Tx.SizeBytes + RequestOverheadBytes;
        if (_rule.Target == TargetSelection.All) foreach (var r in _replicas) ctx.Send(r, request, size);
        else ctx.Send(_replicas[_leader], request, size);
        Reschedule(ctx, p, ctx.Now + _rule.RetryTimeout, timeout: true);
    }

    private void Reschedule(INodeContext ctx, Pending p, SimTime deadline, bool timeout = false)
    {
        p.Deadline = deadline;
        p.RetryIsTimeout = timeout;
        _deadlines.Enqueue(p.Tx.Id, (deadline.Nanos, _order++));
        if (deadline.Nanos < _timerAt) Arm(ctx);
    }

    private void Arm(INodeContext ctx)
    {
        // Drop stale heads so the timer aims at a live deadline.
        while (_deadlines.TryPeek(out var id, out var key) && (!_pending.TryGetValue(id, out var p) || p.Deadline.Nanos != key.Deadline))
            _deadlines.Dequeue();
        if (!_deadlines.TryPeek(out _, out var head)) return;
        if (_timer != TimerId.None)
        {
            if (_timerAt <= head.Deadline) return;
            ctx.CancelTimer(_timer);
        }
        _timerAt = head.Deadline;
        _timer = ctx.SetTimer(Duration.FromNanos(Math.Max(0, head.Deadline - ctx.Now.Nanos)), RetryDue.Instance);
    }

    private void Finish(INodeContext ctx, Pending p, ClientReply reply)
    {
        _pending.Remove(p.Tx.Id);
        var outcome = reply.Outcome ?? TxOutcome.Ok;
        var f = new Finality(p.Tx, reply.Height, outcome, p.SubmittedAt, ctx.Now, p.Attempts);
        if (f.SubmittedAt >= MeasureFrom) ctx.Metrics.Sample("commit_latency_s", f.Latency.TotalSeconds);
        ctx.Metrics.Add("committed_tx");
        ctx.Metrics.Series("committed_tx");
        if (!outcome.Accepted) ctx.Metrics.Add("rejected_tx");
        Finalized?.Invoke(ctx, f);
    }

    private int IndexOf(NodeId node)
    {
        for (int i = 0; i < _replicas.Count; i++) if (_replicas[i] == node) return i;
        return -1;
    }

    /// <summary>Bytes a request adds to the transaction (framing, client id).</summary>
    public const int RequestOverheadBytes = 32;

    private sealed class Pending(Transaction tx, SimTime submittedAt)
    {
        public Transaction Tx { get; } = tx;
        public SimTime SubmittedAt { get; } = submittedAt;
        public SimTime Deadline;
        public bool RetryIsTimeout;
        public int Attempts;
        public List<(NodeId From, long Height, bool Accepted)>? Votes;
    }

    private sealed record RetryDue
    {
        public static readonly RetryDue Instance = new();
    }
}
