using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Ledger.Blocks;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

/// <summary>
/// The election timer by the letter of §5.2 and Figure 2, driven by hand: which events restart it,
/// and that every restart is a fresh uniform draw that replaces the pending timer.
/// </summary>
public class RaftElectionTimerTests
{
    private static readonly Duration Min = Duration.FromMillis(150), Max = Duration.FromMillis(300);
    private static readonly NodeId N0 = new(0), N2 = new(2), N3 = new(3);

    /// <summary>A replica (n1 of five) on a hand-driven context, and a copy of its random stream to predict its draws.</summary>
    private sealed class Bench
    {
        public readonly ManualNodeContext Ctx = new(nodes: 5, self: 1);
        public readonly RaftReplica Replica;
        private readonly SimRandom _mirror = new(1); // ManualNodeContext's stream; the timer is its only user here

        public Bench(RaftOptions? options = null)
        {
            Replica = new RaftReplica(options ?? new RaftOptions { ElectionTimeoutMin = Min, ElectionTimeoutMax = Max },
                Harness.FreeChain, [.. Enumerable.Range(0, 5).Select(i => new NodeId(i))]);
            Replica.OnStart(Ctx);
        }

        /// <summary>The next timeout the replica will draw.</summary>
        public Duration NextDraw() => Min + Duration.FromNanos(_mirror.NextInt64(0, (Max - Min).Nanos));

        private readonly HashSet<TimerId> _fired = [];

        /// <summary>The one election timer neither cancelled nor fired (there must be exactly one, or none for a leader).</summary>
        public (TimerId Id, SimTime At, object State)? Live
        {
            get
            {
                var live = Ctx.Timers.Where(t => t.State.GetType().Name == "ElectionTick" && !Ctx.Cancelled.Contains(t.Id) && !_fired.Contains(t.Id)).ToList();
                Assert.True(live.Count <= 1, $"{live.Count} election timers armed at once");
                return live.Count == 0 ? null : live[0];
            }
        }

        public void At(double ms) => Ctx.Now = SimTime.Zero + Duration.FromMillis(ms);
        public void Fire()
        {
            var timer = Live!.Value;
            Assert.Equal(timer.At, Ctx.Now);
            _fired.Add(timer.Id);
            Replica.OnTimer(Ctx, timer.State);
        }
    }

    private static AppendEntries Heartbeat(long term, IReadOnlyList<LogEntry>? entries = null) =>
        new(term, N0, 0, 0, entries ?? [], 0);

    [Fact]
    public void A_follower_starts_with_one_timer_at_a_uniform_draw()
    {
        var b = new Bench();
        Assert.Equal(SimTime.Zero + b.NextDraw(), b.Live!.Value.At);
    }

    [Fact]
    public void Every_append_entries_from_the_leader_cancels_the_pending_timer_and_arms_a_fresh_draw_even_a_shorter_one()
    {
        var b = new Bench();
        b.NextDraw();
        var shorterSeen = 0;
        for (int k = 1; k <= 40; k++)
        {
            b.At(50 * k);
            var before = b.Live!.Value;
            b.Replica.OnMessage(b.Ctx, N0, Heartbeat(1));
            var after = b.Live!.Value;
            Assert.Contains(before.Id, b.Ctx.Cancelled);
            Assert.Equal(b.Ctx.Now + b.NextDraw(), after.At);
            if (after.At < before.At) shorterSeen++;
        }
        // A deadline that only moves later would never do this: the old timer would fire first.
        Assert.True(shorterSeen > 0);
    }

    [Fact]
    public void Granting_a_vote_restarts_the_timer_and_refusing_one_does_not()
    {
        var b = new Bench();
        b.NextDraw();
        b.At(40);
        b.Replica.OnMessage(b.Ctx, N2, new RequestVote(1, N2, 0, 0, PreVote: false));
        Assert.True(((RequestVoteReply)b.Ctx.Sent[^1].Message).Granted);
        var afterGrant = b.Live!.Value;
        Assert.Equal(b.Ctx.Now + b.NextDraw(), afterGrant.At);

        b.At(60);
        b.Replica.OnMessage(b.Ctx, N3, new RequestVote(1, N3, 0, 0, PreVote: false)); // already voted for n2 in term 1
        Assert.False(((RequestVoteReply)b.Ctx.Sent[^1].Message).Granted);
        Assert.Equal(afterGrant, b.Live!.Value);
    }

