using Lab.Consensus.Common;
using Lab.Ledger.Batching;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Raft;

/// <summary>Raft server roles (§5.1).</summary>
public enum RaftRole { Follower, PreCandidate, Candidate, Leader }

/// <summary>
/// One Raft server (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm",
/// 2014), replicating a log of blocks. Read top to bottom in the order the protocol runs: start,
/// election (§5.2, with the §5.4.1 restriction and optional pre-vote), client requests and block
/// cutting, replication with batching and pipelining (§5.3), commit (§5.3, §5.4.2), apply.
/// Durable: term, vote and log (<see cref="RaftDurableState"/>); everything else is rebuilt after a restart.
/// </summary>
public sealed class RaftReplica : IBlockSource, ILeaderRole
{
    private readonly RaftOptions _o;
    private readonly ChainOptions _chain;
    private readonly NodeId[] _servers;   // every replica, self included, in node order (an array: foreach over it allocates nothing)
    private readonly ReplicaLedger _ledger;
    private readonly BlockCutter _cutter;
    private NodeSigning _signing = null!;
    private MembershipGate _gate = null!;
    private RaftDurableState _d = null!;
    private string _name = "";

    // Volatile state on all servers (Figure 2).
    private long _commitIndex;
    private NodeId? _leader;
    private TimerId _electionTimer = TimerId.None;
    private SimTime _heardFromLeaderAt = new(long.MinValue / 2);
    private readonly HashSet<NodeId> _votes = [];

    // Volatile state on leaders (Figure 2), reinitialised after each election; indexed by position in _servers.
    private long[] _nextIndex = [];
    private long[] _matchIndex = [];
    private int[] _inFlight = [];
    private SimTime[] _lastAck = [];      // any reply (check quorum)
    private SimTime[] _lastProgress = []; // last reply that acknowledged entries (pipeline stall detection)
    private TxIdMap? _txIndex; // every transaction in the leader's log → its index (no tx twice)
    private long _heartbeatEpoch;

    // Quiescence (RaftOptions.Quiesce): whether this replica is quiesced, and every server's liveness record as this one knows it.
    private bool _quiesced;
    private SimTime[] _liveUntil = [];
    private TimerId _livenessCheck = TimerId.None;
    private bool _announcedRestart;

    public RaftReplica(RaftOptions options, ChainOptions chain, IReadOnlyList<NodeId> servers)
    {
        _o = options;
        _chain = chain;
        _servers = [.. servers];
        _ledger = new ReplicaLedger(chain.StateMachine(), chain.ReplyBytes);
        _cutter = new BlockCutter(chain.Block);
    }

    public RaftRole Role { get; private set; }
    public long CurrentTerm => _d?.CurrentTerm ?? 0;
    public long CommitIndex => _commitIndex;
    public long LastLogIndex => _d?.LastIndex ?? 0;
    public NodeId? KnownLeader => _leader;
    public CommitLog? Commits => _d is null ? null : _ledger.Commits;
    public bool IsByzantine => false;
    /// <summary>The replica's log (for tests and checkers; do not modify).</summary>
    public IReadOnlyList<LogEntry> Log => _d?.Log ?? [];
    public ReplicaLedger Ledger => _ledger;
    public bool IsActingLeader => Role == RaftRole.Leader;
    /// <summary>Quiesced: a leader that stopped heartbeating, or a follower that stopped its election timer.</summary>
    public bool IsQuiesced => _quiesced;
    long ILeaderRole.Term => CurrentTerm;
    int ILeaderRole.Quorum => Majority;
    public Block? BlockAt(long height) => _d is not null && height >= 1 && height <= _d.LastIndex ? _d.EntryAt(height).Block : null;

    private int Majority => _servers.Length / 2 + 1;

    // ---------------------------------------------------------------- start

