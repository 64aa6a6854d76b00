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
/// timeout (with back-off where the rule asks for it), and applies the protocol's
/// <see cref="FinalityRule"/> to the replies, counting replies per replica identity (a twin's two
/// instances count once). Protocol-agnostic: it only speaks <see cref="ClientRequest"/> and <see cref="ClientReply"/>.
/// <para>Use it from a behaviour: call <see cref="OnStart"/> in OnStart, pass every message to
/// <see cref="OnMessage"/> (it takes <see cref="ClientReply"/> and <see cref="ClientReplies"/>) and every timer to <see cref="OnTimer"/> (it
/// returns false for timers that are not its own). Finalities arrive through <see cref="Finalized"/>.
/// Records <c>commit_latency_s</c> (submit → final), the <c>committed_tx</c> series and counter,
/// <c>submitted_tx</c>, <c>client_retries</c>, <c>client_redirects</c>, <c>rejected_tx</c>, <c>abandoned_tx</c>.</para>
/// </summary>
public sealed class FinalityTracker
{
    private readonly FinalityRule _rule;
    private readonly ReplicaSet _replicas;
    private readonly NodeSigning _signing;
    private readonly Dictionary<TxId, Pending> _pending = [];
    // Deadlines in time order; entries whose pending deadline moved on are stale and skipped.
    private readonly DeadlineQueue _deadlines = new();
    private TimerId _timer = TimerId.None;
    private long _timerAt = long.MaxValue;
    private long _order;
    private int _leader;
    private SubmissionLog? _log;
    private readonly List<(TxId Tx, SimTime SubmittedAt)> _abandoned = [];
    // Records of finished transactions, reused for new ones (no object per transaction once warm).
    private readonly Stack<Pending> _spare = new();

    public FinalityTracker(FinalityRule rule, ReplicaSet replicas, TransactionSigning signing)
    {
        rule.Validate();
        _rule = rule;
        _replicas = replicas;
        _signing = signing.ForNode();
    }

    /// <summary>A tracker for replicas that run one node each (replica i is <paramref name="replicas"/>[i]).</summary>
    public FinalityTracker(FinalityRule rule, IReadOnlyList<NodeId> replicas, TransactionSigning signing)
        : this(rule, replicas.Count == 0 ? throw new ArgumentException("a client needs at least one replica to talk to") : ReplicaSet.Of(replicas), signing) { }

    /// <summary>Called for each transaction when it becomes final.</summary>
    public Action<INodeContext, Finality>? Finalized { get; set; }

    /// <summary>Latencies of transactions submitted before this are not sampled (warm-up).</summary>
    public SimTime MeasureFrom { get; set; } = SimTime.Zero;

    public int Outstanding => _pending.Count;

    /// <summary>
    /// Transactions this tracker submitted (or resubmitted) that are not final: still chased, or given up on
    /// after the last attempt (<see cref="FinalityRule.MaxAttempts"/>), each with when it was first submitted,
    /// in submission order. What a liveness check reads (<see cref="Common.LivenessChecker"/>).
    /// </summary>
    public IReadOnlyList<(TxId Tx, SimTime SubmittedAt, bool Abandoned)> Unfinished =>
        [.. _pending.Values.Select(p => (p.Tx.Id, p.SubmittedAt, false)).Concat(_abandoned.Select(a => (a.Tx, a.SubmittedAt, true)))
            .OrderBy(u => u.Item2.Nanos).ThenBy(u => u.Item1.Value)];
    public SubmissionLog? Submissions => _log;
    /// <summary>The replica this client currently believes leads (its gateway for <see cref="TargetSelection.Gateway"/>).</summary>
    public NodeId BelievedLeader => _replicas.NodeOf(_leader);
    public FinalityRule Rule => _rule;

    public void OnStart(INodeContext ctx)
    {
        _log = SubmissionLog.Of(ctx);
        // Leader and gateway: spread first guesses (redirects fix a wrong leader); PBFT: view 0's primary.
        _leader = _rule.Target == TargetSelection.Primary ? 0 : ctx.Self.Value % _replicas.Count;
    }

    /// <summary>Builds, signs, records and sends a new transaction. Returns it as sent.</summary>
    public Transaction Submit(INodeContext ctx, int sizeBytes, object? payload = null)
    {
        var log = _log ?? throw new InvalidOperationException("call OnStart first");
        var tx = new Transaction(log.NextId(ctx.Self), ctx.Directory.Name(ctx.Self), payload, sizeBytes, ctx.Now);
        tx = _signing.Sign(ctx, tx);
        log.Record(tx);
        ctx.Metrics.Add(StandardMetrics.SubmittedTx);
        ctx.Metrics.Series(StandardMetrics.SubmittedTx);
        Track(ctx, tx, ctx.Now);
        return tx;
    }

