using Lab.Sim.Nodes;

namespace Lab.Consensus.Pow;

/// <summary>
/// Selfish mining, Eyal &amp; Sirer 2014, Algorithm 1: the pool mines on a private branch and
/// publishes just enough of it to waste honest work. Chain lengths are heights (difficulty is
/// constant within an attack analysis). γ — the share of honest power that mines on the pool's
/// block in a tie — is the honest nodes' <see cref="PowOptions.TieSwitchProbability"/>.
/// </summary>
public sealed class SelfishMiner(PowSetup setup, int self) : PowNode(setup, self)
{
    private PowBlock _private = setup.Genesis;
    private PowBlock _public = setup.Genesis;
    private int _privateBranchLength;

    protected override PowBlock MiningTip => _private;
    protected override double ReferenceWork => _public.ChainWork;
    protected override bool WantsTies => true;
    public override bool IsHonest => false;

    /// <summary>"My pool found a block."</summary>
    protected override void OnMined(INodeContext ctx, PowBlock block)
    {
        var deltaPrev = _private.Height - _public.Height;
        _private = block;
        _privateBranchLength++;
        if (deltaPrev == 0 && _privateBranchLength == 2)
        {
            // Was a tie with a branch of 1: the pool wins with its lead of 1.
            Publish(ctx, _private);
            _privateBranchLength = 0;
        }
        ctx.Metrics.Add(PowMetrics.SelfishBlocksWithheld);
    }

    /// <summary>"Others found a block": the public chain grew.</summary>
    protected override void OnReceived(INodeContext ctx, PowBlock block, int from)
    {
        if (block.ChainWork <= _public.ChainWork) return;
        var deltaPrev = _private.Height - _public.Height;
        _public = block;
        if (deltaPrev <= 0)
        {
            // They win: adopt the public chain.
            _private = _public;
            _privateBranchLength = 0;
        }
        else if (deltaPrev == 1) Publish(ctx, _private);          // now the same length: try our luck
        else if (deltaPrev == 2) { Publish(ctx, _private); _privateBranchLength = 0; } // win by a lead of 1
        else Publish(ctx, _private.AncestorAt(_public.Height));   // publish the first unpublished block
        ScheduleMining(ctx, force: false);
    }

    private void Publish(INodeContext ctx, PowBlock upTo)
    {
        ctx.Metrics.Add(PowMetrics.SelfishPublications);
        var headers = upTo.Height - PowBlock.ForkPoint(upTo, _public).Height;
        if (upTo.ChainWork > _public.ChainWork) _public = upTo;
        Announce(ctx, upTo, headers, except: -1);
    }
}