    public void OnStart(INodeContext ctx)
    {
        _name = ctx.Directory.Name(ctx.Self);
        _d = RaftDurableState.Of(ctx);   // term, vote and log survive; commitIndex restarts at 0 (Figure 2)
        _ledger.OnStart(ctx);
        _signing = _chain.EffectiveSigning.ForNode();
        _gate = new MembershipGate(_chain.Members, ctx.Directory);
        Role = RaftRole.Follower;       // §5.2: servers start as followers
        ResetElectionTimer(ctx);
        _quiesced = false;
        _livenessCheck = TimerId.None;
        _announcedRestart = false;
        if (_o.Quiesce)
        {
            _liveUntil = new SimTime[_servers.Length];   // nobody known live until its heartbeat arrives
            HeartbeatLiveness(ctx);
        }
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (ClientRequest.TxOf(message) is { } request)
        {
            if (_gate.AdmitSubmission(ctx, from)) OnClientRequest(ctx, request);
            return;
        }
        if (!_gate.AdmitProtocol(ctx, from)) return;
        switch (message)
        {
            case NodeLiveness nl: OnLiveness(ctx, nl); return;
            case QuiesceHeartbeat q: OnQuiesce(ctx, q); return;
        }
        // CockroachDB: any other Raft message wakes a quiesced follower (a quiesced leader wakes on proposals,
        // not on late replies, which would keep it awake whenever round trips exceed the heartbeat).
        if (_quiesced && Role != RaftRole.Leader) WakeFollower(ctx);
        else if (_quiesced && message is RequestVote) WakeLeader(ctx);   // someone campaigns: lead visibly again
        switch (message)
        {
            case RequestVote rv: OnRequestVote(ctx, from, rv); break;
            case RequestVoteReply rvr: OnRequestVoteReply(ctx, from, rvr); break;
            case AppendEntries ae: OnAppendEntries(ctx, from, ae); break;
            case AppendEntriesReply aer: OnAppendEntriesReply(ctx, from, aer); break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case ElectionTick: OnElectionTick(ctx); break;
            case HeartbeatTick hb when hb.Epoch == _heartbeatEpoch && Role == RaftRole.Leader: OnHeartbeat(ctx); break;
            case LivenessTick: HeartbeatLiveness(ctx); break;
            case LeaderLivenessCheck when _quiesced && Role != RaftRole.Leader: CheckLeaderLiveness(ctx); break;
            default:
                if (Role == RaftRole.Leader && _cutter.IsDue(state)) CutBlock(ctx);
                break;
        }
    }

    // ---------------------------------------------------------------- election (§5.2)

    /// <summary>
    /// §5.2: "election timeouts are chosen randomly from a fixed interval". Every reset cancels the
    /// pending timer and arms a new one with a fresh uniform draw from [min, max), so the time to the
    /// next election is always exactly the latest draw. Figure 2 resets it when a follower receives
    /// AppendEntries from the current leader or grants a vote, and when a candidate starts an
    /// election; this replica also arms it when it stops leading (a leader has none).
    /// </summary>
    private void ResetElectionTimer(INodeContext ctx)
    {
        ctx.CancelTimer(_electionTimer);
        var spread = _o.ElectionTimeoutMax.Nanos - _o.ElectionTimeoutMin.Nanos;
        var timeout = _o.ElectionTimeoutMin.Nanos + (spread > 0 ? ctx.Random.NextInt64(0, spread) : 0);
        _electionTimer = ctx.SetTimer(Duration.FromNanos(timeout), ElectionTick.Instance);
    }

    private void StopElectionTimer(INodeContext ctx)
    {
        ctx.CancelTimer(_electionTimer);
        _electionTimer = TimerId.None;
    }

    private void OnElectionTick(INodeContext ctx)
    {
        _electionTimer = TimerId.None;
        if (Role == RaftRole.Leader) return;
        // §5.2: "If election timeout elapses without receiving AppendEntries from current leader or
        // granting vote to candidate: convert to candidate" (first probing with a pre-vote if enabled).
        if (_o.PreVote) StartPreVote(ctx);
        else StartElection(ctx);
    }

    private void StartPreVote(INodeContext ctx)
    {
        Role = RaftRole.PreCandidate;
        _leader = null;
        _votes.Clear();
        _votes.Add(ctx.Self);
        ctx.Metrics.Add(RaftMetrics.PreVotesStarted);
        if (_votes.Count >= Majority) { StartElection(ctx); return; }
        // A pre-vote that fails (no majority) must not stall the node: it tries again after a fresh timeout.
        ResetElectionTimer(ctx);
        // Thesis §9.6: ask for votes in term+1 without incrementing our own term.
        var rv = new RequestVote(_d.CurrentTerm + 1, ctx.Self, _d.LastIndex, _d.LastTerm, PreVote: true);
        foreach (var s in _servers) if (s != ctx.Self) ProtocolTraffic.Send(ctx, s, rv, RequestVote.SizeBytes);
    }