    private static void GiveLogEntry(Bench b, bool etcd = false)
    {
        // One entry from term 1, so a candidate with an empty log is not up to date (§5.4.1).
        var block = new Block(1, Block.Genesis.Hash, [], "n0");
        b.Replica.OnMessage(b.Ctx, N0, Heartbeat(1, [new LogEntry(1, block)]));
        if (etcd) b.NextDraw(); // term 0 → 1 restarts the timer once more under etcd's rule
        b.NextDraw();
    }

    [Fact]
    public void Stepping_down_to_a_higher_term_without_granting_a_vote_keeps_the_timer_as_figure_2_says()
    {
        var b = new Bench();
        b.NextDraw();
        b.At(10);
        GiveLogEntry(b);
        var pending = b.Live!.Value;
        b.At(100);
        b.Replica.OnMessage(b.Ctx, N2, new RequestVote(7, N2, 0, 0, PreVote: false));
        Assert.Equal(7, b.Replica.CurrentTerm);
        Assert.False(((RequestVoteReply)b.Ctx.Sent[^1].Message).Granted);
        Assert.Equal(pending, b.Live!.Value);
    }

    [Fact]
    public void With_etcds_choice_stepping_down_to_a_higher_term_restarts_the_timer()
    {
        var b = new Bench(new RaftOptions { ElectionTimeoutMin = Min, ElectionTimeoutMax = Max, ResetTimerOnHigherTerm = true });
        b.NextDraw();
        b.At(10);
        GiveLogEntry(b, etcd: true);
        var pending = b.Live!.Value;
        b.At(100);
        b.Replica.OnMessage(b.Ctx, N2, new RequestVote(7, N2, 0, 0, PreVote: false));
        Assert.False(((RequestVoteReply)b.Ctx.Sent[^1].Message).Granted);
        Assert.Contains(pending.Id, b.Ctx.Cancelled);
        Assert.Equal(b.Ctx.Now + b.NextDraw(), b.Live!.Value.At);
    }

    [Fact]
    public void A_timeout_starts_an_election_with_a_fresh_timer_and_a_winner_has_none_until_it_steps_down()
    {
        var b = new Bench();
        var first = b.NextDraw();
        b.Ctx.Now = SimTime.Zero + first;
        b.Fire();
        Assert.Equal(RaftRole.Candidate, b.Replica.Role);
        Assert.Equal(b.Ctx.Now + b.NextDraw(), b.Live!.Value.At);

        b.Replica.OnMessage(b.Ctx, N0, new RequestVoteReply(1, true, PreVote: false));
        b.Replica.OnMessage(b.Ctx, N2, new RequestVoteReply(1, true, PreVote: false));
        Assert.Equal(RaftRole.Leader, b.Replica.Role);
        Assert.Null(b.Live);

        b.Replica.OnMessage(b.Ctx, N2, new AppendEntriesReply(2, false, 0, 0, 0)); // a higher term: step down
        Assert.Equal(RaftRole.Follower, b.Replica.Role);
        Assert.Equal(b.Ctx.Now + b.NextDraw(), b.Live!.Value.At);
    }

    [Fact]
    public void After_a_successful_pre_vote_the_election_gets_a_fresh_timeout()
    {
        var b = new Bench(new RaftOptions { ElectionTimeoutMin = Min, ElectionTimeoutMax = Max, PreVote = true });
        b.Ctx.Now = SimTime.Zero + b.NextDraw();
        b.Fire();
        Assert.Equal(RaftRole.PreCandidate, b.Replica.Role);
        Assert.Equal(0, b.Replica.CurrentTerm);
        var preVoteTimer = b.Live!.Value;
        Assert.Equal(b.Ctx.Now + b.NextDraw(), preVoteTimer.At);

        b.At(b.Ctx.Now.Nanos / 1e6 + 12);
        b.Replica.OnMessage(b.Ctx, N0, new RequestVoteReply(0, true, PreVote: true));
        b.Replica.OnMessage(b.Ctx, N2, new RequestVoteReply(0, true, PreVote: true));
        Assert.Equal(RaftRole.Candidate, b.Replica.Role);
        Assert.Contains(preVoteTimer.Id, b.Ctx.Cancelled);
        Assert.Equal(b.Ctx.Now + b.NextDraw(), b.Live!.Value.At);
    }
}
