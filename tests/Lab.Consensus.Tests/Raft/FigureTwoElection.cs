using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

/// <summary>
/// A minimal Raft election written straight from Figure 2 of the paper, independent of
/// <c>RaftReplica</c>: terms, votes and heartbeats only, every log equal (so every candidate is up
/// to date). The differential tests run it beside the real replica on the same network.
/// <para>A <see cref="Deviation"/> makes it deliberately different, for controls the comparison must reject.</para>
/// </summary>
internal sealed class FigureTwoElection(int servers, Duration timeoutMin, Duration timeoutMax, Duration heartbeat, FigureTwoElection.Deviation deviation = FigureTwoElection.Deviation.None) : INodeBehaviour
{
    public enum Deviation
    {
        None,
        /// <summary>The timer the lab had before issue 11: a reset moved a deadline that the pending timer only checked when it fired.</summary>
        LazyDeadline,
        /// <summary>Granting a vote does not restart the timer (against Figure 2).</summary>
        NoResetOnVote,
        /// <summary>etcd's rule: adopting a higher term restarts the timer.</summary>
        ResetOnHigherTerm,
    }

    private readonly bool lazyDeadline = deviation == Deviation.LazyDeadline;
    public sealed record Vote(long Term, NodeId Candidate);
    public sealed record VoteReply(long Term, bool Granted);
    public sealed record Heartbeat(long Term);
    private sealed record Timeout;
    private sealed record Beat(long Term);

    public long Term { get; private set; }
    public bool IsLeader { get; private set; }
    private NodeId? _votedFor;
    private int _votes;
    private bool _candidate;
    private TimerId _timer;
    private SimTime _deadline;

    public void OnStart(INodeContext ctx) => Restart(ctx);

    // Figure 2, followers: an election timeout is a fresh uniform draw from [min, max).
    private void Restart(INodeContext ctx)
    {
        var spread = (timeoutMax - timeoutMin).Nanos;
        var after = timeoutMin + Duration.FromNanos(spread > 0 ? ctx.Random.NextInt64(0, spread) : 0);
        if (lazyDeadline && _timer != TimerId.None)
        {
            _deadline = ctx.Now + after; // the pending timer notices when it fires
            return;
        }
        ctx.CancelTimer(_timer);
        _deadline = ctx.Now + after;
        _timer = ctx.SetTimer(after, new Timeout());
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is Beat b)
        {
            if (IsLeader && b.Term == Term) SendHeartbeats(ctx);
            return;
        }
        _timer = TimerId.None;
        if (IsLeader) return;
        if (lazyDeadline && ctx.Now < _deadline)
        {
            _timer = ctx.SetTimer(_deadline - ctx.Now, new Timeout());
            return;
        }
        // Candidates: on conversion and on every timeout, increment the term, vote for self,
        // reset the election timer, send RequestVote to all other servers.
        Term++;
        _candidate = true;
        _votedFor = ctx.Self;
        _votes = 1;
        Restart(ctx);
        for (int i = 0; i < servers; i++) if (i != ctx.Self.Value) ctx.Send(new NodeId(i), new Vote(Term, ctx.Self), 48);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Vote v:
                Adopt(ctx, v.Term);
                var grant = v.Term == Term && (_votedFor is null || _votedFor == v.Candidate);
                if (grant)
                {
                    _votedFor = v.Candidate;
                    if (deviation != Deviation.NoResetOnVote) Restart(ctx); // granting a vote restarts the timer
                }
                ctx.Send(from, new VoteReply(Term, grant), 24);
                break;
            case VoteReply r:
                Adopt(ctx, r.Term);
                if (!_candidate || r.Term != Term || !r.Granted) break;
                if (++_votes > servers / 2) Win(ctx);
                break;
            case Heartbeat h:
                if (h.Term < Term) break;
                Adopt(ctx, h.Term);
                _candidate = false;  // a candidate that hears the leader of its term is a follower again
                Restart(ctx);        // AppendEntries from the current leader restarts the timer
                break;
        }
    }

    // All servers: a higher term makes this server a follower of that term (no timer reset in Figure 2).
    private void Adopt(INodeContext ctx, long term)
    {
        if (term <= Term) return;
        Term = term;
        _votedFor = null;
        _candidate = false;
        if (IsLeader || deviation == Deviation.ResetOnHigherTerm)
        {
            IsLeader = false;
            Restart(ctx); // a leader has no timer; as a follower it needs one
        }
    }

    private void Win(INodeContext ctx)
    {
        _candidate = false;
        IsLeader = true;
        ctx.CancelTimer(_timer);
        _timer = TimerId.None;
        ctx.Metrics.Note("leader", $"{ctx.Directory.Name(ctx.Self)} leads term {Term}");
        SendHeartbeats(ctx);
    }

    private void SendHeartbeats(INodeContext ctx)
    {
        for (int i = 0; i < servers; i++) if (i != ctx.Self.Value) ctx.Send(new NodeId(i), new Heartbeat(Term), 64);
        ctx.SetTimer(heartbeat, new Beat(Term));
    }
}