    private void StartElection(INodeContext ctx)
    {
        // §5.2: increment currentTerm, vote for self, reset election timer, send RequestVote to all others.
        Role = RaftRole.Candidate;
        _leader = null;
        _d.CurrentTerm++;
        _d.VotedFor = ctx.Self;
        Persist(ctx);
        _votes.Clear();
        _votes.Add(ctx.Self);
        ctx.Metrics.Add(RaftMetrics.ElectionsStarted);
        ResetElectionTimer(ctx);        // also after a successful pre-vote: the election gets a fresh timeout
        if (_votes.Count >= Majority) { BecomeLeader(ctx); return; }
        var rv = new RequestVote(_d.CurrentTerm, ctx.Self, _d.LastIndex, _d.LastTerm, PreVote: false);
        foreach (var s in _servers) if (s != ctx.Self) ProtocolTraffic.Send(ctx, s, rv, RequestVote.SizeBytes);
    }

    private void OnRequestVote(INodeContext ctx, NodeId from, RequestVote rv)
    {
        // §5.4.1 election restriction: grant only to a candidate whose log is at least as up-to-date:
        // a later last term, or the same last term and at least as long.
        var upToDate = rv.LastLogTerm > _d.LastTerm || (rv.LastLogTerm == _d.LastTerm && rv.LastLogIndex >= _d.LastIndex);
        if (rv.PreVote)
        {
            // Thesis §9.6: grant a pre-vote if the term would be new to us, the log is up to date, and
            // we have not heard from a live leader within the minimum election timeout.
            var leaderAlive = Role == RaftRole.Leader || ctx.Now - _heardFromLeaderAt < _o.ElectionTimeoutMin || (_quiesced && LeaderLive(ctx));
            var grant = rv.Term > _d.CurrentTerm && upToDate && !leaderAlive;
            ProtocolTraffic.Send(ctx, from, new RequestVoteReply(_d.CurrentTerm, grant, PreVote: true), RequestVoteReply.SizeBytes);
            return;
        }
        if (rv.Term > _d.CurrentTerm) StepDown(ctx, rv.Term);
        var granted = rv.Term == _d.CurrentTerm && (_d.VotedFor is null || _d.VotedFor == rv.Candidate) && upToDate;
        if (granted)
        {
            _d.VotedFor = rv.Candidate;
            Persist(ctx);               // the vote is on disk before it leaves (Figure 2)
            ResetElectionTimer(ctx);    // §5.2: granting a vote resets the election timeout
        }
        ProtocolTraffic.Send(ctx, from, new RequestVoteReply(_d.CurrentTerm, granted, PreVote: false), RequestVoteReply.SizeBytes);
    }

    private void OnRequestVoteReply(INodeContext ctx, NodeId from, RequestVoteReply r)
    {
        if (r.Term > _d.CurrentTerm && !(r.PreVote && r.Granted)) { StepDown(ctx, r.Term); return; }
        if (r.PreVote)
        {
            if (Role != RaftRole.PreCandidate || !r.Granted) return;
            _votes.Add(from);
            if (_votes.Count >= Majority) StartElection(ctx);
            return;
        }
        if (Role != RaftRole.Candidate || r.Term != _d.CurrentTerm || !r.Granted) return;
        _votes.Add(from);
        // §5.2: "a candidate wins an election if it receives votes from a majority of the servers".
        if (_votes.Count >= Majority) BecomeLeader(ctx);
    }

    /// <summary>
    /// Any RPC with a higher term: adopt it and become a follower (§5.1); also a leader that loses its
    /// quorum. Figure 2 does not reset the election timer here (only AppendEntries from the current
    /// leader and granting a vote do); etcd does, behind <see cref="RaftOptions.ResetTimerOnHigherTerm"/>.
    /// A leader that steps down has no timer running and arms one.
    /// </summary>
    private void StepDown(INodeContext ctx, long term)
    {
        var wasLeader = Role == RaftRole.Leader;
        var higher = term > _d.CurrentTerm;
        if (higher)
        {
            _d.CurrentTerm = term;
            _d.VotedFor = null;
            Persist(ctx);
        }
        Role = RaftRole.Follower;
        if (wasLeader) { LeaveLeadership(ctx); _leader = null; }
        if (_quiesced) { _quiesced = false; if (!wasLeader) ResetElectionTimer(ctx); }
        if (wasLeader || (higher && _o.ResetTimerOnHigherTerm)) ResetElectionTimer(ctx);
    }

