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
/// and n−1 vote messages.
/// </summary>
public sealed class HotStuffReplica : IReplica
{
    private readonly HotStuffOptions _o;
    private readonly BftCommittee _committee;
    private readonly ByzantineRole _role;
    private readonly BftOutbox _out;
    private readonly int _me;
    private HotStuffState _s = null!;
    private IStateMachine _app = null!;
    private TimerId _viewTimer = TimerId.None;
    private TimerId _batchTimer = TimerId.None;
    private readonly Dictionary<(long View, Hash Node), VoteSet> _votes = [];
    private readonly SortedDictionary<long, SortedDictionary<int, QuorumCert>> _newViews = [];
    private readonly Dictionary<Hash, List<(int From, Proposal P)>> _awaiting = [];
    private TimeoutCert? _tc;

    private sealed record ViewTimeout(long View);
    private sealed record BatchTimeout(long View);

    public HotStuffReplica(int replica, HotStuffOptions options, BftCommittee committee, ByzantineRole role)
    {
        _me = replica;
        _o = options;
        _committee = committee;
        _role = role;
        _out = new BftOutbox(committee, role, options.Costs, Forge);
    }

    public CommitLog? Commits { get; private set; }
    public bool IsByzantine => _role.IsByzantine;
    public long CurrentView => _s.CurView;
    public QuorumCert HighQc => _s.HighQc;
    public long CommittedHeight => _s.Exec.Height;

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
        ArmViewTimer(ctx);
        TryPropose(ctx, force: false);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_role.Is(ByzantineBehaviour.Silent)) return;
        if (message is ClientRequest request) { OnRequest(ctx, request.Tx); return; }
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
        }
    }

    // ---- clients: every replica keeps a mempool; leaders draw batches from it ----

    private void OnRequest(INodeContext ctx, Transaction tx)
    {
        if (_o.Costs.Verify.Nanos > 0) ctx.ChargeCpu(_o.Costs.Verify);
        if (_s.CommittedTx.TryGetValue(tx.Id, out var height)) { Reply(ctx, tx, height, TxOutcome.Ok); return; }
        if (!_s.Mempool.Add(tx)) return;
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
        if (!force && !_s.Mempool.HasFullBlock && _o.Block.BatchTimeout.Nanos > 0)
        {
            if (_batchTimer == TimerId.None) _batchTimer = ctx.SetTimer(_o.Block.BatchTimeout, new BatchTimeout(view));
            return;
        }
        ctx.CancelTimer(_batchTimer);
        _batchTimer = TimerId.None;
        _s.ProposedView = view;
        var node = new HsNode(new Block(parent.Height + 1, parent.Id, Batch(parent), ctx.Directory.Name(ctx.Self)), view, _s.HighQc);
        ctx.ChargeCpu(_o.Costs.Hash(node.Block.SizeBytes));
        var p = new Proposal(node, _tc?.View == view - 1 ? _tc : null, Signature.By(_me));
        var size = p.SizeBytes(N);
        if (_role.Is(ByzantineBehaviour.Equivocate))
        {
            // Byzantine leader: the two halves of the honest replicas get two different leaves.
            var b = p with { Node = Variant(node) };
            _out.Sign(ctx);
            for (int r = 0; r < N; r++) _out.SendUnsigned(ctx, r, _role.VariantFor(r) == 0 ? p : b, size);
        }
        else _out.Multicast(ctx, p, size);
        OnProposal(ctx, _me, p);
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
    /// leader's id and the view, so colluders compute the same one.</summary>
    private HsNode Variant(HsNode a)
    {
        var spend = new Transaction(TxId.For(_committee.NodeOf(Leader(a.View)), (1L << 39) + a.View), "double-spend", null, 256, SimTime.Zero);
        var txs = a.Block.Transactions.Count == 0 ? [spend] : a.Block.Transactions.Skip(1).Prepend(spend).ToList();
        return a with { Block = new Block(a.Height, a.Parent, txs, a.Block.Proposer) };
    }

    // ---- Algorithm 3 onReceiveProposal: update, then vote if safeNode ----

    private void OnProposal(INodeContext ctx, int sender, Proposal p)
    {
        var node = p.Node;
        if (sender != Leader(node.View) || !node.Justify.Valid || node.Parent != node.Justify.Node) { Reject(ctx); return; }
        if (sender != _me && _o.Costs.VerifyAggregate.Nanos > 0) ctx.ChargeCpu(_o.Costs.VerifyAggregate);
        if (p.Tc is { } tc) OnTimeoutCert(ctx, tc);
        if (!_s.Nodes.ContainsKey(node.Parent))
        {
            // Missed the parent (e.g. behind a partition): fetch the branch, then handle this again.
            if (!_awaiting.TryGetValue(node.Parent, out var list)) _awaiting[node.Parent] = list = [];
            if (list.Count == 0) _out.Send(ctx, sender, new BlockRequest(node.Parent, _s.Exec.Height, Signature.By(_me)), BlockRequest.SizeBytes);
            list.Add((sender, p));
            return;
        }
        _s.Nodes.TryAdd(node.Id, node);
        Update(ctx, node.Justify);
        if (node.View > _s.CurView) EnterView(ctx, node.View);
        // Vote once per view, never backwards (vheight), and only for a safe node.
        if (node.View == _s.CurView && node.View > _s.LastVotedView && SafeNode(node))
        {
            _s.LastVotedView = node.View;
            SendVote(ctx, node);
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
        var vote = new Vote(node.View, node.Id, node.Height, _me, Signature.By(_me));
        if (_role.Behaviour is ByzantineBehaviour.DoubleVote or ByzantineBehaviour.Equivocate)
        {
            // Also vote for a conflicting leaf in the same view: honest leaders count one vote per replica.
            var other = Variant(node);
            _out.Send(ctx, next, vote, Vote.SizeBytes);
            _out.Send(ctx, next, vote with { Node = other.Id }, Vote.SizeBytes);
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
        if (!_votes.TryGetValue((v.View, v.Node), out var voters)) _votes[(v.View, v.Node)] = voters = new VoteSet();
        if (!voters.Add(v.Replica) || voters.Count != Quorum) return;
        if (_o.Costs.Aggregate.Nanos > 0) ctx.ChargeCpu(_o.Costs.Aggregate);
        var qc = new QuorumCert(v.View, v.Node, v.Height);
        if (!_s.Nodes.ContainsKey(qc.Node))
        {
            // Certified but unseen here: fetch it before building on it.
            _out.Send(ctx, voters.Voters().First(r => r != _me), new BlockRequest(qc.Node, _s.Exec.Height, Signature.By(_me)), BlockRequest.SizeBytes);
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
        foreach (var k in _votes.Keys.Where(k => k.View < view - 2).ToList()) _votes.Remove(k);
        foreach (var k in _newViews.Keys.TakeWhile(k => k < view - 1).ToList()) _newViews.Remove(k);
        CancelViewTimer(ctx);
        ArmViewTimer(ctx);
        TryPropose(ctx, force: false);
    }

    private void OnLocalTimeout(INodeContext ctx)
    {
        // Give up this view: no vote in it any more; tell everyone (the next leader included) our highest
        // QC. While still in it, re-broadcast every base timeout (partitions drop messages).
        if (_s.TimedOutView != _s.CurView)
        {
            ctx.Metrics.Add("view_changes");
            _s.ConsecutiveTimeouts++;
            _s.TimedOutView = _s.CurView;
        }
        _s.LastVotedView = Math.Max(_s.LastVotedView, _s.CurView);
        var nv = new NewView(_s.CurView, _s.HighQc, _me, Signature.By(_me));
        _out.Multicast(ctx, nv, nv.SizeBytes(N));
        // Re-broadcast on each expiry (messages lost in a partition), backing off exponentially.
        ArmViewTimer(ctx);
        RecordNewView(ctx, nv);
    }

    private void OnNewView(INodeContext ctx, int sender, NewView nv)
    {
        if (sender != nv.Replica || !nv.HighQc.Valid) { Reject(ctx); return; }
        if (_s.Nodes.ContainsKey(nv.HighQc.Node)) Update(ctx, nv.HighQc);
        else if (nv.HighQc.View > _s.HighQc.View)
            _out.Send(ctx, sender, new BlockRequest(nv.HighQc.Node, _s.Exec.Height, Signature.By(_me)), BlockRequest.SizeBytes);
        if (nv.View < _s.CurView)
        {
            // The sender is stuck in a view that is over: show it how it ended.
            var sync = new SyncInfo(_tc is { } tc && tc.View >= nv.View ? tc : null, _s.HighQc, Signature.By(_me));
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
        if (!si.HighQc.Valid) { Reject(ctx); return; }
        if (_s.Nodes.ContainsKey(si.HighQc.Node)) Update(ctx, si.HighQc);
        else if (si.HighQc.View > _s.HighQc.View)
            _out.Send(ctx, sender, new BlockRequest(si.HighQc.Node, _s.Exec.Height, Signature.By(_me)), BlockRequest.SizeBytes);
        if (si.Tc is { } tc && tc.View >= _s.CurView) OnTimeoutCert(ctx, tc);
    }

    private void RecordNewView(INodeContext ctx, NewView nv)
    {
        if (!_newViews.TryGetValue(nv.View, out var byReplica)) _newViews[nv.View] = byReplica = [];
        byReplica[nv.Replica] = nv.HighQc;
        if (byReplica.Count != Quorum) return;
        // 2f+1 new-views: a timeout certificate; everyone moves on, the next leader extends the highest QC.
        if (_o.Costs.Aggregate.Nanos > 0) ctx.ChargeCpu(_o.Costs.Aggregate);
        var high = byReplica.Values.MaxBy(q => q.View)!;
        OnTimeoutCert(ctx, new TimeoutCert(nv.View, high));
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

    // ---- catching up on missed nodes ----

    private void OnBlockRequest(INodeContext ctx, int sender, BlockRequest r)
    {
        var nodes = new List<HsNode>();
        for (var id = r.Node; nodes.Count < 4096 && _s.Nodes.TryGetValue(id, out var n) && n.Height > r.AboveHeight; id = n.Parent)
            nodes.Add(n);
        if (nodes.Count == 0) return;
        var reply = new BlockReply(nodes, Signature.By(_me));
        _out.Send(ctx, sender, reply, reply.SizeBytes(N));
    }

    private void OnBlockReply(INodeContext ctx, int sender, BlockReply r)
    {
        // The nodes must link up by hash (the newest is certified by a QC we hold or were shown).
        for (int i = 0; i + 1 < r.Nodes.Count; i++)
            if (r.Nodes[i].Parent != r.Nodes[i + 1].Id) { Reject(ctx); return; }
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

    private static void Reject(INodeContext ctx) => ctx.Metrics.Add("rejected_messages");

    private static IBftMessage? Forge(IBftMessage m, int claimed) => m switch
    {
        Vote v => v with { Replica = claimed, Sig = Signature.Forged(claimed) },
        _ => null,
    };
}
