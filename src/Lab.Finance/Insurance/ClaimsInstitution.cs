using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Institutions;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Finance.Insurance;

/// <summary>
/// What every institution of the claims scenario does the same way: messages to the others over a reliable link,
/// and (on chain) contract calls through the shared client, each remembered with a tag until it is final.
/// </summary>
public abstract class ClaimsInstitution(FinalityTracker? client, string name) : INodeBehaviour, ITransactionSource
{
    private readonly ReliableLink _link = new(name + ".link");
    private SortedDictionary<TxId, (Transaction Tx, object Tag)> _inFlight = null!;

    public SubmissionLog? Submissions => client?.Submissions;
    protected bool OnChain => client is not null;

    public void OnStart(INodeContext ctx)
    {
        _inFlight = ctx.Storage.GetOrAdd(name + ".in-flight", () => new SortedDictionary<TxId, (Transaction, object)>());
        _link.Start(ctx);
        if (client is not null)
        {
            client.OnStart(ctx);
            client.Finalized = (c, f) => { if (_inFlight.Remove(f.Tx.Id, out var p)) Final(c, p.Tag, f); };
            foreach (var (tx, _) in _inFlight.Values) client.Resubmit(ctx, tx);
        }
        Started(ctx);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state) || Timer(ctx, state)) return;
        client?.OnTimer(ctx, state);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body)) { if (body is not null) Received(ctx, body); return; }
        client?.OnMessage(ctx, from, message);
    }

    protected void Send(INodeContext ctx, string to, object body, int bytes) => _link.Send(ctx, ctx.Directory.Find(to), body, bytes);

    protected void Submit(INodeContext ctx, ContractCall call, int bytes, object tag)
    {
        var tx = client!.Submit(ctx, bytes, call);
        _inFlight[tx.Id] = (tx, tag);
    }

    protected abstract void Started(INodeContext ctx);
    /// <summary>Handles the node's own timers; false for the client's.</summary>
    protected abstract bool Timer(INodeContext ctx, object state);
    protected abstract void Received(INodeContext ctx, object body);
    protected virtual void Final(INodeContext ctx, object tag, Finality f) { }
}