    private void BecomeLeader(INodeContext ctx)
    {
        Role = RaftRole.Leader;
        _leader = ctx.Self;
        _quiesced = false;
        StopElectionTimer(ctx);
        ctx.Metrics.Add(StandardMetrics.LeaderElections);
        ctx.Metrics.Note("leader", $"{_name} leads term {_d.CurrentTerm}");
        var n = _servers.Length;
        // Figure 2: nextIndex = leader's last index + 1, matchIndex = 0.
        _nextIndex = Enumerable.Repeat(_d.LastIndex + 1, n).ToArray();
        _matchIndex = new long[n];
        _inFlight = new int[n];
        _lastAck = Enumerable.Repeat(ctx.Now, n).ToArray();
        _lastProgress = Enumerable.Repeat(ctx.Now, n).ToArray();
        _txIndex = new TxIdMap();
        foreach (var e in _d.Log) foreach (var tx in e.Block.Transactions) _txIndex.Set(tx.Id, e.Index);
        // §8: a new leader commits a blank no-op entry at the start of its term, which also commits
        // every earlier entry it holds (it cannot count replicas for old-term entries, §5.4.2).
        AppendBlock(ctx, []);
        _heartbeatEpoch++;
        ctx.SetTimer(_o.Heartbeat, new HeartbeatTick(_heartbeatEpoch));
    }

    private void LeaveLeadership(INodeContext ctx)
    {
        // Pending transactions are dropped: their clients time out and resend to the new leader.
        _cutter.Clear(ctx);
        _txIndex = null;
        _heartbeatEpoch++;
        ctx.Metrics.Note("leader", $"{_name} steps down in term {_d.CurrentTerm}");
    }

    // ---------------------------------------------------------------- client requests and blocks

    private void OnClientRequest(INodeContext ctx, Transaction tx)
    {
        if (Role != RaftRole.Leader)
        {
            // §8: a follower redirects the client to the leader it knows of (or says it knows none).
            ctx.Send(tx.Id.Client, new ClientReply(tx.Id, 0, false, _leader), _chain.ReplyBytes);
            return;
        }
        // A retried transaction is never appended twice: answer it if committed, else it is on its way.
        if (_txIndex!.TryGetValue(tx.Id, out var index))
        {
            if (index <= _commitIndex) _ledger.ReplyCommitted(ctx, tx.Id, index);
            return;
        }
        if (_cutter.Pool.Contains(tx.Id)) return;
        if (!_signing.Verify(ctx, tx)) { ctx.Metrics.Add(StandardMetrics.InvalidSignatures); return; }
        if (_quiesced) WakeLeader(ctx);     // a new proposal unquiesces the range
        if (_cutter.Add(ctx, tx)) CutBlock(ctx);
    }

    private void CutBlock(INodeContext ctx)
    {
        while (Role == RaftRole.Leader && _cutter.Pool.Count > 0)
        {
            AppendBlock(ctx, _cutter.Cut(ctx));
            if (!_cutter.Pool.HasFullBlock) break;
        }
    }

    /// <summary>The leader appends a new entry to its own log and starts replicating it (§5.3).</summary>
    private void AppendBlock(INodeContext ctx, List<Transaction> txs)
    {
        var previous = _d.LastIndex == 0 ? Block.Genesis.Hash : _d.EntryAt(_d.LastIndex).Block.Hash;
        var block = new Block(_d.LastIndex + 1, previous, txs, _name);
        var hashCost = _chain.Signing.Costs.Hash(block.SizeBytes);
        if (hashCost.Nanos > 0) ctx.ChargeCpu(hashCost);
        _d.Log.Add(new LogEntry(_d.CurrentTerm, block));
        Persist(ctx);
        foreach (var tx in txs) _txIndex!.Set(tx.Id, block.Height);
        _matchIndex[IndexOf(ctx.Self)] = _d.LastIndex;
        foreach (var s in _servers) if (s != ctx.Self) Replicate(ctx, s);
        AdvanceCommitIndex(ctx); // a one-server cluster commits at once
    }

