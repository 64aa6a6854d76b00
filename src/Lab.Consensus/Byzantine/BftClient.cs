using Lab.Consensus.Common;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Byzantine;

/// <summary>Where a client sends a new request first.</summary>
public enum FirstContact
{
    /// <summary>The replica it believes leads (PBFT's primary, learned from replies).</summary>
    Leader,
    /// <summary>Every replica (HotStuff: each replica keeps a mempool; leaders rotate).</summary>
    All,
}

/// <summary>Open-loop BFT client load. Rates in transactions per second, sizes in bytes.</summary>
public sealed record BftClientOptions
{
    /// <summary>Poisson arrival rate of this client, transactions per second (0: the client sends nothing).</summary>
    public double RatePerSecond { get; init; } = 100;
    public int TxSizeBytes { get; init; } = 512;
    /// <summary>No f+1 replies within this: retransmit to every replica (Castro-Liskov §4.1), doubling each time.</summary>
    public Duration RetransmitTimeout { get; init; } = Duration.FromSeconds(1);
    public FirstContact FirstContact { get; init; } = FirstContact.Leader;
    /// <summary>No new requests after this virtual time (null: until the run ends).</summary>
    public SimTime? StopAt { get; init; }
    /// <summary>Send exactly one request at start instead of a Poisson stream (for timing tests).</summary>
    public bool SingleRequest { get; init; }
}

/// <summary>
/// Minimal BFT client, kept separate so it can be swapped for the shared workload client
/// (Lab.Consensus.Workload): submits transactions, retransmits to all replicas on timeout and accepts
/// a result once f+1 replicas (so at least one honest) sent matching replies (Castro-Liskov §4.1).
/// Records <c>commit_latency_s</c> (sample), <c>committed_tx</c> (counter and series), <c>submitted_tx</c>.
/// </summary>
public sealed class BftClient(BftClientOptions options, BftCommittee committee) : INodeBehaviour
{
    private sealed class Pending(Transaction tx)
    {
        public Transaction Tx { get; } = tx;
        public Duration Timeout;
        // Distinct replies: (height, accepted) and the replicas that replied so (a twin's two instances count once).
        public readonly List<(long Height, bool Accepted, VoteSet Replicas)> Replies = [];

        public VoteSet Tally(long height, bool accepted)
        {
            foreach (var r in Replies)
                if (r.Height == height && r.Accepted == accepted) return r.Replicas;
            var set = new VoteSet();
            Replies.Add((height, accepted, set));
            return set;
        }
    }

    private sealed record NextArrival;
    private sealed record Retransmit(TxId Tx);

    private readonly Dictionary<TxId, Pending> _pending = new();
    private long _sequence;
    private int _leader;

    public void OnStart(INodeContext ctx)
    {
        if (options.SingleRequest) Submit(ctx);
        else if (options.RatePerSecond > 0) ScheduleArrival(ctx);
    }

    private void ScheduleArrival(INodeContext ctx) =>
        ctx.SetTimer(Duration.FromSeconds(ctx.Random.NextExponential(1.0 / options.RatePerSecond)), new NextArrival());

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case NextArrival:
                if (options.StopAt is { } stop && ctx.Now >= stop) return;
                Submit(ctx);
                ScheduleArrival(ctx);
                break;
            case Retransmit r when _pending.TryGetValue(r.Tx, out var p):
                // Castro-Liskov §4.1: the primary may be faulty, so ask everyone.
                ctx.Metrics.Add("client_retransmits");
                for (int i = 0; i < committee.N; i++) SendTo(ctx, i, p.Tx);
                p.Timeout = p.Timeout * 2;
                ctx.SetTimer(p.Timeout, r);
                break;
        }
    }

    private void Submit(INodeContext ctx)
    {
        var tx = new Transaction(TxId.For(ctx.Self, ++_sequence), ctx.Directory.Name(ctx.Self), null, options.TxSizeBytes, ctx.Now);
        var p = new Pending(tx) { Timeout = options.RetransmitTimeout };
        _pending[tx.Id] = p;
        ctx.Metrics.Add("submitted_tx");
        if (options.FirstContact == FirstContact.All)
            for (int i = 0; i < committee.N; i++) SendTo(ctx, i, tx);
        else SendTo(ctx, _leader, tx);
        ctx.SetTimer(p.Timeout, new Retransmit(tx.Id));
    }

    private void SendTo(INodeContext ctx, int replica, Transaction tx)
    {
        foreach (var node in committee.Instances(replica)) ctx.Send(node, new ClientRequest(tx), tx.SizeBytes + 32);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not ClientReply { Committed: true } reply) return;
        var replica = committee.ReplicaOf(from);
        if (replica < 0) return;
        if (reply.LeaderHint is { } hint && committee.ReplicaOf(hint) is var l and >= 0) _leader = l;
        if (!_pending.TryGetValue(reply.Tx, out var p)) return;
        var set = p.Tally(reply.Height, reply.Outcome?.Accepted ?? true);
        set.Add(replica);
        if (set.Count < committee.F + 1) return;
        // f+1 matching replies: at least one honest replica committed it there.
        _pending.Remove(reply.Tx);
        ctx.Metrics.Sample("commit_latency_s", (ctx.Now - p.Tx.SubmittedAt).TotalSeconds);
        ctx.Metrics.Add("committed_tx");
        ctx.Metrics.Series("committed_tx");
    }
}