    /// <summary>
    /// Sends again a transaction this node submitted before a restart (same id and content, taken from
    /// its durable <see cref="SubmissionLog"/>): replicas execute each transaction at most once and answer
    /// a resubmission with its first outcome. Its latency counts from the original submission.
    /// </summary>
    public void Resubmit(INodeContext ctx, Transaction tx)
    {
        if (_log?.Find(tx.Id.Sequence) is not { } original || !original.SameContent(tx) || tx.Id.Client != ctx.Self)
            throw new ArgumentException($"{tx.Id} was not submitted by this node");
        if (!_pending.ContainsKey(tx.Id)) Track(ctx, tx, tx.SubmittedAt);
    }

    private void Track(INodeContext ctx, Transaction tx, SimTime submittedAt)
    {
        var p = _spare.TryPop(out var spare) ? spare : new Pending();
        p.Reset(tx, submittedAt, _rule.RetryTimeout);
        _pending[tx.Id] = p;
        Send(ctx, p, retry: false);
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
                foreach (var reply in replies) OnReply(ctx, from, reply);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Handles a replica's reply; true if it was about one of this tracker's transactions.</summary>
    public bool OnReply(INodeContext ctx, NodeId from, ClientReply reply) =>
        OnReply(ctx, from, (reply.Tx, reply.Height, reply.Committed, reply.LeaderHint, reply.Outcome, reply.Confirmations));

    private bool OnReply(INodeContext ctx, NodeId from, (TxId Tx, long Height, bool Committed, NodeId? LeaderHint, TxOutcome? Outcome, int? Confirmations) reply)
    {
        var replica = _replicas.IdentityOf(from);
        // PBFT replies name the current primary: address the next request there.
        if (_rule.Target == TargetSelection.Primary && reply.Committed && reply.LeaderHint is { } primary && _replicas.IdentityOf(primary) is var pi and >= 0)
            _leader = pi;
        if (!_pending.TryGetValue(reply.Tx, out var p)) return false; // late or duplicate: already final
        if (!reply.Committed)
        {
            if (_rule.Target != TargetSelection.Leader) return true;
            // A redirect (Raft §8: "if the client contacts a follower, the follower redirects it to the leader").
            if (reply.LeaderHint is { } hint && _replicas.IdentityOf(hint) is var i and >= 0 && hint != from)
            {
                _leader = i;
                ctx.Metrics.Add(StandardMetrics.ClientRedirects);
                Send(ctx, p, retry: false);
            }
            else
            {
                if (replica == _leader) _leader = (_leader + 1) % _replicas.Count;
                Reschedule(ctx, p, ctx.Now + _rule.RedirectBackoff);
            }
            return true;
        }
        if (replica < 0) return true;
        if (_rule.ConfirmationsNeeded > 0 && reply.Confirmations is { } depth && depth < _rule.ConfirmationsNeeded) return true;
        if (_rule.RepliesNeeded == 1)
        {
            if (_rule.Target == TargetSelection.Leader) _leader = replica;
            Finish(ctx, p, reply);
            return true;
        }
        // BFT: distinct replica identities agreeing on height and outcome.
        p.Votes ??= [];
        // A loop, not Exists with a lambda: capturing `replica` would allocate a closure on every reply.
        foreach (var v in p.Votes) if (v.Replica == replica) return true;
        var accepted = reply.Outcome?.Accepted ?? true;
        p.Votes.Add((replica, reply.Height, accepted));
        var matching = 0;
        foreach (var v in p.Votes)
            if (v.Height == reply.Height && v.Accepted == accepted) matching++;
        if (matching >= _rule.RepliesNeeded) Finish(ctx, p, reply);
        return true;
    }

    /// <summary>Handles a timer; false if it is not this tracker's.</summary>
    public bool OnTimer(INodeContext ctx, object state)
    {
        if (state is not RetryDue) return false;
        _timer = TimerId.None;
        _timerAt = long.MaxValue;
        while (_deadlines.TryPeek(out var id, out var deadline) && deadline <= ctx.Now.Nanos)
        {
            _deadlines.Dequeue();
            if (!_pending.TryGetValue(id, out var p) || p.Deadline.Nanos != deadline) continue;
            if (p.Attempts >= _rule.MaxAttempts)
            {
                _pending.Remove(id);
                _abandoned.Add((id, p.SubmittedAt));
                _spare.Push(p);
                ctx.Metrics.Add(StandardMetrics.AbandonedTx);
                continue;
            }
            if (p.RetryIsTimeout && _rule.Target == TargetSelection.Leader) _leader = (_leader + 1) % _replicas.Count;
            ctx.Metrics.Add(StandardMetrics.ClientRetries);
            if (p.RetryIsTimeout && _rule.BackOff) p.Timeout *= 2;
            Send(ctx, p, retry: p.RetryIsTimeout);
        }
        Arm(ctx);
        return true;
    }

    private void Send(INodeContext ctx, Pending p, bool retry)
    {
        p.Attempts++;
        var request = p.Tx;   // the request is the transaction itself (ClientRequest.TxOf): no envelope per send
        var size = p.Tx.SizeBytes + RequestOverheadBytes;
        var toAll = _rule.Target == TargetSelection.All || (retry && _rule.Target == TargetSelection.Primary);
        if (toAll)
        {
            for (int r = 0; r < _replicas.Count; r++)
                foreach (var node in _replicas.InstancesSpan(r)) ctx.Send(node, request, size);
        }
        else
            foreach (var node in _replicas.InstancesSpan(_leader)) ctx.Send(node, request, size);
        Reschedule(ctx, p, ctx.Now + p.Timeout, timeout: true);
    }

    private void Reschedule(INodeContext ctx, Pending p, SimTime deadline, bool timeout = false)
    {
        p.Deadline = deadline;
        p.RetryIsTimeout = timeout;
        _deadlines.Enqueue(p.Tx.Id, deadline.Nanos, _order++);
        if (deadline.Nanos < _timerAt) Arm(ctx);
    }

    private void Arm(INodeContext ctx)
    {
        // Drop stale heads so the timer aims at a live deadline.
        while (_deadlines.TryPeek(out var id, out var deadline) && (!_pending.TryGetValue(id, out var p) || p.Deadline.Nanos != deadline))
            _deadlines.Dequeue();
        if (!_deadlines.TryPeek(out _, out var head)) return;
        if (_timer != TimerId.None)
        {
            if (_timerAt <= head) return;
            ctx.CancelTimer(_timer);
        }
        _timerAt = head;
        _timer = ctx.SetTimer(Duration.FromNanos(Math.Max(0, head - ctx.Now.Nanos)), RetryDue.Instance);
    }

    private void Finish(INodeContext ctx, Pending p, (TxId Tx, long Height, bool Committed, NodeId? LeaderHint, TxOutcome? Outcome, int? Confirmations) reply)
    {
        _pending.Remove(p.Tx.Id);
        var outcome = reply.Outcome ?? TxOutcome.Ok;
        if (p.SubmittedAt >= MeasureFrom) ctx.Metrics.Sample(StandardMetrics.CommitLatency, (ctx.Now - p.SubmittedAt).TotalSeconds);
        ctx.Metrics.Add(StandardMetrics.CommittedTx);
        ctx.Metrics.Series(StandardMetrics.CommittedTx);
        if (!outcome.Accepted) ctx.Metrics.Add(StandardMetrics.RejectedTx);
        // The record only for a listener (plain load has none: no object per transaction).
        Finalized?.Invoke(ctx, new Finality(p.Tx, reply.Height, outcome, p.SubmittedAt, ctx.Now, p.Attempts));
        _spare.Push(p);   // nothing refers to it any more: retry deadlines name the id, and _pending no longer has it
    }

    /// <summary>Bytes a request adds to the transaction (framing, client id).</summary>
    public const int RequestOverheadBytes = 32;

    private sealed class Pending
    {
        public Transaction Tx = null!;
        public SimTime SubmittedAt;
        public SimTime Deadline;
        public Duration Timeout;
        public bool RetryIsTimeout;
        public int Attempts;
        public List<(int Replica, long Height, bool Accepted)>? Votes;

        public void Reset(Transaction tx, SimTime submittedAt, Duration timeout)
        {
            Tx = tx;
            SubmittedAt = submittedAt;
            Deadline = default;
            Timeout = timeout;
            RetryIsTimeout = false;
            Attempts = 0;
            Votes?.Clear();
        }
    }

    private sealed record RetryDue
    {
        public static readonly RetryDue Instance = new();
    }
}