    // ---------------------------------------------------------------- replication (§5.3)

    /// <summary>
    /// Sends as many AppendEntries as the pipeline allows: each carries up to MaxBatchEntries entries
    /// from nextIndex, and nextIndex moves on optimistically (acks or rejections correct it).
    /// </summary>
    private void Replicate(INodeContext ctx, NodeId follower)
    {
        var f = IndexOf(follower);
        while (_inFlight[f] < _o.PipelineDepth && _nextIndex[f] <= _d.LastIndex)
        {
            var from = _nextIndex[f];
            var count = (int)Math.Min(_o.MaxBatchEntries, _d.LastIndex - from + 1);
            SendAppendEntries(ctx, follower, from, count);
            _nextIndex[f] = from + count;
            _inFlight[f]++;
        }
    }

    private void SendAppendEntries(INodeContext ctx, NodeId follower, long from, int count)
    {
        // An array of its own (the log may change while the message is in flight), not a List around one.
        var entries = count == 0 ? NoEntries : new LogEntry[count];
        if (count > 0) _d.Log.CopyTo((int)from - 1, entries, 0, count);
        var size = AppendEntries.HeaderBytes;
        foreach (var e in entries) size += e.Block.SizeBytes;
        var prev = from - 1;
        ProtocolTraffic.Send(ctx, follower, new AppendEntries(_d.CurrentTerm, ctx.Self, prev, _d.TermAt(prev), entries, _commitIndex), size);
    }

    private void OnHeartbeat(INodeContext ctx, bool mayQuiesce = true)
    {
        if (mayQuiesce && _o.Quiesce && CanQuiesce(ctx)) { Quiesce(ctx); return; }
        ctx.SetTimer(_o.Heartbeat, new HeartbeatTick(_heartbeatEpoch));
        // Check quorum (thesis §6.2): without acks from a majority for a whole election timeout, step down.
        if (_o.CheckQuorum && _servers.Length > 1)
        {
            _lastAck[IndexOf(ctx.Self)] = ctx.Now;
            // The Majority-th most recent ack (ascending order: index n - Majority).
            Span<long> acks = stackalloc long[_lastAck.Length];
            for (int i = 0; i < acks.Length; i++) acks[i] = _lastAck[i].Nanos;
            acks.Sort();
            if (ctx.Now - new SimTime(acks[_servers.Length - Majority]) > _o.ElectionTimeoutMax) { StepDown(ctx, _d.CurrentTerm); return; }
        }
        foreach (var s in _servers)
        {
            if (s == ctx.Self) continue;
            var f = IndexOf(s);
            // Lost AppendEntries leave the pipeline stuck: after an election timeout with no ack,
            // fall back to the last index known to match and resend from there.
            if (_inFlight[f] > 0 && ctx.Now - _lastProgress[f] >= _o.ElectionTimeoutMin)
            {
                _nextIndex[f] = _matchIndex[f] + 1;
                _inFlight[f] = 0;
                _lastProgress[f] = ctx.Now;
                ctx.Metrics.Add(RaftMetrics.PipelineResets);
            }
            if (_inFlight[f] < _o.PipelineDepth && _nextIndex[f] <= _d.LastIndex) Replicate(ctx, s);
            else SendAppendEntries(ctx, s, _nextIndex[f], 0); // heartbeat (§5.2)
        }
    }

