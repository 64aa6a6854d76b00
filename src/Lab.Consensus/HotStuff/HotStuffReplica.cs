using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.HotStuff;

/// <summary>
/// A chained HotStuff replica (Yin et al. PODC'19, Algorithm 3), in protocol order: the leader
/// proposes a leaf extending its highest QC, replicas vote (safeNode) to the next view's leader, which
/// forms a QC from n−f votes; each QC drives update(): lock and three-chain commit. The pacemaker (§6)
/// rotates leaders every view, times views out with exponential back-off and synchronises views with
/// new-view messages. With <see cref="HotStuffOptions.TwoChain"/> it runs the Jolteon/DiemBFT-v4 rule.
/// Votes to oneself (when the voter leads the next view) are local, so a view costs n−1 proposal
/// and n−1 vote messages. QCs and TCs carry their signers and are checked against the committee and
/// the signed value (<see cref="HotStuffCertificates"/>) wherever they arrive.
/// </summary>
public sealed class HotStuffReplica : IBlockSource, ILeaderRole
{
    private readonly HotStuffOptions _o;
    private readonly BftCommittee _committee;
    private readonly ByzantineRole _role;
    private readonly BftOutbox _out;
    private readonly Authenticator _auth;
    private readonly HotStuffCertificates _certs;
    private readonly int _me;
    private HotStuffState _s = null!;
    private IStateMachine _app = null!;
    private TimerId _viewTimer = TimerId.None;
    private TimerId _batchTimer = TimerId.None;
    private readonly Dictionary<(long View, Hash Node), VoteSet> _votes = [];
    private readonly List<(long View, Hash Node)> _stale = [];
    private readonly SortedDictionary<long, SortedDictionary<int, NewView>> _newViews = [];
    private readonly Dictionary<Hash, List<(int From, Proposal P)>> _awaiting = [];
    private TimeoutCert? _tc;

    // Quiescence (HotStuffOptions.Quiesce): every replica's lease as known here, the lease watch while the view timer
    // is paused, and the view in which this leader went idle (it sends its highest QC once per such view).
    private SimTime[] _liveUntil = [];
    private TimerId _leaseWatch = TimerId.None;
    private long _idleView;

    private sealed record ViewTimeout(long View);
    private sealed record BatchTimeout(long View);
    private sealed record LivenessTick;
    private sealed record LeaseWatch;

    public HotStuffReplica(int replica, HotStuffOptions options, BftCommittee committee, ByzantineRole role)
    {
        _me = replica;
        _o = options;
        _committee = committee;
        _role = role;
        IsByzantine = role.IsByzantine;
        _auth = new Authenticator(replica, options.Keys);
        _out = new BftOutbox(committee, role, options.Costs, _auth, Forge);
        _certs = new HotStuffCertificates(committee, _auth, options.Costs);
    }

    public CommitLog? Commits { get; private set; }
    /// <summary>A field (read by the chain's safety checkers for every replica on every barrier).</summary>
    public bool IsByzantine { get; }
    public long CurrentView => _s.CurView;
    public QuorumCert HighQc => _s.HighQc;
    public long CommittedHeight => _s.Exec.Height;

    // Seen by the chain's checkers and availability measure (ChainWorld). The commit log records tree-node
    // ids; committed nodes never change, so the walk from b_exec back is cached (rebuilt after a restart).
    private readonly List<HsNode> _committedNodes = [];
    public Block? BlockAt(long height) => CommittedNode(height)?.Block;
    Hash? IBlockSource.CommittedIdAt(long height) => CommittedNode(height)?.Id;
    public bool IsActingLeader => _s is not null && Leader(_s.CurView) == _me && !_role.Is(ByzantineBehaviour.Silent);
    long ILeaderRole.Term => _s?.CurView ?? 0;
    int ILeaderRole.Quorum => _committee.Quorum;
    bool IBlockSource.Delivered(Transaction tx, long height) => _s is not null && _s.CommittedTx.TryGetValue(tx.Id, out var h) && h == height;

