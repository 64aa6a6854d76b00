using Lab.Consensus.Common;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Chain;

/// <summary>How a <see cref="ReplyQuorumClient"/> reaches and trusts the replicas.</summary>
/// <param name="Replicas">Replica node names.</param>
/// <param name="MatchingReplies">Committed replies with the same height and outcome, from distinct
/// replicas, that make a transaction final: 1 for crash-fault protocols answered by the leader, f+1 for BFT.</param>
/// <param name="SendToAll">Send each request to every replica (BFT) rather than to the presumed leader (Raft, sequencer).</param>
/// <param name="RetryAfter">Resend a request not yet final after this long (to all replicas).</param>
public sealed record ReplyQuorumOptions(IReadOnlyList<string> Replicas, int MatchingReplies, bool SendToAll, Duration RetryAfter)
{
    public int RequestBytes { get; init; } = 64;
}

/// <summary>
/// A generic client over <see cref="ClientRequest"/>/<see cref="ClientReply"/>: final when
/// <see cref="ReplyQuorumOptions.MatchingReplies"/> replicas agree on height and outcome; follows
/// leader hints; resends after a timeout (replicas must answer a resubmitted, already-committed
/// transaction with its original outcome — <c>ContractRuntime</c> does).
/// </summary>
public sealed class ReplyQuorumClient(ReplyQuorumOptions options) : IChainClient
{
    private readonly Dictionary<TxId, Pending> _pending = [];
    private NodeId[] _replicas = [];
    private int _leader;

    private sealed class Pending(Transaction tx)
    {
        public Transaction Tx { get; } = tx;
        public List<(NodeId From, long Height, TxOutcome Outcome)> Replies { get; } = [];
        public TimerId Timer;
    }

    private sealed record Retry(TxId Tx);

    public int InFlight => _pending.Count;

    public void Start(INodeContext ctx) => _replicas = options.Replicas.Select(ctx.Directory.Find).ToArray();

    public void Submit(INodeContext ctx, Transaction tx)
    {
        var p = new Pending(tx);
        _pending[tx.Id] = p;
        Send(ctx, p, options.SendToAll);
    }

    private void Send(INodeContext ctx, Pending p, bool toAll)
    {
        var msg = new ClientRequest(p.Tx);
        var size = options.RequestBytes + p.Tx.SizeBytes;
        if (toAll) foreach (var r in _replicas) ctx.Send(r, msg, size);
        else ctx.Send(_replicas[_leader], msg, size);
        p.Timer = ctx.SetTimer(options.RetryAfter, new Retry(p.Tx.Id));
    }

    public bool TryHandle(INodeContext ctx, NodeId from, object message, List<ChainFinality> final)
    {
        // Raft and solo answer a whole committed block in one message.
        if (message is ClientReplies batch)
        {
            foreach (var r in batch.Replies) TryHandle(ctx, from, r, final);
            return true;
        }
        if (message is not ClientReply reply) return false;
        if (!_pending.TryGetValue(reply.Tx, out var p)) return true; // already final, or not ours
        if (!reply.Committed)
        {
            if (reply.LeaderHint is { } hint)
            {
                var i = Array.IndexOf(_replicas, hint);
                if (i >= 0 && i != _leader) { _leader = i; ctx.CancelTimer(p.Timer); Send(ctx, p, false); }
            }
            return true;
        }
        var outcome = reply.Outcome ?? TxOutcome.Ok;
        if (p.Replies.Any(r => r.From == from)) return true;
        p.Replies.Add((from, reply.Height, outcome));
        var matching = p.Replies.Count(r => r.Height == reply.Height && r.Outcome == outcome);
        if (matching < options.MatchingReplies) return true;
        _pending.Remove(reply.Tx);
        ctx.CancelTimer(p.Timer);
        var li = Array.IndexOf(_replicas, from);
        if (!options.SendToAll && options.MatchingReplies == 1 && li >= 0) _leader = li;
        final.Add(new ChainFinality(p.Tx, reply.Height, outcome, ctx.Now));
        return true;
    }

    public bool TryHandleTimer(INodeContext ctx, object state, List<ChainFinality> final)
    {
        if (state is not Retry r) return false;
        if (_pending.TryGetValue(r.Tx, out var p)) Send(ctx, p, true);
        return true;
    }
}
