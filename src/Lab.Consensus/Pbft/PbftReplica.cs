using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Pbft;

/// <summary>
/// A PBFT replica (Castro and Liskov, OSDI'99; TOCS'02), in the order the protocol runs: requests
/// (§4.1), pre-prepare, prepare, commit (§4.2), execution and replies, checkpoints and garbage
/// collection (§4.3), view change and new view (§4.4), liveness timers (§4.5.2).
/// A replica does not send its own prepares and commits to itself: it records them locally, so
/// for n = 4 one request costs 3 pre-prepares, 9 prepares, 12 commits and 4 replies.
/// Certificates are real (§4.3–4.4): view-changes carry the stable checkpoint's 2f+1 checkpoint
/// messages and, for each prepared request, its pre-prepare and 2f prepares; a new-view carries the
/// 2f+1 view-changes; receivers verify every signature inside (<see cref="PbftCertificates"/>) and
/// recompute O from V instead of trusting the primary.
/// </summary>
public sealed class PbftReplica : IBlockSource, ILeaderRole
{
    private readonly PbftOptions _o;
    private readonly BftCommittee _committee;
    private readonly ByzantineRole _role;
    private readonly BftOutbox _out;
    private readonly Authenticator _auth;
    private readonly PbftCertificates _certs;
    private readonly int _me;
    private PbftState _s = null!;
    private IStateMachine _app = null!;
    private TimerId _viewTimer = TimerId.None;
    private TimerId _batchTimer = TimerId.None;
    private long _transferAskedFor = -1;
    /// <summary>
    /// Pre-prepares that arrived before the new-view of their view was installed, by (view, seq).
    /// On a non-FIFO link a small pre-prepare overtakes the large new-view sent just before it; the paper's
    /// links retransmit until delivered, ours do not, so dropping it would stall the view until its timer
    /// fires, and the same race recurs in every later view. Volatile (lost on a crash), bounded by the
    /// watermark window, and only from the primary of that view with a valid signature.
    /// </summary>
    private readonly SortedDictionary<(long View, long Seq), PrePrepare> _early = [];

    private sealed record BatchTimeout { public static readonly BatchTimeout Instance = new(); }
    // Armed again after every executed batch: one shared state object (it carries nothing).
    private sealed record ViewTimeout { public static readonly ViewTimeout Instance = new(); }
    private sealed record ResendViewChange(long View);
    private sealed record RetryStateTransfer;
    private TimerId _transferTimer = TimerId.None;
    private int _transferSource = -1;
    /// <summary>Whether a request already has a sequence number in this view: made once, not a closure per batch attempt.</summary>
    private readonly Func<Transaction, bool> _isAssigned;

    public PbftReplica(int replica, PbftOptions options, BftCommittee committee, ByzantineRole role)
    {
        _me = replica;
        _o = options;
        _committee = committee;
        _role = role;
        IsByzantine = role.IsByzantine;
        _auth = new Authenticator(replica, options.Keys);
        _out = new BftOutbox(committee, role, options.Costs, _auth, Forge);
        _certs = new PbftCertificates(committee, _auth, options.Costs, options.WatermarkWindow);
        _isAssigned = tx => _s.Assigned.Contains(tx.Id);
    }

    public CommitLog? Commits { get; private set; }
    /// <summary>A field (read by the chain's safety checkers for every replica on every barrier).</summary>
    public bool IsByzantine { get; }
    public int Replica => _me;
    public long View => _s.View;
    public bool ViewActive => _s.ViewActive;
    public long LastExecuted => _s.LastExecuted;
    public long LowWatermark => _s.LowWatermark;
    public bool IsPrimary => Primary(_s.View) == _me;
    /// <summary>The protocol state, for tests and observers (read between windows only).</summary>
    public PbftState State => _s;

    // Seen by the chain's checkers and availability measure (ChainWorld): executed batches are the blocks.
    public Block? BlockAt(long height) => _s is not null && height >= 1 && height <= _s.Executed.Count ? _s.Executed[(int)height - 1] : null;
    public bool IsActingLeader => _s is not null && _s.ViewActive && Primary(_s.View) == _me && !_role.Is(ByzantineBehaviour.Silent);
    long ILeaderRole.Term => _s?.View ?? 0;
    int ILeaderRole.Quorum => _committee.Quorum;
    bool IBlockSource.Delivered(Transaction tx, long height) => _s is not null && _s.ExecutedTx.TryGetValue(tx.Id, out var seq) && seq == height;

    private int F => _committee.F;
    private int Quorum => _committee.Quorum;
    private int Primary(long view) => (int)(view % _committee.N);