    private HsNode? CommittedNode(long height)
    {
        if (_s is null || height < 1 || height > _s.Exec.Height) return null;
        if (_committedNodes.Count < _s.Exec.Height)
        {
            var missing = new List<HsNode>();
            for (var n = _s.Exec; n.Height > _committedNodes.Count; n = _s.Nodes[n.Parent]) missing.Add(n);
            for (int i = missing.Count - 1; i >= 0; i--) _committedNodes.Add(missing[i]);
        }
        return _committedNodes[(int)height - 1];
    }

    private int Quorum => _committee.Quorum;
    private int N => _committee.N;
    private int Leader(long view) => (int)(view % N);

    public void OnStart(INodeContext ctx)
    {
        Commits = CommitLog.Of(ctx);
        _s = ctx.Storage.GetOrAdd(HotStuffState.StorageKey, () => new HotStuffState(_o.Block));
        _app = _o.StateMachine();
        if (_role.Is(ByzantineBehaviour.Silent)) return;
        // The state machine is volatile: re-apply the committed chain.
        var chain = new List<HsNode>();
        for (var n = _s.Exec; n.Height > 0; n = _s.Nodes[n.Parent]) chain.Add(n);
        for (int i = chain.Count - 1; i >= 0; i--) _app.Apply(chain[i].Block, ctx);
        if (_o.Quiesce)
        {
            _leaseWatch = TimerId.None;
            _idleView = 0;
            _liveUntil = new SimTime[N];
            HeartbeatLiveness(ctx);
        }
        Pace(ctx);
        TryPropose(ctx, force: false);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_role.Is(ByzantineBehaviour.Silent)) return;
        if (ClientRequest.TxOf(message) is { } request) { OnRequest(ctx, request); return; }
        if (message is ReplicaLiveness lease) { OnLiveness(ctx, from, lease); return; }
        if (message is not IBftMessage m || !_out.Authentic(ctx, from, m)) return;
        var sender = m.Sig.Signer;
        switch (m)
        {
            case Proposal p: OnProposal(ctx, sender, p); break;
            case Vote v: OnVote(ctx, sender, v); break;
            case NewView nv: OnNewView(ctx, sender, nv); break;
            case SyncInfo si: OnSyncInfo(ctx, sender, si); break;
            case BlockRequest br: OnBlockRequest(ctx, sender, br); break;
            case BlockReply rep: OnBlockReply(ctx, sender, rep); break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case BatchTimeout b:
                _batchTimer = TimerId.None;
                TryPropose(ctx, force: b.View == _s.CurView);
                break;
            case ViewTimeout t when t.View == _s.CurView:
                _viewTimer = TimerId.None;
                OnLocalTimeout(ctx);
                break;
            case BftOutbox.Delayed d:
                _out.Release(ctx, d);
                break;
            case LivenessTick:
                HeartbeatLiveness(ctx);
                break;
            case LeaseWatch:
                _leaseWatch = TimerId.None;
                Pace(ctx);
                break;
        }
    }

    // ---- clients: every replica keeps a mempool; leaders draw batches from it ----

    private void OnRequest(INodeContext ctx, Transaction tx)
    {
        if (_o.Costs.Verify.Nanos > 0) ctx.ChargeCpu(_o.Costs.Verify);
        if (_s.CommittedTx.TryGetValue(tx.Id, out var height)) { Reply(ctx, tx, height, _app.ResultOf(tx.Id) ?? TxOutcome.Ok); return; }
        if (!_s.Mempool.Add(tx)) return;
        if (_o.Quiesce) { Pace(ctx); TryPropose(ctx, force: false); return; }   // a request wakes an idle leader
        if (_s.Mempool.HasFullBlock) TryPropose(ctx, force: false);
    }

    // ---- Algorithm 3 onPropose: the leader extends its highest QC ----

    private void TryPropose(INodeContext ctx, bool force)
    {
        var view = _s.CurView;
        if (Leader(view) != _me || _s.ProposedView >= view) return;
        // §6: the leader of v proposes once it holds QC(v−1) (happy path) or a TC for v−1.
        if (_s.HighQc.View != view - 1 && _tc?.View != view - 1) return;
        if (!_s.Nodes.TryGetValue(_s.HighQc.Node, out var parent)) return;
        if (_o.Quiesce && _s.Mempool.Count == 0) { GoIdle(ctx, view); return; }
        if (!force && !_s.Mempool.HasFullBlock && _o.Block.BatchTimeout.Nanos > 0)
        {
            if (_batchTimer == TimerId.None) _batchTimer = ctx.SetTimer(_o.Block.BatchTimeout, new BatchTimeout(view));
            return;
        }
        ctx.CancelTimer(_batchTimer);
        _batchTimer = TimerId.None;
        _s.ProposedView = view;
        if (Fork(view) is { } justify && _s.Nodes.TryGetValue(justify.Node, out var forkParent))
        {
            // Byzantine leader: a leaf below the committed block, on a forged or stale QC. It does not
            // vote for it itself (its colluders would, beyond f).
            var fork = new HsNode(new Block(forkParent.Height + 1, forkParent.Id, Batch(forkParent), ctx.Directory.Name(ctx.Self)), view, justify);
            ctx.ChargeCpu(_o.Costs.Hash(fork.Block.SizeBytes));
            var fp = new Proposal(fork, _tc?.View == view - 1 ? _tc : null, _auth.Sign(Proposal.For(fork)));
            _out.Multicast(ctx, fp, fp.SizeBytes(N));
            return;
        }
        var node = new HsNode(new Block(parent.Height + 1, parent.Id, Batch(parent), ctx.Directory.Name(ctx.Self)), view, _s.HighQc);
        ctx.ChargeCpu(_o.Costs.Hash(node.Block.SizeBytes));
        var p = new Proposal(node, _tc?.View == view - 1 ? _tc : null, _auth.Sign(Proposal.For(node)));
        var size = p.SizeBytes(N);
        if (_role.Is(ByzantineBehaviour.Equivocate))
        {
            // Byzantine leader: the two halves of the honest replicas get two different leaves.
            var other = Variant(node);
            var b = p with { Node = other, Sig = _auth.Sign(Proposal.For(other)) };
            _out.Sign(ctx);
            for (int r = 0; r < N; r++) _out.SendUnsigned(ctx, r, _role.VariantFor(r) == 0 ? p : b, size);
        }
        else _out.Multicast(ctx, p, size);
        OnProposal(ctx, _me, p);
    }

    /// <summary>
    /// The QC a forking Byzantine leader builds on, or null (honest, or nothing committed yet). Both
    /// aim below the last committed block, at its parent. Stale: the genuine QC that certified that
    /// parent, which honest replicas refuse by safeNode (their lock is newer and elsewhere). Forged:
    /// a QC claiming that parent was certified in the previous view, which would pass safeNode's
    /// liveness rule, made of the votes of the highest QC relabelled (each signed another value).
    /// </summary>
    private QuorumCert? Fork(long view)
    {
        if (_s.Exec.Height == 0) return null;
        var stale = _s.Exec.Justify;
        if (_role.Is(ByzantineBehaviour.StaleQc)) return stale;
        if (!_role.Is(ByzantineBehaviour.ForgeQc)) return null;
        return new QuorumCert(view - 1, stale.Node, stale.Height, _s.HighQc.Votes);
    }

    /// <summary>Waiting transactions not already in an uncommitted ancestor of the new leaf.</summary>
    private List<Transaction> Batch(HsNode parent)
    {
        var inFlight = new HashSet<TxId>();
        for (var n = parent; n.Height > _s.Exec.Height && _s.Nodes.TryGetValue(n.Parent, out var up); n = up)
            foreach (var tx in n.Block.Transactions) inFlight.Add(tx.Id);
        return _s.Mempool.NextBlock(tx => inFlight.Contains(tx.Id), out _);
    }

    /// <summary>The conflicting leaf: the first transaction replaced by a double spend. Derived from the
    /// leader's id and the view, so colluders compute the same one. (A new node, not <c>a with { … }</c>,
    /// which would copy <c>a</c>'s cached id.)</summary>
    private HsNode Variant(HsNode a)
    {
        var spend = new Transaction(TxId.For(_committee.NodeOf(Leader(a.View)), (1L << 39) + a.View), "double-spend", null, 256, SimTime.Zero);
        var txs = a.Block.Transactions.Count == 0 ? [spend] : a.Block.Transactions.Skip(1).Prepend(spend).ToList();
        return new HsNode(new Block(a.Height, a.Parent, txs, a.Block.Proposer), a.View, a.Justify);
    }

    // ---- Algorithm 3 onReceiveProposal: update, then vote if safeNode ----

    private void OnProposal(INodeContext ctx, int sender, Proposal p)
    {
        var node = p.Node;
        if (sender != Leader(node.View) || node.Parent != node.Justify.Node) { Reject(ctx); return; }
        if (!_certs.Qc(ctx, node.Justify) || (p.Tc is { } bad && !_certs.Tc(ctx, bad))) { Reject(ctx, BftMetrics.HotStuffInvalidCertificates); return; }
        if (p.Tc is { } tc) OnTimeoutCert(ctx, tc);
        if (!_s.Nodes.ContainsKey(node.Parent))
        {
            // Missed the parent (e.g. behind a partition): fetch the branch, then handle this again.
            if (!_awaiting.TryGetValue(node.Parent, out var list)) _awaiting[node.Parent] = list = [];
            if (list.Count == 0) RequestBlock(ctx, sender, node.Parent);
            list.Add((sender, p));
            return;
        }
        _s.Nodes.TryAdd(node.Id, node);
        Update(ctx, node.Justify);
        if (node.View > _s.CurView) EnterView(ctx, node.View);
        // Vote once per view, never backwards (vheight), and only for a safe node.
        if (node.View == _s.CurView && node.View > _s.LastVotedView)
        {
            if (SafeNode(node))
            {
                _s.LastVotedView = node.View;
                SendVote(ctx, node);
            }
            else ctx.Metrics.Add(BftMetrics.HotStuffUnsafeProposals);
        }
        TryPropose(ctx, force: false);
    }

    /// <summary>safeNode (Algorithm 1/3): extends the locked node (safety) or carries a newer QC than the lock (liveness).</summary>
    private bool SafeNode(HsNode node)
    {
        if (_o.TwoChain) return node.Justify.View >= _s.LockedQc.View; // Jolteon: the QC is at least the lock
        return node.Justify.View > _s.LockedQc.View || Extends(node, _s.LockedQc);
    }

    private bool Extends(HsNode node, QuorumCert ancestor)
    {
        var n = node;
        while (n.Height > ancestor.Height)
            if (!_s.Nodes.TryGetValue(n.Parent, out n!)) return false;
        return n.Id == ancestor.Node;
    }

    private void SendVote(INodeContext ctx, HsNode node)
    {
        var next = Leader(node.View + 1);
        var vote = new Vote(node.View, node.Id, node.Height, _me, _auth.Sign(Vote.For(node.View, node.Height, node.Id)));
        if (_role.Behaviour is ByzantineBehaviour.DoubleVote or ByzantineBehaviour.Equivocate)
        {
            // Also vote for a conflicting leaf in the same view: honest leaders count one vote per replica.
            var other = Variant(node);
            _out.Send(ctx, next, vote, Vote.SizeBytes);
            _out.Send(ctx, next, vote with { Node = other.Id, Sig = _auth.Sign(Vote.For(node.View, node.Height, other.Id)) }, Vote.SizeBytes);
            if (next == _me) OnVote(ctx, _me, vote);
            return;
        }
        if (next == _me) OnVote(ctx, _me, vote);
        else _out.Send(ctx, next, vote, Vote.SizeBytes);
    }

    // ---- Algorithm 3 onReceiveVote: n−f votes form a QC ----

    private void OnVote(INodeContext ctx, int sender, Vote v)
    {
        if (sender != v.Replica) { Reject(ctx); return; }
        if (Leader(v.View + 1) != _me || v.View < _s.HighQc.View) return;
        if (!_votes.TryGetValue((v.View, v.Node), out var voters)) _votes[(v.View, v.Node)] = voters = new VoteSet(N);
        if (!voters.Add(v.Replica, v) || voters.Count != Quorum) return;
        if (_o.Costs.Aggregate.Nanos > 0) ctx.ChargeCpu(_o.Costs.Aggregate);
        // The QC: the signers' votes, each verified on receipt (or this replica's own).
        var sigs = new List<Signature>(voters.Count);
        for (var r = voters.Next(0); r >= 0; r = voters.Next(r + 1))
            if (voters.MessageOf<Vote>(r) is { } vote) sigs.Add(vote.Sig);
        var qc = new QuorumCert(v.View, v.Node, v.Height, sigs);
        _certs.Trust(qc);
        if (!_s.Nodes.ContainsKey(qc.Node))
        {
            // Certified but unseen here: fetch it before building on it.
            RequestBlock(ctx, voters.Voters().First(r => r != _me), qc.Node);
            _s.HighQc = qc.View > _s.HighQc.View ? qc : _s.HighQc;
            return;
        }
        Update(ctx, qc);
        TryPropose(ctx, force: false);
    }

    // ---- Algorithm 3 update: highest QC, lock, commit ----

    private void Update(INodeContext ctx, QuorumCert qc)
    {
        if (qc.View > _s.HighQc.View) _s.HighQc = qc;
        if (qc.View + 1 > _s.CurView) { _s.ConsecutiveTimeouts = 0; EnterView(ctx, qc.View + 1); }
        if (!_s.Nodes.TryGetValue(qc.Node, out var b2) || !_s.Nodes.TryGetValue(b2.Justify.Node, out var b1)) return;
        if (_o.TwoChain)
        {
            if (qc.View > _s.LockedQc.View) _s.LockedQc = qc;
            // Two-chain: b' is committed once its direct child b'', from the very next view, is certified.
            if (b2.Parent == b1.Id && b2.View == b1.View + 1) Commit(ctx, b1);
            return;
        }
        // Three-chain: lock on b' (two-chain), commit b when b'' → b' → b are direct parents.
        if (b2.Justify.View > _s.LockedQc.View) _s.LockedQc = b2.Justify;
        if (!_s.Nodes.TryGetValue(b1.Justify.Node, out var b0)) return;
        if (b2.Parent == b1.Id && b1.Parent == b0.Id) Commit(ctx, b0);
    }

    /// <summary>onCommit: commits the node and every uncommitted ancestor, oldest first.</summary>
    private void Commit(INodeContext ctx, HsNode node)
    {
        if (node.Height <= _s.Exec.Height) return;
        var chain = new List<HsNode>();
        for (var n = node; n.Height > _s.Exec.Height; n = _s.Nodes[n.Parent]) chain.Add(n);
        chain.Reverse();
        foreach (var n in chain)
        {
            var outcomes = _app.Apply(n.Block, ctx);
            Commits!.Commit(n.Height, n.Id, n.Block.Transactions.Count, ctx.Now);
            for (int i = 0; i < n.Block.Transactions.Count; i++)
            {
                var tx = n.Block.Transactions[i];
                if (!_s.CommittedTx.TryAdd(tx.Id, n.Height)) continue;
                _s.Mempool.Remove(tx.Id);
                Reply(ctx, tx, n.Height, i < outcomes.Count ? outcomes[i] : null);
            }
            _s.Exec = n;
        }
        if (_o.Quiesce) Pace(ctx);
    }

    private void Reply(INodeContext ctx, Transaction tx, long height, TxOutcome? outcome)
    {
        if (_role.IsByzantine && _role.Behaviour != ByzantineBehaviour.Twin) return;
        ctx.Send(tx.Id.Client, new ClientReply(tx.Id, height, true, null, outcome), 96);
    }

    // ---- §6 pacemaker: view timeouts, new-view messages, view synchronisation ----

    private void EnterView(INodeContext ctx, long view)
    {
        if (view <= _s.CurView) return;
        _s.CurView = view;
        if (_votes.Count > 0)
        {
            // (A reused list: this runs on every replica in every view.)
            foreach (var k in _votes.Keys) if (k.View < view - 2) _stale.Add(k);
            foreach (var k in _stale) _votes.Remove(k);
            _stale.Clear();
        }
        while (_newViews.Count > 0 && _newViews.First().Key < view - 1) _newViews.Remove(_newViews.First().Key);
        _certs.ForgetBelow(view - 8);
        CancelViewTimer(ctx);
        Pace(ctx);
        TryPropose(ctx, force: false);
    }

    private void OnLocalTimeout(INodeContext ctx)
    {
        // Give up this view: no vote in it any more; tell everyone (the next leader included) our highest
        // QC. While still in it, re-broadcast every base timeout (partitions drop messages).
        if (_s.TimedOutView != _s.CurView)
        {
            ctx.Metrics.Add(StandardMetrics.ViewChanges);
            _s.ConsecutiveTimeouts++;
            _s.TimedOutView = _s.CurView;
        }
        _s.LastVotedView = Math.Max(_s.LastVotedView, _s.CurView);
        var nv = new NewView(_s.CurView, _s.HighQc, _me, _auth.Sign(NewView.For(_s.CurView, _s.HighQc.View)));
        _out.Multicast(ctx, nv, nv.SizeBytes(N));
        // Re-broadcast on each expiry (messages lost in a partition), backing off exponentially.
        Pace(ctx);
        RecordNewView(ctx, nv);
    }

    private void OnNewView(INodeContext ctx, int sender, NewView nv)
    {
        if (sender != nv.Replica) { Reject(ctx); return; }
        if (!_certs.Qc(ctx, nv.HighQc)) { Reject(ctx, BftMetrics.HotStuffInvalidCertificates); return; }
        if (_s.Nodes.ContainsKey(nv.HighQc.Node)) Update(ctx, nv.HighQc);
        else if (nv.HighQc.View > _s.HighQc.View) RequestBlock(ctx, sender, nv.HighQc.Node);
        if (nv.View < _s.CurView)
        {
            // The sender is stuck in a view that is over: show it how it ended.
            var tcToShow = _tc is { } tc && tc.View >= nv.View ? tc : null;
            var sync = new SyncInfo(tcToShow, _s.HighQc, _auth.Sign(SyncInfo.For(tcToShow, _s.HighQc)));
            _out.Send(ctx, sender, sync, sync.SizeBytes(N));
            return;
        }
        RecordNewView(ctx, nv);
        // Bracha-style synchronisation: f+1 replicas are past our view, so an honest one is: join them.
        var ahead = _newViews.Where(kv => kv.Key > _s.CurView).SelectMany(kv => kv.Value.Keys.Select(r => (r, kv.Key)))
            .GroupBy(x => x.r).Select(g => g.Max(x => x.Key)).OrderDescending().ToList();
        if (ahead.Count >= _committee.F + 1)
        {
            EnterView(ctx, ahead[_committee.F]);
            CancelViewTimer(ctx);
            OnLocalTimeout(ctx);
        }
    }

    private void OnSyncInfo(INodeContext ctx, int sender, SyncInfo si)
    {
        if (!_certs.Qc(ctx, si.HighQc) || (si.Tc is { } bad && !_certs.Tc(ctx, bad))) { Reject(ctx, BftMetrics.HotStuffInvalidCertificates); return; }
        if (_s.Nodes.ContainsKey(si.HighQc.Node)) Update(ctx, si.HighQc);
        else if (si.HighQc.View > _s.HighQc.View) RequestBlock(ctx, sender, si.HighQc.Node);
        if (si.Tc is { } tc && tc.View >= _s.CurView) OnTimeoutCert(ctx, tc);
    }

    private void RecordNewView(INodeContext ctx, NewView nv)
    {
        if (!_newViews.TryGetValue(nv.View, out var byReplica)) _newViews[nv.View] = byReplica = [];
        byReplica[nv.Replica] = nv;
        if (byReplica.Count != Quorum) return;
        // 2f+1 new-views: a timeout certificate; everyone moves on, the next leader extends the highest QC.
        if (_o.Costs.Aggregate.Nanos > 0) ctx.ChargeCpu(_o.Costs.Aggregate);
        var high = byReplica.Values.Select(m => m.HighQc).MaxBy(q => q.View)!;
        var tc = new TimeoutCert(nv.View, high, byReplica.Values.Select(m => new TimeoutVote(m.HighQc.View, m.Sig)).ToList());
        _certs.Trust(tc);
        OnTimeoutCert(ctx, tc);
    }

    private void OnTimeoutCert(INodeContext ctx, TimeoutCert tc)
    {
        if (_tc is null || tc.View > _tc.View) _tc = tc;
        if (_s.Nodes.ContainsKey(tc.HighQc.Node) && tc.HighQc.View > _s.HighQc.View) _s.HighQc = tc.HighQc;
        EnterView(ctx, tc.View + 1);
    }

    private void ArmViewTimer(INodeContext ctx)
    {
        if (_viewTimer != TimerId.None) return;
        var doublings = _s.TimedOutView == _s.CurView ? 0 : Math.Min(_s.ConsecutiveTimeouts, _o.MaxBackoffDoublings);
        _viewTimer = ctx.SetTimer(_o.ViewTimeout * (1L << doublings), new ViewTimeout(_s.CurView));
    }

    private void CancelViewTimer(INodeContext ctx)
    {
        if (_viewTimer == TimerId.None) return;
        ctx.CancelTimer(_viewTimer);
        _viewTimer = TimerId.None;
    }

    // ---- quiescence (HotStuffOptions.Quiesce) ----

    /// <summary>
    /// The view timer runs unless this replica may pause it: quiescence is on, it holds no uncommitted request, and
    /// the view's leader holds a valid lease (then a watch fires at the lease's expiry and looks again). Without
    /// quiescence this is the paper's pacemaker: always armed.
    /// </summary>
    private void Pace(INodeContext ctx)
    {
        if (!_o.Quiesce) { ArmViewTimer(ctx); return; }
        if (_s.Mempool.Count > 0 || _liveUntil[Leader(_s.CurView)] <= ctx.Now)
        {
            ctx.CancelTimer(_leaseWatch);
            _leaseWatch = TimerId.None;
            ArmViewTimer(ctx);
            return;
        }
        CancelViewTimer(ctx);
        if (_leaseWatch == TimerId.None) _leaseWatch = ctx.SetTimer(_liveUntil[Leader(_s.CurView)] - ctx.Now, new LeaseWatch());
    }

    /// <summary>The leader of <paramref name="view"/> has nothing to propose: no empty node. Once per view it sends its
    /// highest QC (DiemBFT's SyncInfo), which carries the certificate that commits the tail of the chain everywhere.</summary>
    private void GoIdle(INodeContext ctx, long view)
    {
        ctx.CancelTimer(_batchTimer);
        _batchTimer = TimerId.None;
        if (_idleView == view) return;
        _idleView = view;
        var sync = new SyncInfo(null, _s.HighQc, _auth.Sign(SyncInfo.For(null, _s.HighQc)));
        _out.Multicast(ctx, sync, sync.SizeBytes(N));
        Pace(ctx);
    }

    private void HeartbeatLiveness(INodeContext ctx)
    {
        ctx.SetTimer(_o.LivenessHeartbeat, new LivenessTick());
        var lease = new ReplicaLiveness(_me, ctx.Now + _o.LivenessExpiry);
        _liveUntil[_me] = lease.Expiry;
        for (int r = 0; r < N; r++) if (r != _me) ctx.Send(_committee.NodeOf(r), lease, ReplicaLiveness.SizeBytes);
    }

    private void OnLiveness(INodeContext ctx, NodeId from, ReplicaLiveness lease)
    {
        if (!_o.Quiesce || lease.Replica < 0 || lease.Replica >= N || _committee.NodeOf(lease.Replica) != from) return;
        if (lease.Expiry > _liveUntil[lease.Replica]) _liveUntil[lease.Replica] = lease.Expiry;
        if (lease.Replica == Leader(_s.CurView)) Pace(ctx);
    }

    // ---- catching up on missed nodes ----

    private void OnBlockRequest(INodeContext ctx, int sender, BlockRequest r)
    {
        var nodes = new List<HsNode>();
        for (var id = r.Node; nodes.Count < 4096 && _s.Nodes.TryGetValue(id, out var n) && n.Height > r.AboveHeight; id = n.Parent)
            nodes.Add(n);
        if (nodes.Count == 0) return;
        var reply = new BlockReply(nodes, _auth.Sign(BlockReply.For(nodes)));
        _out.Send(ctx, sender, reply, reply.SizeBytes(N));
    }

    private void OnBlockReply(INodeContext ctx, int sender, BlockReply r)
    {
        // The nodes must link up by hash (the newest is certified by a QC we hold or were shown).
        for (int i = 0; i + 1 < r.Nodes.Count; i++)
            if (r.Nodes[i].Parent != r.Nodes[i + 1].Id) { Reject(ctx); return; }
        // Their QCs drive update() below: each must hold.
        foreach (var n in r.Nodes)
            if (!_certs.Qc(ctx, n.Justify)) { Reject(ctx, BftMetrics.HotStuffInvalidCertificates); return; }
        for (int i = r.Nodes.Count - 1; i >= 0; i--)
        {
            var n = r.Nodes[i];
            if (!_s.Nodes.ContainsKey(n.Parent)) continue;
            _s.Nodes.TryAdd(n.Id, n);
        }
        foreach (var n in r.Nodes.Reverse())
            if (_s.Nodes.ContainsKey(n.Id)) Update(ctx, n.Justify);
        if (_s.Nodes.ContainsKey(_s.HighQc.Node)) Update(ctx, _s.HighQc);
        foreach (var n in r.Nodes)
            if (_awaiting.Remove(n.Id, out var waiting))
                foreach (var (from, p) in waiting) OnProposal(ctx, from, p);
        TryPropose(ctx, force: false);
    }

    private void RequestBlock(INodeContext ctx, int from, Hash node) =>
        _out.Send(ctx, from, new BlockRequest(node, _s.Exec.Height, _auth.Sign(BlockRequest.For(node, _s.Exec.Height))), BlockRequest.SizeBytes);

    private static void Reject(INodeContext ctx, string? reason = null)
    {
        ctx.Metrics.Add(BftMetrics.RejectedMessages);
        if (reason is not null) ctx.Metrics.Add(reason);
    }

    /// <summary>Forge: the same vote under another replica's name (signed with the forger's own key).</summary>
    private IBftMessage? Forge(IBftMessage m, int claimed) => m switch
    {
        Vote v => v with { Replica = claimed, Sig = _auth.ForgeAs(claimed, v.Statement) },
        _ => null,
    };
}
