using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Kv;

/// <summary>
/// A key-value client (Maelstrom's lin-kv workload, Jepsen's register test): one operation at a time, each a get,
/// put or compare-and-set on one of a few keys, submitted through the protocol's own <see cref="FinalityTracker"/>
/// (so it is final by the protocol's rule) and recorded in the <see cref="KvHistory"/> with the virtual times it
/// was invoked and answered. Written values are unique (client and count), so a read names the write it saw; a
/// compare-and-set expects the last value this client saw for its key.
/// </summary>
public sealed class KvClient : ITransactionSource, IFinalityClient
{
    private readonly KvClientOptions _o;
    private readonly int _index;
    private readonly KvHistory _history;
    private readonly FinalityTracker _tracker;
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _writes;

    public KvClient(KvClientOptions options, FinalityRule finality, int index, ReplicaSet replicas, TransactionSigning signing, KvHistory history)
    {
        _o = options;
        _index = index;
        _history = history;
        _tracker = new FinalityTracker(finality with { RetryTimeout = options.RetryTimeout }, replicas, signing) { Finalized = OnFinal };
    }

    public SubmissionLog? Submissions => _tracker.Submissions;
    public FinalityTracker Tracker => _tracker;

    public void OnStart(INodeContext ctx)
    {
        _tracker.OnStart(ctx);
        Next(ctx);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message) => _tracker.OnMessage(ctx, from, message);

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_tracker.OnTimer(ctx, state)) return;
        if (state is ThinkOver) Submit(ctx);
    }

    private void Next(INodeContext ctx)
    {
        var think = Duration.FromNanos((long)(ctx.Random.NextDouble() * _o.ThinkTime.Nanos));
        if (_o.SubmitUntil is { } until && ctx.Now + think > SimTime.Zero + until) return;
        ctx.SetTimer(think, ThinkOver.Instance);
    }

    private void Submit(INodeContext ctx)
    {
        var key = "k" + ctx.Random.Next(_o.Keys).ToString(CultureInfo.InvariantCulture);
        var roll = ctx.Random.NextDouble();
        KvCommand command = roll < _o.ReadShare || _index < _o.Readers ? new KvGet(key)
            : roll < _o.ReadShare + _o.CasShare ? new KvCas(key, _seen.GetValueOrDefault(key), NewValue())
            : new KvPut(key, NewValue());
        var tx = _tracker.Submit(ctx, _o.SizeBytes, command);
        _history.Invoke(_index, tx.Id, command, ctx.Now);
    }

    private long NewValue() => (_index + 1) * 1_000_000L + ++_writes;

    private void OnFinal(INodeContext ctx, Finality f)
    {
        var answer = f.Outcome.Reason;
        _history.Complete(_index, f.Tx.Id, answer, ctx.Now);
        if (f.Tx.Payload is KvCommand c)
        {
            if (c is KvGet && long.TryParse(answer, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var read)) _seen[c.Key] = read;
            if (answer == KvStore.Ok) _seen[c.Key] = c switch { KvPut p => p.Value, KvCas s => s.Value, _ => _seen.GetValueOrDefault(c.Key) };
        }
        Next(ctx);
    }

    private sealed record ThinkOver
    {
        public static readonly ThinkOver Instance = new();
    }
}