    public void OnStart(INodeContext ctx)
    {
        Commits = CommitLog.Of(ctx);
        _s = ctx.Storage.GetOrAdd(PbftState.StorageKey, () => new PbftState(_o.Block));
        _app = _o.StateMachine();
        foreach (var b in _s.Executed) _app.Apply(b, ctx);
        if (_role.Is(ByzantineBehaviour.Silent)) return;
        if (!_s.ViewActive)
        {
            ctx.SetTimer(_o.ViewChangeTimeout, new ResendViewChange(_s.View));
            ArmViewChangeTimer(ctx);
        }
        else if (_s.Waiting.Count > 0) ArmViewTimer(ctx);
        TryCutBatch(ctx, force: false);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_role.Is(ByzantineBehaviour.Silent)) return;
        if (ClientRequest.TxOf(message) is { } request) { OnRequest(ctx, request); return; }
        if (message is not IBftMessage m || !_out.Authentic(ctx, from, m)) return;
        var sender = m.Sig.Signer;
        switch (m)
        {
            case PrePrepare pp: OnPrePrepare(ctx, sender, pp); break;
            case Prepare p: OnPrepare(ctx, sender, p); break;
            case Commit c: OnCommit(ctx, sender, c); break;
            case Checkpoint cp: OnCheckpoint(ctx, sender, cp); break;
            case ViewChange vc: OnViewChange(ctx, sender, vc); break;
            case NewView nv when sender == Primary(nv.View): OnNewView(ctx, nv, signatureChecked: true); break;
            case NewView: Reject(ctx); break;
            case ForwardedNewView fnv: OnNewView(ctx, fnv.Inner, signatureChecked: false); break;
            case StateRequest sr: OnStateRequest(ctx, sender, sr); break;
            case StateReply rep: OnStateReply(ctx, rep); break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case BatchTimeout:
                _batchTimer = TimerId.None;
                TryCutBatch(ctx, force: true);
                break;
            case ViewTimeout:
                _viewTimer = TimerId.None;
                ResendCheckpoints(ctx);
                // §4.5.2: waited too long for a request (or for the new view): move to the next view.
                StartViewChange(ctx, _s.View + 1);
                break;
            case ResendViewChange r when !_s.ViewActive && r.View == _s.View:
                // Links lose messages: keep re-sending our view-change while waiting for the new view.
                if (_s.ViewChanges.TryGetValue(_s.View, out var mine) && mine.TryGetValue(_me, out var vc))
                    _out.Multicast(ctx, vc, vc.SizeBytes);
                ctx.SetTimer(_o.ViewChangeTimeout, r);
                break;
            case RetryStateTransfer:
                _transferTimer = TimerId.None;
                // No usable reply (lost, or the source lags or lost its disk too): ask the next replica.
                if (_s.LastExecuted < _s.LowWatermark)
                {
                    _transferAskedFor = -1;
                    AskForState(ctx, NextOther(_transferSource));
                }
                break;
            case BftOutbox.Delayed d:
                _out.Release(ctx, d);
                break;
        }
    }

    // ---- §4.1 requests ----

    private void OnRequest(INodeContext ctx, Transaction tx)
    {
        if (_o.Costs.Verify.Nanos > 0) ctx.ChargeCpu(_o.Costs.Verify); // the client's signature
        if (_s.ExecutedTx.TryGetValue(tx.Id, out var seq)) { Reply(ctx, tx, seq, _app.ResultOf(tx.Id)); return; }
        _s.Waiting.Add(tx);
        if (IsPrimary && _s.ViewActive) TryCutBatch(ctx, force: false);
        else if (_s.ViewActive)
        {
            // A backup relays the request to the primary and starts its timer (§4.5.2).
            foreach (var node in _committee.Instances(Primary(_s.View))) ctx.Send(node, new ClientRequest(tx), tx.SizeBytes + 32);
        }
        if (_s.ViewActive) ArmViewTimer(ctx);
    }

    // ---- §4.2 normal case: the primary orders a batch ----

    private void TryCutBatch(INodeContext ctx, bool force)
    {
        if (!IsPrimary || !_s.ViewActive || _role.Is(ByzantineBehaviour.Silent)) return;
        // Waiting for the batch timer, no full block pending: nothing would be cut (saves building a candidate batch per request).
        if (!force && _batchTimer != TimerId.None && _o.Block.BatchTimeout.Nanos > 0 && !_s.Waiting.HasFullBlock) return;
        while (true)
        {
            // Watermarks (§4.3): no sequence number beyond h + L until a checkpoint becomes stable.
            if (_s.NextSeq > _s.LowWatermark + _o.WatermarkWindow) return;
            // Requests that already have a sequence number in this view are not batched again.
            var batch = _s.Waiting.NextUnproposed(_isAssigned, out var full);
            if (batch.Count == 0) return;
            if (!full && !force && _o.Block.BatchTimeout.Nanos > 0)
            {
                if (_batchTimer == TimerId.None) _batchTimer = ctx.SetTimer(_o.Block.BatchTimeout, BatchTimeout.Instance);
                return;
            }
            force = false;
            SendPrePrepare(ctx, batch);
        }
    }

    private void SendPrePrepare(INodeContext ctx, List<Transaction> txs)
    {
        var seq = _s.NextSeq++;
        var block = new Block(seq, Hash.Zero, txs, ctx.Directory.Name(ctx.Self));
        ctx.ChargeCpu(_o.Costs.Hash(block.SizeBytes));
        foreach (var tx in txs) _s.Assigned.Add(tx.Id);
        var pp = MakePrePrepare(_s.View, block);
        Accept(ctx, GetSlot(seq), pp);
        if (_role.Is(ByzantineBehaviour.Equivocate))
        {
            // Byzantine primary: half the honest backups get batch A, the other half a conflicting batch B.
            var ppB = MakePrePrepare(_s.View, Variant(block, _s.View));
            _out.Sign(ctx);
            for (int r = 0; r < _committee.N; r++)
                _out.SendUnsigned(ctx, r, _role.VariantFor(r) == 0 ? pp : ppB, pp.SizeBytes);
            if (_role.Spec.Collude) SendVote(ctx, commit: true, _s.View, seq, block);
        }
        else _out.Multicast(ctx, pp, pp.SizeBytes);
        // With n = 1 no prepare will ever arrive to trigger the check: 2f = 0 prepares already make it prepared.
        CheckPrepared(ctx, seq);
    }

    private PrePrepare MakePrePrepare(long view, Block batch) =>
        new(view, batch.Height, batch.Hash, batch, _auth.Sign(PrePrepare.For(view, batch.Height, batch.Hash)));

    /// <summary>The conflicting batch equivocators use: the first transaction replaced by a double spend.
    /// Colluders derive the same one from batch A, so their votes line up without talking.</summary>
    private Block Variant(Block a, long view)
    {
        var primaryNode = _committee.NodeOf(Primary(view));
        var spend = new Transaction(TxId.For(primaryNode, (1L << 39) + a.Height), "double-spend", null, 256, SimTime.Zero);
        var txs = a.Transactions.Count == 0 ? [spend] : a.Transactions.Skip(1).Prepend(spend).ToList();
        return new Block(a.Height, a.Previous, txs, a.Proposer);
    }

    // ---- §4.2 backups: pre-prepare → prepare ----

    private void OnPrePrepare(INodeContext ctx, int sender, PrePrepare pp)
    {
        if (sender != Primary(pp.View)) { Reject(ctx); return; }
        if (pp.View > _s.View || (pp.View == _s.View && !_s.ViewActive)) { KeepEarly(pp); return; }
        if (pp.View != _s.View || !InWindow(pp.Seq)) return;
        ctx.ChargeCpu(_o.Costs.Hash(pp.Batch.SizeBytes));
        if (pp.Batch.Hash != pp.Digest || pp.Batch.Height != pp.Seq) { Reject(ctx); return; }
        var slot = GetSlot(pp.Seq);
        // A backup accepts one pre-prepare per view and sequence number.
        if (slot.View == pp.View) return;
        if (_o.Costs.Verify.Nanos > 0) ctx.ChargeCpu(_o.Costs.Verify * pp.Batch.Transactions.Count);
        Accept(ctx, slot, pp);
        if (_role.Is(ByzantineBehaviour.Equivocate) && _role.Spec.Collude)
        {
            // A colluding backup votes both ways at once: no need to wait for anyone.
            SendVote(ctx, commit: false, pp.View, pp.Seq, pp.Batch);
            SendVote(ctx, commit: true, pp.View, pp.Seq, pp.Batch);
            return;
        }
        slot.Prepares.For(pp.View, pp.Digest).Add(_me, SendVote(ctx, commit: false, pp.View, pp.Seq, pp.Batch));
        CheckPrepared(ctx, slot);
    }

    private void KeepEarly(PrePrepare pp)
    {
        if (pp.Seq <= _s.LowWatermark || pp.Seq > _s.LowWatermark + 2L * _o.WatermarkWindow) return;
        // One per (view, seq), the first (a backup accepts one pre-prepare per view and sequence number);
        // bounded: the oldest views go first.
        _early.TryAdd((pp.View, pp.Seq), pp);
        while (_early.Count > _o.WatermarkWindow) _early.Remove(_early.Keys.First());
    }

    /// <summary>After a new view is installed, the pre-prepares of that view that arrived early.</summary>
    private void ReplayEarly(INodeContext ctx, long view)
    {
        var now = _early.Where(kv => kv.Key.View <= view).ToList();
        foreach (var kv in now) _early.Remove(kv.Key);
        foreach (var kv in now)
            if (kv.Key.View == view) OnPrePrepare(ctx, Primary(view), kv.Value);
    }

    private void Accept(INodeContext ctx, Slot slot, PrePrepare pp)
    {
        slot.PrePrepare = pp;
        slot.View = pp.View;
        slot.Digest = pp.Digest;
        slot.Batch = pp.Batch;
        // Only a primary batches, and a replica becomes primary only by installing a new view, which rebuilds the set:
        // a backup's entries would never be read (one hash insert and remove per request saved on n − 1 replicas).
        if (Primary(_s.View) != _me) return;
        var txs = pp.Batch.Transactions;
        for (int i = 0; i < txs.Count; i++) _s.Assigned.Add(txs[i].Id);
    }

    /// <summary>Multicasts this replica's prepare or commit for the batch; returns it (the one for batch A if it votes both ways).</summary>
    private IBftMessage SendVote(INodeContext ctx, bool commit, long view, long seq, Block batch)
    {
        var size = commit ? Commit.SizeBytes : Prepare.SizeBytes;
        var a = MakeVote(commit, view, seq, batch.Hash);
        if (_role.Behaviour is ByzantineBehaviour.DoubleVote or ByzantineBehaviour.Equivocate)
        {
            var b = MakeVote(commit, view, seq, Variant(batch, view).Hash);
            _out.Sign(ctx);
            for (int r = 0; r < _committee.N; r++) _out.SendUnsigned(ctx, r, _role.VariantFor(r) == 0 ? a : b, size);
            return a;
        }
        _out.Multicast(ctx, a, size);
        return a;
    }

    private IBftMessage MakeVote(bool commit, long view, long seq, Hash d) => commit
        ? new Commit(view, seq, d, _me, _auth.Sign(Commit.For(view, seq, d)))
        : new Prepare(view, seq, d, _me, _auth.Sign(Prepare.For(view, seq, d)));

    private void OnPrepare(INodeContext ctx, int sender, Prepare p)
    {
        if (sender != p.Replica) { Reject(ctx); return; }
        if (p.View < _s.View || !InWindow(p.Seq) || p.Replica == Primary(p.View)) return;
        var slot = GetSlot(p.Seq);
        slot.Prepares.For(p.View, p.Digest).Add(p.Replica, p);
        CheckPrepared(ctx, slot);
    }

    /// <summary>§4.2: prepared = the pre-prepare plus 2f matching prepares from different backups.</summary>
    private void CheckPrepared(INodeContext ctx, long seq)
    {
        if (TryGetSlot(seq, out var slot)) CheckPrepared(ctx, slot);
    }

    /// <summary><see cref="CheckPrepared(INodeContext, long)"/> for a slot in the log (found once per message, not once per check).</summary>
    private void CheckPrepared(INodeContext ctx, Slot slot)
    {
        if (!_s.ViewActive || slot.PrePrepare is not { } pp || slot.View != _s.View) return;
        var prepares = slot.Prepares.For(slot.View, slot.Digest);
        if (prepares.Count < Quorum - 1) return;
        // The certificate: the pre-prepare and 2f of the signed prepares (in replica order).
        if (slot.PreparedBy?.View != slot.View) slot.SetPrepared(pp, prepares, Quorum - 1);
        if (slot.CommitSentView != slot.View)
        {
            slot.CommitSentView = slot.View;
            slot.Commits.For(slot.View, slot.Digest).Add(_me);
            SendVote(ctx, commit: true, slot.View, slot.Seq, pp.Batch);
        }
        CheckCommitted(ctx, slot);
    }

    // ---- §4.2 commit → committed-local → execute ----

    private void OnCommit(INodeContext ctx, int sender, Commit c)
    {
        if (sender != c.Replica) { Reject(ctx); return; }
        if (c.View < _s.View || !InWindow(c.Seq)) return;
        var slot = GetSlot(c.Seq);
        slot.Commits.For(c.View, c.Digest).Add(c.Replica);
        CheckCommitted(ctx, slot);
    }

    /// <summary>§4.2: committed-local = prepared plus 2f+1 matching commits (possibly its own).</summary>
    private void CheckCommitted(INodeContext ctx, Slot slot)
    {
        if (slot.Committed || slot.PreparedBy is not { } p) return;
        if (slot.Commits.For(p.View, p.Digest).Count < Quorum) return;
        slot.Committed = true;
        slot.CommittedBatch = p.Batch;
        TryExecute(ctx);
    }

    /// <summary>Requests execute in sequence-number order, after every lower one (§4.2).</summary>
    private void TryExecute(INodeContext ctx)
    {
        while (TryGetSlot(_s.LastExecuted + 1, out var slot) && slot.Committed)
            Execute(ctx, slot.CommittedBatch!);
    }

    private void Execute(INodeContext ctx, Block batch)
    {
        var seq = _s.LastExecuted + 1;
        var outcomes = _app.Apply(batch, ctx);
        Commits!.Commit(seq, batch.Hash, batch.Transactions.Count, ctx.Now);
        _s.Executed.Add(batch);
        _s.LastExecuted = seq;
        if (seq % _o.CheckpointInterval == 0) _s.StateDigest = NextStateDigest();
        _s.ConsecutiveViewChanges = 0;
        for (int i = 0; i < batch.Transactions.Count; i++)
        {
            var tx = batch.Transactions[i];
            if (_s.Assigned.Count > 0) _s.Assigned.Remove(tx.Id);
            if (!_s.ExecutedTx.TryAdd(tx.Id, seq)) continue; // executed before: at most once
            _s.Waiting.Remove(tx.Id);
            Reply(ctx, tx, seq, i < outcomes.Count ? outcomes[i] : null);
        }
        // §4.5.2: stop the timer when no longer waiting; restart it if waiting for another request.
        if (_s.ViewActive)
        {
            CancelViewTimer(ctx);
            if (_s.Waiting.Count > 0) ArmViewTimer(ctx);
        }
        if (seq % _o.CheckpointInterval == 0 && seq > _s.LowWatermark) SendCheckpoint(ctx, seq);
    }

    private void Reply(INodeContext ctx, Transaction tx, long seq, TxOutcome? outcome)
    {
        if (_role.IsByzantine && _role.Behaviour != ByzantineBehaviour.Twin) return;
        ctx.Send(tx.Id.Client, new ClientReply(tx.Id, seq, true, _committee.NodeOf(Primary(_s.View)), outcome), 96);
    }

    // ---- §4.3 checkpoints, stable certificates, garbage collection, state transfer ----

    private void SendCheckpoint(INodeContext ctx, long seq)
    {
        var cp = new Checkpoint(seq, _s.StateDigest, _me, _auth.Sign(Checkpoint.For(seq, _s.StateDigest)));
        _out.Multicast(ctx, cp, Checkpoint.SizeBytes);
        AddCheckpointVote(ctx, cp);
    }

    /// <summary>
    /// Re-sends this replica's checkpoints above the low watermark, which are not stable yet. Checkpoint
    /// messages are sent once, when a batch executes; if they are all lost (a partition at that moment),
    /// no checkpoint becomes stable, the watermark window closes and nothing new is ordered in any view.
    /// The paper's links retransmit until delivered; here a replica re-sends when its view timer fires,
    /// i.e. only when requests are waiting and nothing executes.
    /// </summary>
    private void ResendCheckpoints(INodeContext ctx)
    {
        foreach (var (seq, byDigest) in _s.CheckpointVotes)
        {
            if (seq <= _s.LowWatermark) continue;
            foreach (var voters in byDigest.Values)
                if (voters.Contains(_me) && voters.Messages<Checkpoint>().FirstOrDefault(m => m.Replica == _me) is { } mine)
                    _out.Multicast(ctx, mine, Checkpoint.SizeBytes);
        }
    }

    private void OnCheckpoint(INodeContext ctx, int sender, Checkpoint cp)
    {
        if (sender != cp.Replica) { Reject(ctx); return; }
        if (cp.Seq <= _s.LowWatermark) return;
        AddCheckpointVote(ctx, cp);
    }

    private void AddCheckpointVote(INodeContext ctx, Checkpoint cp)
    {
        if (!_s.CheckpointVotes.TryGetValue(cp.Seq, out var byDigest)) _s.CheckpointVotes[cp.Seq] = byDigest = [];
        if (!byDigest.TryGetValue(cp.State, out var voters)) byDigest[cp.State] = voters = new VoteSet(_committee.N);
        voters.Add(cp.Replica, cp);
        // 2f+1 matching checkpoint messages: the stable-checkpoint certificate.
        if (voters.Count >= Quorum && cp.Seq > _s.LowWatermark)
            MakeStable(ctx, new CheckpointCertificate(cp.Seq, cp.State, voters.Messages<Checkpoint>().Take(Quorum).ToList()),
                voters.Voters().Where(v => v != _me).DefaultIfEmpty(-1).Min());
    }

    /// <summary>Adopts a stable checkpoint, always with its certificate (§4.3), and collects the log below it.</summary>
    private void MakeStable(INodeContext ctx, CheckpointCertificate stable, int source)
    {
        var seq = stable.Seq;
        _s.Stable = stable;
        // Garbage collection: everything at or below the stable checkpoint goes.
        _s.Log.RemoveUpTo(seq);
        foreach (var k in _s.CheckpointVotes.Keys.TakeWhile(k => k <= seq).ToList()) _s.CheckpointVotes.Remove(k);
        if (_s.LastExecuted < seq && source >= 0) AskForState(ctx, source);
        TryCutBatch(ctx, force: false);
    }

    /// <summary>Fetches the batches up to the stable checkpoint from <paramref name="source"/>; if no usable reply
    /// comes within a view-change timeout, asks the next replica (links lose messages, and the source itself
    /// may be the one faulty replica, or one that lost its disk).</summary>
    private void AskForState(INodeContext ctx, int source)
    {
        if (_transferAskedFor >= _s.LowWatermark) return;
        _transferAskedFor = _s.LowWatermark;
        _transferSource = source;
        _out.Send(ctx, source, new StateRequest(_s.LastExecuted, _auth.Sign(StateRequest.For(_s.LastExecuted))), StateRequest.SizeBytes);
        if (_transferTimer == TimerId.None) _transferTimer = ctx.SetTimer(_o.ViewChangeTimeout, new RetryStateTransfer());
    }

    private int NextOther(int replica)
    {
        var next = (replica + 1) % _committee.N;
        return next == _me ? (next + 1) % _committee.N : next;
    }

    private void OnStateRequest(INodeContext ctx, int sender, StateRequest r)
    {
        if (r.AfterSeq >= _s.LastExecuted || r.AfterSeq < 0) return;
        var batches = _s.Executed.Skip((int)r.AfterSeq).Take(4096).ToList();
        var reply = new StateReply(batches, _auth.Sign(StateReply.For(batches)));
        _out.Send(ctx, sender, reply, reply.SizeBytes);
    }

    /// <summary>The state a checkpoint certifies: the previous checkpoint's digest and the K batches since,
    /// hashed once per checkpoint (one SHA-256 over K digests, not K chained ones).</summary>
    private static Hash CheckpointDigest(Hash previous, int count, Func<int, Hash> batchHash)
    {
        // A pooled buffer: every replica hashes every checkpoint, and K digests (4 KB at K = 128) make no small array.
        var bytes = 32 * (count + 1);
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes);
        previous.WriteTo(buf);
        for (int i = 0; i < count; i++) batchHash(i).WriteTo(buf.AsSpan(32 * (i + 1)));
        var digest = Hash.Of(buf.AsSpan(0, bytes));
        System.Buffers.ArrayPool<byte>.Shared.Return(buf);
        return digest;
    }

    /// <summary>The state digest at the checkpoint just reached: the previous one and the last K executed batches.
    /// (A method of its own: the lambda's closure is then made only here, not on every execution.)</summary>
    private Hash NextStateDigest()
    {
        var first = _s.Executed.Count - _o.CheckpointInterval;
        return CheckpointDigest(_s.StateDigest, _o.CheckpointInterval, i => _s.Executed[first + i].Hash);
    }

    private void OnStateReply(INodeContext ctx, StateReply r)
    {
        // Accept the batches only up to the stable checkpoint, and only if they hash to its digest.
        var k = _o.CheckpointInterval;
        var upTo = -1;
        for (int i = 0; i < r.Batches.Count; i++)
        {
            if (r.Batches[i].Height != _s.LastExecuted + 1 + i) break;
            if (r.Batches[i].Height == _s.LowWatermark) { upTo = i; break; }
        }
        _transferAskedFor = -1;
        if (upTo < 0) { Reject(ctx); return; }
        var boundary = _s.LastExecuted - _s.LastExecuted % k;
        var digest = _s.StateDigest;
        Hash HashAt(long seq) => seq <= _s.LastExecuted ? _s.Executed[(int)seq - 1].Hash : r.Batches[(int)(seq - _s.LastExecuted - 1)].Hash;
        for (var end = boundary + k; end <= _s.LowWatermark; end += k)
        {
            var from = end - k + 1;
            digest = CheckpointDigest(digest, k, j => HashAt(from + j));
        }
        if (digest != _s.StableState) { Reject(ctx); return; }
        for (int i = 0; i <= upTo; i++) Execute(ctx, r.Batches[i]);
        TryExecute(ctx);
    }

    // ---- §4.4 view change ----

    private void StartViewChange(INodeContext ctx, long newView)
    {
        if (newView < _s.View || (newView == _s.View && !_s.ViewActive)) return;
        _s.View = newView;
        _s.ViewActive = false;
        _s.ConsecutiveViewChanges++;
        ctx.CancelTimer(_batchTimer);
        _batchTimer = TimerId.None;
        // P: a prepared certificate for every sequence number above the stable checkpoint; C: its proof.
        var prepared = _s.Log.InOrder().Where(s => s.PreparedBy is { } p && p.Seq > _s.LowWatermark).Select(s => s.Prepared()!).ToList();
        if (_role.Is(ByzantineBehaviour.LieInNewView) && _role.Spec.Collude) prepared = []; // hides what prepared here
        if (_role.Is(ByzantineBehaviour.ForgeProof)) prepared = ForgeCertificate(newView, prepared);
        var vc = new ViewChange(newView, _s.Stable, prepared, _me, _auth.Sign(ViewChange.For(newView, _s.Stable, prepared)));
        Store(vc);
        _out.Multicast(ctx, vc, vc.SizeBytes);
        // §4.5.2: the timer for the new view starts only once 2f+1 replicas want it (so a replica
        // alone does not race ahead through views), and is twice as long each consecutive time.
        CancelViewTimer(ctx);
        ArmViewChangeTimer(ctx);
        ctx.SetTimer(_o.ViewChangeTimeout, new ResendViewChange(newView));
        TryNewView(ctx, newView);
    }

    private void ArmViewChangeTimer(INodeContext ctx)
    {
        if (!_s.ViewActive && _s.ViewChanges.TryGetValue(_s.View, out var vcs) && vcs.Count >= Quorum) ArmViewTimer(ctx);
    }

    private void Store(ViewChange vc)
    {
        if (!_s.ViewChanges.TryGetValue(vc.NewView, out var byReplica)) _s.ViewChanges[vc.NewView] = byReplica = [];
        byReplica[vc.Replica] = vc;
    }

    /// <summary>True if this very view-change is one this replica stored (its own, or one it verified).</summary>
    private bool Known(ViewChange vc) =>
        _s.ViewChanges.TryGetValue(vc.NewView, out var byReplica) && byReplica.TryGetValue(vc.Replica, out var stored) && ReferenceEquals(stored, vc);

    private void OnViewChange(INodeContext ctx, int sender, ViewChange vc)
    {
        if (sender != vc.Replica) { Reject(ctx); return; }
        if (vc.NewView < _s.View || (vc.NewView == _s.View && _s.ViewActive))
        {
            // The sender is behind (its view-change retransmissions say so). Lossy links: help it along
            // with the new-view it missed, or with our own view-change for its view.
            if (_s.ViewActive && _s.LastNewView is { } last && last.View >= vc.NewView)
            {
                var fwd = new ForwardedNewView(last, _auth.Sign(ForwardedNewView.For(last.View)));
                _out.Send(ctx, sender, fwd, fwd.SizeBytes);
            }
            else if (_s.ViewChanges.TryGetValue(vc.NewView, out var old) && old.TryGetValue(_me, out var mine))
                _out.Send(ctx, sender, mine, mine.SizeBytes);
            return;
        }
        // §4.4: accept a view-change only if its checkpoint and prepared certificates hold.
        if (!Known(vc) && !_certs.ViewChange(ctx, vc)) { Reject(ctx, BftMetrics.PbftInvalidViewChanges); return; }
        Store(vc);
        // §4.5.2: f+1 replicas want a later view, so at least one honest one timed out: join the smallest.
        var later = _s.ViewChanges.Where(kv => kv.Key > _s.View).ToList();
        var replicas = later.SelectMany(kv => kv.Value.Keys).Where(r => r != _me).Distinct().Count();
        // Colluding liars join any view change at once: they want the new view.
        var eager = _role.Is(ByzantineBehaviour.LieInNewView) && _role.Spec.Collude && later.Count > 0;
        if (replicas >= F + 1 || eager) StartViewChange(ctx, later[0].Key);
        ArmViewChangeTimer(ctx);
        TryNewView(ctx, vc.NewView);
    }

    /// <summary>The new primary, with 2f+1 view-changes for its view, announces the new view.</summary>
    private void TryNewView(INodeContext ctx, long view)
    {
        if (Primary(view) != _me || _s.View != view || _s.ViewActive || _s.NewViewSentFor == view) return;
        if (!_s.ViewChanges.TryGetValue(view, out var vcs) || vcs.Count < Quorum) return;
        List<ViewChange> proof;
        if (_role.Is(ByzantineBehaviour.LieInNewView) && _role.Spec.Collude)
        {
            // V as the colluders want it: theirs first, then the honest view-changes that prepared least.
            // Waits for more than 2f+1 to have a choice.
            if (vcs.Count < Math.Min(_committee.N, Quorum + F)) return;
            proof = vcs.Values.OrderBy(v => ByzantineRank(v.Replica)).ThenBy(v => v.Prepared.Count).ThenBy(v => v.Replica).Take(Quorum).ToList();
        }
        else proof = vcs.Values.OrderBy(v => v.Replica == _me ? -1 : v.Replica).Take(Quorum).ToList();
        var reissued = PbftCertificates.Reissue(proof);
        if (_role.Is(ByzantineBehaviour.LieInNewView) && !_role.Spec.Collude) reissued = LieAbout(reissued, proof);
        // The primary signs each pre-prepare in O and the new-view itself.
        var o = reissued.Select(b => { _out.Sign(ctx); return MakePrePrepare(view, b); }).ToList();
        var nv = new NewView(view, proof, o, _auth.Sign(NewView.For(view, proof, o)));
        _s.NewViewSentFor = view;
        _out.Multicast(ctx, nv, nv.SizeBytes);
        InstallNewView(ctx, nv);
    }

    private void OnNewView(INodeContext ctx, NewView nv, bool signatureChecked)
    {
        if (nv.View < _s.View || (nv.View == _s.View && _s.ViewActive)) return;
        // Check V and recompute O: a faulty primary can neither drop nor invent prepared requests.
        if (!_certs.NewView(ctx, nv, Known, signatureChecked)) { Reject(ctx, BftMetrics.PbftInvalidNewViews); return; }
        InstallNewView(ctx, nv);
    }

    private void InstallNewView(INodeContext ctx, NewView nv)
    {
        var view = nv.View;
        _s.View = view;
        _s.ViewActive = true;
        _s.LastNewView = nv;
        ctx.Metrics.Add(StandardMetrics.ViewChanges);
        CancelViewTimer(ctx);
        foreach (var k in _s.ViewChanges.Keys.TakeWhile(k => k < view).ToList()) _s.ViewChanges.Remove(k);
        // Adopt the latest stable checkpoint in V, with its certificate (checked with the view-change).
        var latest = nv.Proof.MaxBy(v => v.Stable.Seq)!;
        if (latest.Stable.Seq > _s.LowWatermark) MakeStable(ctx, latest.Stable, latest.Replica == _me ? -1 : latest.Replica);
        _s.Assigned.Clear();
        _s.Waiting.ForgetProposed();
        foreach (var slot in _s.Log.InOrder())
            if (slot.Committed && slot.Batch is not null && slot.Seq > _s.LastExecuted)
                foreach (var tx in slot.CommittedBatch!.Transactions) _s.Assigned.Add(tx.Id);
        var primary = Primary(view) == _me;
        foreach (var pp in nv.Reissued)
        {
            if (pp.Seq <= _s.LowWatermark) continue;
            var slot = GetSlot(pp.Seq);
            Accept(ctx, slot, pp);
            if (!primary) slot.Prepares.For(view, pp.Digest).Add(_me, SendVote(ctx, commit: false, view, pp.Seq, pp.Batch));
        }
        var maxS = nv.Reissued.Count == 0 ? latest.Stable.Seq : nv.Reissued[^1].Seq;
        if (primary) _s.NextSeq = Math.Max(maxS, _s.LowWatermark) + 1;
        foreach (var pp in nv.Reissued) CheckPrepared(ctx, pp.Seq);
        if (_s.Waiting.Count > 0) ArmViewTimer(ctx);
        if (!primary) ReplayEarly(ctx, view);
        TryCutBatch(ctx, force: false);
    }

    // ---- Byzantine variants of the view change ----

    /// <summary>Colluders (this replica included) rank 0, everyone else 1.</summary>
    private int ByzantineRank(int replica) => _role.ColludesWith(replica) ? 0 : 1;

    /// <summary>
    /// A lone lying primary's O: the newest prepared request becomes a null request (dropped), or, if
    /// nothing prepared, a made-up request follows max-s. Backups recompute O from V and see the lie.
    /// </summary>
    private List<Block> LieAbout(List<Block> o, IReadOnlyList<ViewChange> v)
    {
        var lie = new List<Block>(o);
        var i = lie.FindLastIndex(b => b.Transactions.Count > 0);
        if (i >= 0) lie[i] = PbftCertificates.NullBatch(lie[i].Height);
        else
        {
            var next = (lie.Count == 0 ? v.Max(x => x.Stable.Seq) : lie[^1].Height) + 1;
            lie.Add(Variant(PbftCertificates.NullBatch(next), _s.View));
        }
        return lie;
    }

    /// <summary>
    /// A forger's P: for its newest prepared sequence number (or the next one) a certificate in the view
    /// just ended for a conflicting batch, which would win §4.4's highest-view rule. It has only its own
    /// key: the primary's pre-prepare and the other backups' prepares are signed with it.
    /// </summary>
    private List<PreparedCertificate> ForgeCertificate(long newView, List<PreparedCertificate> prepared)
    {
        var view = newView - 1;
        var seq = prepared.Count > 0 ? prepared.Max(p => p.Seq) : _s.LowWatermark + 1;
        var real = prepared.FirstOrDefault(p => p.Seq == seq)?.Batch ?? PbftCertificates.NullBatch(seq);
        var fake = Variant(real, view);
        var primary = Primary(view);
        var pp = new PrePrepare(view, seq, fake.Hash, fake, _auth.ForgeAs(primary, PrePrepare.For(view, seq, fake.Hash)));
        var prepares = Enumerable.Range(0, _committee.N).Where(r => r != primary).Take(Quorum - 1)
            .Select(r => new Prepare(view, seq, fake.Hash, r, _auth.ForgeAs(r, Prepare.For(view, seq, fake.Hash)))).ToList();
        return [.. prepared.Where(p => p.Seq != seq), new PreparedCertificate(pp, prepares)];
    }

    // ---- §4.5.2 timers ----

    private void ArmViewTimer(INodeContext ctx)
    {
        if (_viewTimer != TimerId.None) return;
        var doublings = Math.Min(Math.Max(0, _s.ConsecutiveViewChanges), _o.MaxBackoffDoublings);
        _viewTimer = ctx.SetTimer(_o.ViewChangeTimeout * (1L << doublings), ViewTimeout.Instance);
    }

    private void CancelViewTimer(INodeContext ctx)
    {
        if (_viewTimer == TimerId.None) return;
        ctx.CancelTimer(_viewTimer);
        _viewTimer = TimerId.None;
    }

    // ---- helpers ----

    private bool InWindow(long seq) => seq > _s.LowWatermark && seq <= _s.LowWatermark + _o.WatermarkWindow;

    private Slot GetSlot(long seq) => _s.Log.GetOrAdd(seq, _committee.N);

    /// <summary>The slot for <paramref name="seq"/> in the log, if there is one.</summary>
    private bool TryGetSlot(long seq, out Slot slot) => _s.Log.TryGet(seq, out slot);

    private static void Reject(INodeContext ctx, string? reason = null)
    {
        ctx.Metrics.Add(BftMetrics.RejectedMessages);
        if (reason is not null) ctx.Metrics.Add(reason);
    }

    /// <summary>Forge: the same vote under another replica's name, for a batch nobody proposed (signed with the forger's own key).</summary>
    private IBftMessage? Forge(IBftMessage m, int claimed)
    {
        switch (m)
        {
            case Prepare p:
            {
                var d = Hash.Combine(p.Digest, p.Digest);
                return p with { Replica = claimed, Digest = d, Sig = _auth.ForgeAs(claimed, Prepare.For(p.View, p.Seq, d)) };
            }
            case Commit c:
            {
                var d = Hash.Combine(c.Digest, c.Digest);
                return c with { Replica = claimed, Digest = d, Sig = _auth.ForgeAs(claimed, Commit.For(c.View, c.Seq, d)) };
            }
            default: return null;
        }
    }
}
