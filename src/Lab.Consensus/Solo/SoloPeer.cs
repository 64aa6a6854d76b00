using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Solo;

/// <summary>
/// A peer of the solo orderer: applies the orderer's blocks in height order (checking each links to
/// the previous), asks for any it missed, and redirects clients to the orderer.
/// </summary>
public sealed class SoloPeer(ChainOptions chain, NodeId orderer) : IBlockSource
{
    private readonly ReplicaLedger _ledger = new(chain.StateMachine(), chain.ReplyBytes);
    private readonly SortedDictionary<long, Block> _early = [];
    private MembershipGate _gate = null!;
    private NodeSigning _signing = null!;
    private SoloChain? _blocks;
    private long _syncRequestedUpTo;

    public CommitLog? Commits => _blocks is null ? null : _ledger.Commits;
    public bool IsByzantine => false;
    public Block? BlockAt(long height) => _blocks?.At(height);

    public void OnStart(INodeContext ctx)
    {
        _gate = new MembershipGate(chain.Members, ctx.Directory);
        _signing = chain.EffectiveSigning.ForNode();
        _ledger.OnStart(ctx);
        _blocks = SoloChain.Of(ctx);
        foreach (var b in _blocks.Blocks) _ledger.Apply(ctx, b, replyToClients: false);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case Transaction or ClientRequest:
            {
                var tx = ClientRequest.TxOf(message)!;
                ctx.Send(tx.Id.Client, new ClientReply(tx.Id, 0, false, orderer), chain.ReplyBytes);
                break;
            }
            case DeliverBlock deliver when from == orderer && _gate.AdmitProtocol(ctx, from):
                OnBlock(ctx, deliver.Block);
                break;
            case ChainHead head when from == orderer && _gate.AdmitProtocol(ctx, from):
                if (head.Height > _blocks!.Height)
                {
                    _syncRequestedUpTo = 0; // the periodic head re-asks, in case an answer was lost
                    RequestSync(ctx, head.Height);
                }
                break;
            case DeliverBlock or ChainHead:
                ctx.Metrics.Add(StandardMetrics.RejectedMessages); // only the orderer may order
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state) { }

    private void OnBlock(INodeContext ctx, Block block)
    {
        var chainBlocks = _blocks!;
        if (block.Height <= chainBlocks.Height) return;
        if (block.Height > chainBlocks.Height + 1)
        {
            _early[block.Height] = block;
            RequestSync(ctx, block.Height - 1);
            return;
        }
        Append(ctx, block);
        while (_early.Remove(chainBlocks.Height + 1, out var next)) Append(ctx, next);
    }

    private void Append(INodeContext ctx, Block block)
    {
        if (block.Previous != _blocks!.TipHash)
        {
            ctx.Metrics.Add(SoloMetrics.RejectedBlocks);
            return;
        }
        var hashCost = chain.Signing.Costs.Hash(block.SizeBytes);
        if (hashCost.Nanos > 0) ctx.ChargeCpu(hashCost);
        if (chain.Verify == VerifyAt.AllReplicas)
            foreach (var tx in block.Transactions)
                if (!_signing.Verify(ctx, tx)) ctx.Metrics.Add(StandardMetrics.InvalidSignatures);
        _blocks.Blocks.Add(block);
        _ledger.Apply(ctx, block, replyToClients: false);
    }

    private void RequestSync(INodeContext ctx, long upTo)
    {
        if (upTo <= _syncRequestedUpTo) return; // one request per gap
        _syncRequestedUpTo = upTo;
        ProtocolTraffic.Send(ctx, orderer, new SyncRequest(_blocks!.Height + 1), SyncRequest.SizeBytes);
    }
}
