using Lab.Consensus.Common;
using Lab.Ledger.Batching;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Solo;

/// <summary>
/// The solo orderer (Hyperledger Fabric's development orderer): one sequencer takes every
/// transaction, cuts blocks and sends them to the peers. A block is final the moment the sequencer
/// cuts it: no votes, no replication wait. It is the centralised baseline: fast, and when it
/// crashes the chain stops until it restarts.
/// </summary>
public sealed class SoloOrderer : IBlockSource, ILeaderRole
{
    private readonly SoloOptions _o;
    private readonly ChainOptions _chain;
    private readonly IReadOnlyList<NodeId> _peers;
    private readonly ReplicaLedger _ledger;
    private readonly BlockCutter _cutter;
    private readonly Dictionary<TxId, long> _txIndex = [];
    private NodeSigning _signing = null!;
    private MembershipGate _gate = null!;
    private SoloChain? _blocks;
    private string _name = "";

    public SoloOrderer(SoloOptions options, ChainOptions chain, IReadOnlyList<NodeId> peers)
    {
        _o = options;
        _chain = chain;
        _peers = peers;
        _ledger = new ReplicaLedger(chain.StateMachine(), chain.ReplyBytes);
        _cutter = new BlockCutter(chain.Block);
    }

    public CommitLog? Commits => _blocks is null ? null : _ledger.Commits;
    public bool IsByzantine => false;
    public bool IsActingLeader => _blocks is not null;
    public long Term => 0;
    public Block? BlockAt(long height) => _blocks?.At(height);

    public void OnStart(INodeContext ctx)
    {
        _name = ctx.Directory.Name(ctx.Self);
        _signing = _chain.EffectiveSigning.ForNode();
        _gate = new MembershipGate(_chain.Members, ctx.Directory);
        _ledger.OnStart(ctx);
        _blocks = SoloChain.Of(ctx);
        // After a restart: rebuild the state machine and the duplicate index from the durable chain.
        foreach (var b in _blocks.Blocks)
        {
            _ledger.Apply(ctx, b, replyToClients: false);
            foreach (var tx in b.Transactions) _txIndex[tx.Id] = b.Height;
        }
        ctx.SetTimer(_o.HeadInterval, HeadTick.Instance);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Transaction or ClientRequest when _gate.AdmitSubmission(ctx, from):
                OnClientRequest(ctx, ClientRequest.TxOf(message)!);
                break;
            case SyncRequest sync when _gate.AdmitMember(ctx, from):
                for (long h = sync.FromHeight; h <= _blocks!.Height && h < sync.FromHeight + _o.SyncBatch; h++)
                {
                    var b = _blocks.At(h)!;
                    ProtocolTraffic.Send(ctx, from, new DeliverBlock(b), b.SizeBytes);
                }
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is HeadTick)
        {
            ctx.SetTimer(_o.HeadInterval, HeadTick.Instance);
            foreach (var p in _peers) ProtocolTraffic.Send(ctx, p, new ChainHead(_blocks!.Height), ChainHead.SizeBytes);
        }
        else if (_cutter.IsDue(state)) Cut(ctx);
    }

    private void OnClientRequest(INodeContext ctx, Transaction tx)
    {
        if (_txIndex.TryGetValue(tx.Id, out var height)) { _ledger.ReplyCommitted(ctx, tx.Id, height); return; }
        if (_cutter.Pool.Contains(tx.Id)) return;
        if (!_signing.Verify(ctx, tx)) { ctx.Metrics.Add(StandardMetrics.InvalidSignatures); return; }
        if (_cutter.Add(ctx, tx)) Cut(ctx);
    }

    private void Cut(INodeContext ctx)
    {
        while (_cutter.Pool.Count > 0)
        {
            var txs = _cutter.Cut(ctx);
            var block = new Block(_blocks!.Height + 1, _blocks.TipHash, txs, _name);
            var hashCost = _chain.Signing.Costs.Hash(block.SizeBytes);
            if (hashCost.Nanos > 0) ctx.ChargeCpu(hashCost);
            _blocks.Blocks.Add(block);
            foreach (var tx in txs) _txIndex[tx.Id] = block.Height;
            // Final on cutting: the sequencer's word is the ledger.
            _ledger.Apply(ctx, block, replyToClients: true);
            foreach (var p in _peers) ProtocolTraffic.Send(ctx, p, new DeliverBlock(block), block.SizeBytes);
            if (!_cutter.Pool.HasFullBlock) break;
        }
    }

    private sealed record HeadTick
    {
        public static readonly HeadTick Instance = new();
    }
}