    private void OnAppendEntries(INodeContext ctx, NodeId from, AppendEntries ae)
    {
        // Figure 2, receiver rule 1: reply false if term < currentTerm.
        if (ae.Term < _d.CurrentTerm)
        {
            ProtocolTraffic.Send(ctx, from, new AppendEntriesReply(_d.CurrentTerm, false, 0, 0, ae.PrevLogIndex), AppendEntriesReply.SizeBytes);
            return;
        }
        // A current leader exists: candidates of this term and stale leaders step down (§5.2).
        if (ae.Term > _d.CurrentTerm || Role != RaftRole.Follower) StepDown(ctx, ae.Term);
        _leader = ae.Leader;
        _heardFromLeaderAt = ctx.Now;
        ResetElectionTimer(ctx);    // Figure 2: AppendEntries from the current leader

        // Rule 2, the consistency check: our log must contain an entry at prevLogIndex with prevLogTerm.
        if (ae.PrevLogIndex > _d.LastIndex)
        {
            ProtocolTraffic.Send(ctx, from, new AppendEntriesReply(_d.CurrentTerm, false, 0, _d.LastIndex + 1, ae.PrevLogIndex), AppendEntriesReply.SizeBytes);
            return;
        }
        if (_d.TermAt(ae.PrevLogIndex) != ae.PrevLogTerm)
        {
            // §5.3 optimisation: point the leader at the first entry of the conflicting term.
            var conflictTerm = _d.TermAt(ae.PrevLogIndex);
            var first = ae.PrevLogIndex;
            while (first > 1 && _d.TermAt(first - 1) == conflictTerm) first--;
            ProtocolTraffic.Send(ctx, from, new AppendEntriesReply(_d.CurrentTerm, false, 0, Math.Max(first, _commitIndex + 1), ae.PrevLogIndex), AppendEntriesReply.SizeBytes);
            return;
        }

        // Rules 3 and 4: delete a conflicting entry and all that follow it; append entries not already in the log.
        var appended = false;
        for (int i = 0; i < ae.Entries.Count; i++)
        {
            var entry = ae.Entries[i];
            var index = ae.PrevLogIndex + 1 + i;
            if (index <= _d.LastIndex)
            {
                if (_d.TermAt(index) == entry.Term) continue;
                Truncate(ctx, index);
            }
            if (_chain.Verify == VerifyAt.AllReplicas) VerifyBlock(ctx, entry.Block);
            _d.Log.Add(entry);
            appended = true;
        }
        if (appended) Persist(ctx);
        var lastNew = ae.PrevLogIndex + ae.Entries.Count;
        // Rule 5: commitIndex = min(leaderCommit, index of last new entry).
        if (ae.LeaderCommit > _commitIndex)
        {
            _commitIndex = Math.Max(_commitIndex, Math.Min(ae.LeaderCommit, lastNew));
            ApplyCommitted(ctx);
        }
        ProtocolTraffic.Send(ctx, from, new AppendEntriesReply(_d.CurrentTerm, true, lastNew, 0, ae.PrevLogIndex), AppendEntriesReply.SizeBytes);
    }

    private void Truncate(INodeContext ctx, long fromIndex)
    {
        // Committed entries are never removed (Leader Completeness, §5.4): if this happens it is a bug,
        // and the safety checker will also see it as a lost committed entry.
        if (fromIndex <= _ledger.Commits.Count)
        {
            ctx.Metrics.Add(StandardMetrics.SafetyViolations);
            ctx.Metrics.Note("safety", $"{_name} truncates committed index {fromIndex} in term {_d.CurrentTerm}");
        }
        ctx.Metrics.Add(RaftMetrics.EntriesTruncated, _d.LastIndex - fromIndex + 1);
        _d.Log.RemoveRange((int)fromIndex - 1, (int)(_d.LastIndex - fromIndex + 1));
    }

    private void VerifyBlock(INodeContext ctx, Block block)
    {
        var hashCost = _chain.Signing.Costs.Hash(block.SizeBytes);
        if (hashCost.Nanos > 0) ctx.ChargeCpu(hashCost);
        var txs = block.Transactions;
        for (int i = 0; i < txs.Count; i++)   // a loop, not foreach: the list's enumerator would be boxed per block
            if (!_signing.Verify(ctx, txs[i])) ctx.Metrics.Add(StandardMetrics.InvalidSignatures);
    }

