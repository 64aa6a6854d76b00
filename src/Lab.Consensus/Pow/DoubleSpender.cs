using Lab.Consensus.Common;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Pow;

/// <summary>
/// Double-spend attacker (Nakamoto 2008 §11; Rosenfeld 2014): when it finds a block while idle, it
/// withholds it — the block holds a transaction conflicting with a payment — and pays the merchant
/// (the client node). Honest miners confirm the payment; the attacker extends its private branch
/// and publishes it as soon as it is longer than the honest branch and the honest branch has k
/// blocks (the merchant has delivered). It gives up when <see cref="DoubleSpendAttack.GiveUpBehind"/>
/// blocks behind. Pre-mining one block is the setting of Rosenfeld's formula.
/// </summary>
public sealed class DoubleSpender(PowSetup setup, int self) : PowNode(setup, self)
{
    private readonly int _giveUp = ((DoubleSpendAttack)setup.Options.Attack!).GiveUpBehind;
    private PowBlock _public = setup.Genesis;
    private PowBlock _private = setup.Genesis;
    private PowBlock? _fork;
    private int _attempt;
    private int _attempts;

    protected override PowBlock MiningTip => _attempt != 0 ? _private : _public;
    protected override double ReferenceWork => _public.ChainWork;
    protected override bool WantsTies => true;
    public override bool IsHonest => false;
    protected override int DoubleSpendTag(PowBlock parent) => _attempt == 0 ? _attempts + 1 : 0;

    protected override void OnMined(INodeContext ctx, PowBlock block)
    {
        if (_attempt == 0)
        {
            // Pre-mined block in hand: now pay the merchant, on the same parent.
            _attempt = ++_attempts;
            _fork = block.Parent!;
            var notice = new PaymentNotice(_attempt, _fork.Height);
            for (int n = 0; n < Setup.NodeCount; n++)
                if (n != Me) ProtocolTraffic.Send(ctx, new NodeId(n), notice, PaymentNotice.SizeBytes);
            ctx.Metrics.Add(PowMetrics.DoubleSpendAttemptsStarted);
        }
        _private = block;
        Decide(ctx);
    }

    protected override void OnReceived(INodeContext ctx, PowBlock block, int from)
    {
        if (block.ChainWork <= _public.ChainWork) return;
        _public = block;
        if (_attempt != 0) Decide(ctx);
        ScheduleMining(ctx, force: false);
    }

    private void Decide(INodeContext ctx)
    {
        var honestBranch = _public.Height - _fork!.Height;
        if (honestBranch >= O.ConfirmationDepth && _private.ChainWork > _public.ChainWork)
        {
            Announce(ctx, _private, _private.Height - _fork.Height, except: -1);
            _public = _private;
            End(ctx, PowMetrics.DoubleSpendPublished);
        }
        else if (_public.Height - _private.Height >= _giveUp)
        {
            End(ctx, PowMetrics.DoubleSpendAbandoned);
        }
    }

    private void End(INodeContext ctx, string outcome)
    {
        ctx.Metrics.Add(outcome);
        ctx.Metrics.Add(PowMetrics.DoubleSpendAttempts);
        _attempt = 0;
        _fork = null;
        ScheduleMining(ctx, force: false);
    }
}
