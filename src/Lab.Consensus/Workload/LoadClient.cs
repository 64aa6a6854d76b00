using Lab.Consensus.Common;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// A load-generating client: open loop (submits at its arrival process's times, whatever happens
/// to earlier ones) or closed loop (keeps K transactions outstanding, submitting the next when one
/// is final). Finality, retries and metrics are the <see cref="FinalityTracker"/>'s.
/// </summary>
public sealed class LoadClient : ITransactionSource, IFinalityClient
{
    private readonly WorkloadOptions _options;
    private readonly FinalityTracker _tracker;
    private readonly IArrivalSource? _arrivals;

    /// <param name="finality">The protocol's rule (its retry timeout already set from <see cref="WorkloadOptions.RetryTimeout"/>).</param>
    /// <param name="index">This client's index among <see cref="WorkloadOptions.Clients"/> (its share of the arrivals).</param>
    public LoadClient(WorkloadOptions options, FinalityRule finality, int index, ReplicaSet replicas, TransactionSigning signing)
    {
        _options = options;
        _tracker = new FinalityTracker(finality, replicas, signing) { MeasureFrom = SimTime.Zero + options.Warmup };
        if (options.ClosedLoopOutstanding is null) _arrivals = options.Arrivals.CreateSource(index, options.Clients);
        else _tracker.Finalized = (ctx, _) => NextClosedLoop(ctx);
    }

    public SubmissionLog? Submissions => _tracker.Submissions;
    public FinalityTracker Tracker => _tracker;

    public void OnStart(INodeContext ctx)
    {
        _tracker.OnStart(ctx);
        if (_arrivals is not null) ScheduleNextArrival(ctx);
        else if (_options.SubmitFrom.Nanos > 0) ctx.SetTimer(_options.SubmitFrom, LoopStart.Instance);
        else StartClosedLoop(ctx);
    }

    private void StartClosedLoop(INodeContext ctx)
    {
        for (int i = 0; i < _options.ClosedLoopOutstanding!.Value; i++) SubmitOne(ctx, null);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        _tracker.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_tracker.OnTimer(ctx, state)) return;
        switch (state)
        {
            case PlainArrival:
                SubmitOne(ctx, null);
                ScheduleNextArrival(ctx);
                break;
            case Arrival a:
                SubmitOne(ctx, a.SizeBytes);
                ScheduleNextArrival(ctx);
                break;
            case ThinkOver:
                SubmitOne(ctx, null);
                break;
            case LoopStart:
                StartClosedLoop(ctx);
                break;
        }
    }

    private void ScheduleNextArrival(INodeContext ctx)
    {
        // Arrivals are drawn from this node's own stream; one timer per arrival keeps the exact times.
        if (_arrivals!.Next(ctx.Random) is not { } next) return;
        var from = SimTime.Zero + _options.SubmitFrom;
        while (next.At < from)
            if (_arrivals.Next(ctx.Random) is { } later) next = later;
            else return;
        if (_options.SubmitUntil is { } until && next.At > SimTime.Zero + until) return;
        // An arrival that carries no size needs no state of its own: one shared timer state, not a boxed Arrival each.
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, (next.At - ctx.Now).Nanos)), next.SizeBytes is null ? PlainArrival.Instance : next);
    }

    private void NextClosedLoop(INodeContext ctx)
    {
        if (_options.SubmitUntil is { } until && ctx.Now > SimTime.Zero + until) return;
        if (_options.ThinkTime.Nanos > 0) ctx.SetTimer(_options.ThinkTime, ThinkOver.Instance);
        else SubmitOne(ctx, null);
    }

    private void SubmitOne(INodeContext ctx, int? size)
    {
        var bytes = size ?? Math.Max(1, (int)Math.Round(_options.TxSizeBytes.Sample(ctx.Random)));
        _tracker.Submit(ctx, bytes);
    }

    private sealed record PlainArrival
    {
        public static readonly PlainArrival Instance = new();
    }

    private sealed record ThinkOver
    {
        public static readonly ThinkOver Instance = new();
    }

    private sealed record LoopStart
    {
        public static readonly LoopStart Instance = new();
    }
}