    private void OnAppendEntriesReply(INodeContext ctx, NodeId from, AppendEntriesReply r)
    {
        if (r.Term > _d.CurrentTerm) { StepDown(ctx, r.Term); return; }
        if (Role != RaftRole.Leader || r.Term != _d.CurrentTerm) return;
        var f = IndexOf(from);
        _lastAck[f] = ctx.Now;
        if (r.Success)
        {
            _matchIndex[f] = Math.Max(_matchIndex[f], r.MatchIndex);
            if (_nextIndex[f] <= _matchIndex[f]) _nextIndex[f] = _matchIndex[f] + 1;
            if (r.MatchIndex > r.PrevLogIndex)
            {
                _inFlight[f] = Math.Max(0, _inFlight[f] - 1);
                _lastProgress[f] = ctx.Now;
            }
            AdvanceCommitIndex(ctx);
        }
        else
        {
            // Follower repair (§5.3): back nextIndex off and retry. A rejection of a request sent
            // before an earlier back-off (its prevLogIndex is already beyond nextIndex) is stale.
            if (r.PrevLogIndex >= _nextIndex[f]) return;
            _nextIndex[f] = Math.Max(_matchIndex[f] + 1, Math.Min(r.ConflictIndex, r.PrevLogIndex));
            _inFlight[f] = 0;
            _lastProgress[f] = ctx.Now;
            ctx.Metrics.Add(RaftMetrics.Repairs);
        }
        Replicate(ctx, from);
    }

    // ---------------------------------------------------------------- commit (§5.3, §5.4.2)

    private void AdvanceCommitIndex(INodeContext ctx)
    {
        // The highest index replicated on a majority: the Majority-th largest matchIndex.
        Span<long> sorted = stackalloc long[_matchIndex.Length];
        _matchIndex.CopyTo(sorted);
        sorted.Sort();
        var n = sorted[_servers.Length - Majority];
        // §5.4.2: only entries from the leader's current term are committed by counting replicas;
        // earlier ones are committed indirectly with them.
        if (n > _commitIndex && _d.TermAt(n) == _d.CurrentTerm)
        {
            _commitIndex = n;
            ApplyCommitted(ctx);
        }
    }

    // ---------------------------------------------------------------- apply

    private void ApplyCommitted(INodeContext ctx)
    {
        // Figure 2: "if commitIndex > lastApplied: increment lastApplied, apply log[lastApplied] to state machine".
        while (_ledger.AppliedHeight < _commitIndex)
        {
            var entry = _d.EntryAt(_ledger.AppliedHeight + 1);
            _ledger.Apply(ctx, entry.Block, replyToClients: Role == RaftRole.Leader);
        }
    }

    // ---------------------------------------------------------------- quiescence (CockroachDB)

    /// <summary>CockroachDB's <c>shouldReplicaQuiesce</c>, in brief: everything is committed and applied, no proposal is
    /// pending, and every live follower has acknowledged the last index with nothing in flight. A follower whose liveness
    /// has expired is left out (it is caught up when it comes back to life, see <see cref="OnLiveness"/>).</summary>
    private bool CanQuiesce(INodeContext ctx)
    {
        if (_commitIndex != _d.LastIndex || _ledger.AppliedHeight != _commitIndex || _cutter.Pool.Count > 0) return false;
        for (int f = 0; f < _servers.Length; f++)
        {
            if (_servers[f] == ctx.Self) continue;
            var caughtUp = _matchIndex[f] == _d.LastIndex && _inFlight[f] == 0;
            if (!caughtUp && _liveUntil[f] > ctx.Now) return false;
        }
        return true;
    }

    /// <summary>The leader sends the quiesce heartbeat and stops heartbeating (no timer armed).</summary>
    private void Quiesce(INodeContext ctx)
    {
        _quiesced = true;
        var q = new QuiesceHeartbeat(_d.CurrentTerm, ctx.Self, _d.LastIndex, _d.LastTerm, _commitIndex);
        foreach (var s in _servers) if (s != ctx.Self) ProtocolTraffic.Send(ctx, s, q, QuiesceHeartbeat.SizeBytes);
    }

    /// <summary>A proposal or a follower back to life: heartbeat at once and on schedule. The acks the quiesced leader
    /// did not need are not held against its followers (check quorum counts from now).</summary>
    private void WakeLeader(INodeContext ctx)
    {
        _quiesced = false;
        Array.Fill(_lastAck, ctx.Now);
        Array.Fill(_lastProgress, ctx.Now);
        _heartbeatEpoch++;
        OnHeartbeat(ctx, mayQuiesce: false);   // a full round of acks before it may quiesce again
    }

    private void WakeFollower(INodeContext ctx)
    {
        _quiesced = false;
        ResetElectionTimer(ctx);
    }

