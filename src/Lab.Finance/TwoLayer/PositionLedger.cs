using Lab.Ledger.Blocks;
using Lab.Ledger.State;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.TwoLayer;

/// <summary>
/// The state a regional business chain's replicas keep (issue 14 §4): every member's net position per security and
/// its net cash, from the trades committed on the chain. A trade moves the quantity from seller to buyer and the value
/// the other way, so positions and cash each sum to zero at every height (checked by <see cref="Conserved"/>). A trade
/// that names the same member on both sides, or a non-positive quantity or value, is refused.
/// <para>The replica that runs on <paramref name="feedNode"/> also hands each block it applies to the chain's readers
/// (<see cref="BlockFeed"/>; a replica that restarts and re-applies its log sends again, and readers skip heights they
/// hold), and writes its commit times into <paramref name="commits"/> (only that replica writes it; read after the run).</para>
/// <para>Less than reality: no balance checks or locks (the single-chain securities scenario has them, in
/// <c>DvpContract</c>): the regional chains record trades, the regulator's question is about exposure across them.</para>
/// </summary>
public sealed class PositionLedger(int chain, int members, int securities, Duration cpuPerTrade, NodeId feedNode, IReadOnlyList<NodeId> readers, CommitTimes commits) : IStateMachine
{
    private readonly long[] _positions = new long[members * securities];
    private readonly long[] _cash = new long[members];
    private long _height;

    public long Height => _height;
    public long Position(int member, int security) => _positions[member * securities + security];
    public long Cash(int member) => _cash[member];

    /// <summary>Positions of every security and cash each sum to zero.</summary>
    public bool Conserved()
    {
        if (_cash.Sum() != 0) return false;
        for (int s = 0; s < securities; s++)
        {
            long sum = 0;
            for (int m = 0; m < members; m++) sum += _positions[m * securities + s];
            if (sum != 0) return false;
        }
        return true;
    }

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        if (block.Height != _height + 1) throw new InvalidOperationException($"block {block.Height} applied after {_height}");
        var outcomes = new TxOutcome[block.Transactions.Count];
        for (int i = 0; i < outcomes.Length; i++)
            outcomes[i] = block.Transactions[i].Payload is RegionalTrade t ? Execute(t) : new TxOutcome(false, "not a trade");
        _height = block.Height;
        if (outcomes.Length > 0) ctx.ChargeCpu(Duration.FromNanos(cpuPerTrade.Nanos * outcomes.Length));
        if (ctx.Self == feedNode)
        {
            commits.Record(block.Height, ctx.Now, block);
            var feed = new BlockFeed(chain, block, commits.At(block.Height));
            foreach (var r in readers) ctx.Send(r, feed, feed.SizeBytes);
        }
        return outcomes;
    }

    private TxOutcome Execute(RegionalTrade t)
    {
        if (t.Buyer == t.Seller) return new TxOutcome(false, "buyer and seller are the same member");
        if (t.Quantity <= 0 || t.Value <= 0) return new TxOutcome(false, "quantity and value must be positive");
        if ((uint)t.Buyer >= (uint)members || (uint)t.Seller >= (uint)members || (uint)t.Security >= (uint)securities)
            return new TxOutcome(false, "unknown member or security");
        _positions[t.Buyer * securities + t.Security] += t.Quantity;
        _positions[t.Seller * securities + t.Security] -= t.Quantity;
        _cash[t.Buyer] -= t.Value;
        _cash[t.Seller] += t.Value;
        return TxOutcome.Ok;
    }
}

/// <summary>When each height of one business chain was committed at its feed replica, and the block: written by that replica
/// only (the first time it applies a height), read after the run (anchoring delay, staleness, inclusion proofs).</summary>
public sealed class CommitTimes
{
    private readonly List<SimTime> _at = [];
    private readonly List<Block> _blocks = [];

    public int Count => _at.Count;

    /// <summary>Records height <paramref name="height"/> the first time (a restarted replica re-applies its log).</summary>
    public void Record(long height, SimTime at, Block block)
    {
        if (height != _at.Count + 1) return;
        _at.Add(at);
        _blocks.Add(block);
    }

    /// <summary>When height <paramref name="height"/> (1..<see cref="Count"/>) was first committed.</summary>
    public SimTime At(long height) => _at[(int)height - 1];
    public Block BlockAt(long height) => _blocks[(int)height - 1];
    public IReadOnlyList<SimTime> Times => _at;
}
