using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Finance.Chain;

/// <summary>A block as the sequencer broadcasts it.</summary>
public sealed record SequencedBlock(Block Block);

/// <summary>A replica asks the sequencer for blocks from <paramref name="FromHeight"/> on (catch-up after a gap or restart).</summary>
public sealed record BlockRequest(long FromHeight);

/// <summary>
/// One replica of a <see cref="SoloSequencerChain"/>. Durable: the blocks it has received (its
/// ledger) and, on the sequencer, the next height. Volatile: the state machine, rebuilt after a
/// restart by re-applying the ledger in order.
/// </summary>
public sealed class SequencerReplica : IReplica
{
    private readonly string[] _replicaNames;
    private readonly bool _isSequencer;
    private readonly IStateMachine _state;
    private readonly SoloSequencerOptions _options;
    private readonly List<Transaction> _batch = [];
    private readonly SortedDictionary<long, Block> _early = [];
    private readonly Dictionary<TxId, long> _firstHeight = [];
    private List<Block> _ledger = [];
    private long _applied;
    private bool _timerSet;
    private NodeId[] _replicas = [];
    private NodeId _sequencer;

    private sealed record CutBlock;

    public SequencerReplica(string[] replicaNames, bool isSequencer, IStateMachine state, SoloSequencerOptions options)
    {
        _replicaNames = replicaNames;
        _isSequencer = isSequencer;
        _state = state;
        _options = options;
    }

    public CommitLog? Commits { get; private set; }
    public bool IsByzantine => false;
    public IStateMachine StateMachine => _state;
    public long AppliedHeight => _applied;

    public void OnStart(INodeContext ctx)
    {
        _replicas = _replicaNames.Select(ctx.Directory.Find).ToArray();
        _sequencer = _replicas[0];
        Commits = CommitLog.Of(ctx);
        _ledger = ctx.Storage.GetOrAdd("sequencer.ledger", () => new List<Block>());
        // Rebuild the volatile state from the durable ledger (no replies: clients were answered before).
        foreach (var b in _ledger) Execute(ctx, b, reply: false);
        if (!_isSequencer) ctx.Send(_sequencer, new BlockRequest(_applied + 1), 16);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case ClientRequest req when _isSequencer:
                _batch.Add(req.Tx);
                if (_batch.Count >= _options.MaxBlockTransactions) Cut(ctx);
                else if (!_timerSet) { _timerSet = true; ctx.SetTimer(_options.BlockTimeout, new CutBlock()); }
                break;
            case ClientRequest req:
                ctx.Send(from, new ClientReply(req.Tx.Id, 0, false, _sequencer), 32);
                break;
            case SequencedBlock sb:
                Receive(ctx, sb.Block);
                break;
            case BlockRequest br when _isSequencer:
                for (long h = br.FromHeight; h <= _ledger.Count; h++)
                    ctx.Send(from, new SequencedBlock(_ledger[(int)h - 1]), _ledger[(int)h - 1].SizeBytes);
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is CutBlock) { _timerSet = false; if (_batch.Count > 0) Cut(ctx); }
    }

    private void Cut(INodeContext ctx)
    {
        var previous = _ledger.Count == 0 ? Block.Genesis.Hash : _ledger[^1].Hash;
        var block = new Block(_ledger.Count + 1, previous, _batch.ToArray(), ctx.Directory.Name(ctx.Self));
        _batch.Clear();
        var size = block.SizeBytes;
        foreach (var r in _replicas) if (r != ctx.Self) ctx.Send(r, new SequencedBlock(block), size);
        Receive(ctx, block);
    }

    private void Receive(INodeContext ctx, Block block)
    {
        if (block.Height <= _applied) return;
        if (block.Height > _applied + 1)
        {
            if (_early.Count == 0 && !_isSequencer) ctx.Send(_sequencer, new BlockRequest(_applied + 1), 16);
            _early[block.Height] = block;
            return;
        }
        _ledger.Add(block);
        Execute(ctx, block, reply: true);
        while (_early.Remove(_applied + 1, out var next)) { _ledger.Add(next); Execute(ctx, next, reply: true); }
    }

    private void Execute(INodeContext ctx, Block block, bool reply)
    {
        ctx.ChargeCpu(_options.CpuPerTransaction * block.Transactions.Count);
        var outcomes = _state.Apply(block, ctx);
        _applied = block.Height;
        Commits!.Commit(block.Height, block.Hash, block.Transactions.Count, ctx.Now);
        for (int i = 0; i < outcomes.Count; i++)
        {
            var tx = block.Transactions[i];
            if (!_firstHeight.TryGetValue(tx.Id, out var height)) _firstHeight[tx.Id] = height = block.Height;
            if (reply) ctx.Send(tx.Id.Client, new ClientReply(tx.Id, height, true, _sequencer, outcomes[i]), 48);
        }
    }
}