    /// <summary>
    /// A follower quiesces only with the leader's log (same last index and term, so nothing of the leader's is
    /// missing) and while the leader's liveness is valid (CockroachDB refuses the quiesce otherwise). Otherwise the
    /// message counts as a heartbeat: the election timer restarts and, with no more heartbeats, it will campaign.
    /// </summary>
    private void OnQuiesce(INodeContext ctx, QuiesceHeartbeat q)
    {
        if (q.Term < _d.CurrentTerm) return;
        if (q.Term > _d.CurrentTerm || Role != RaftRole.Follower) StepDown(ctx, q.Term);
        _leader = q.Leader;
        _heardFromLeaderAt = ctx.Now;
        if (_d.LastIndex == q.LastIndex && _d.TermAt(q.LastIndex) == q.LastTerm && LeaderLive(ctx))
        {
            if (q.LeaderCommit > _commitIndex) { _commitIndex = Math.Min(q.LeaderCommit, _d.LastIndex); ApplyCommitted(ctx); }
            _quiesced = true;
            StopElectionTimer(ctx);
            WatchLeaderLiveness(ctx);
        }
        else ResetElectionTimer(ctx);
    }

    private bool LeaderLive(INodeContext ctx) => _leader is { } l && _liveUntil[IndexOf(l)] > ctx.Now;

    /// <summary>At the leader's liveness expiry as last known: expired, the follower wakes and will campaign after an
    /// election timeout; renewed meanwhile, it looks again at the new expiry.</summary>
    private void CheckLeaderLiveness(INodeContext ctx)
    {
        _livenessCheck = TimerId.None;
        if (LeaderLive(ctx)) WatchLeaderLiveness(ctx);
        else WakeFollower(ctx);
    }

    private void WatchLeaderLiveness(INodeContext ctx)
    {
        ctx.CancelTimer(_livenessCheck);
        _livenessCheck = ctx.SetTimer(_liveUntil[IndexOf(_leader!.Value)] - ctx.Now, LeaderLivenessCheck.Instance);
    }

    private void HeartbeatLiveness(INodeContext ctx)
    {
        ctx.SetTimer(_o.LivenessHeartbeat, LivenessTick.Instance);
        var record = new NodeLiveness(ctx.Self, ctx.Now + _o.LivenessExpiry, Restarted: !_announcedRestart);
        _announcedRestart = true;
        _liveUntil[IndexOf(ctx.Self)] = record.Expiry;
        foreach (var s in _servers) if (s != ctx.Self) ProtocolTraffic.Send(ctx, s, record, NodeLiveness.SizeBytes);
    }

    /// <summary>A liveness record arrives. A quiesced leader wakes when a follower comes back to life (it had left it
    /// out) or has restarted (its volatile state is gone: it knows no commit index and its election timer runs), as
    /// CockroachDB's leader unquiesces when a follower's liveness changes.</summary>
    private void OnLiveness(INodeContext ctx, NodeLiveness nl)
    {
        var i = IndexOf(nl.Node);
        var wasLive = _liveUntil[i] > ctx.Now;
        if (nl.Expiry > _liveUntil[i]) _liveUntil[i] = nl.Expiry;
        if ((!wasLive || nl.Restarted) && Role == RaftRole.Leader && _quiesced) WakeLeader(ctx);
    }

    // ---------------------------------------------------------------- helpers

    private void Persist(INodeContext ctx)
    {
        if (_o.DiskWrite.Nanos > 0) ctx.ChargeCpu(_o.DiskWrite);
    }

    private int IndexOf(NodeId node)
    {
        for (int i = 0; i < _servers.Length; i++) if (_servers[i] == node) return i;
        throw new ArgumentException($"{node} is not a Raft server");
    }

    private static readonly LogEntry[] NoEntries = [];   // a heartbeat's entries: shared, nothing appends to a message's list

    private sealed record ElectionTick
    {
        public static readonly ElectionTick Instance = new();
    }

    private sealed record HeartbeatTick(long Epoch);

    private sealed record LivenessTick
    {
        public static readonly LivenessTick Instance = new();
    }

    private sealed record LeaderLivenessCheck
    {
        public static readonly LeaderLivenessCheck Instance = new();
    }
}
