using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.TwoLayer;

/// <summary>One cross-chain query: when it ran, the height of each business chain it reflected, and its answer — the member
/// with the largest total exposure over all chains and that exposure (minor units).</summary>
public sealed record RegulatorQuery(SimTime At, IReadOnlyList<long> Heights, int Member, long Exposure);

/// <summary>
/// The regulator's read replica of every business chain (issue 14 §4): it receives each chain's committed blocks from the
/// chain's feed replica, over the network (<see cref="BlockFeed"/>), applies their trades to its own copy of each member's
/// net cash per chain, and never submits anything to a business chain. Every <paramref name="every"/> it runs the
/// cross-chain query: each member's total exposure = the sum over chains of the absolute value of its net cash there
/// (what it owes or is owed on each regional market), and records the heights the answer reflects
/// (<see cref="RegulatorQuery"/>; staleness is computed from them after the run, <see cref="Staleness"/>).
/// </summary>
/// <para>It also notes, for each block, how long after its commit at the feed replica it reached the view
/// (<paramref name="arrivals"/>: chain and delay; written by this node only, read after the run).</para>
public sealed class RegulatorView(int chains, int members, Duration every, List<RegulatorQuery> log, List<(int Chain, Duration Delay)> arrivals) : INodeBehaviour
{
    private sealed record Tick;

    private readonly long[] _heights = new long[chains];
    private readonly long[] _cash = new long[chains * members];

    public void OnStart(INodeContext ctx) => ctx.SetTimer(every, new Tick());

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not BlockFeed f || f.Block.Height != _heights[f.Chain] + 1) return;
        _heights[f.Chain] = f.Block.Height;
        arrivals.Add((f.Chain, ctx.Now - f.CommittedAt));
        foreach (var tx in f.Block.Transactions)
        {
            // The same rules as the chain's own ledger: a refused trade moves nothing.
            if (tx.Payload is not RegionalTrade t || t.Buyer == t.Seller || t.Quantity <= 0 || t.Value <= 0) continue;
            if ((uint)t.Buyer >= (uint)members || (uint)t.Seller >= (uint)members) continue;
            _cash[f.Chain * members + t.Buyer] -= t.Value;
            _cash[f.Chain * members + t.Seller] += t.Value;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is not Tick) return;
        ctx.SetTimer(every, new Tick());
        int best = 0;
        long bestExposure = -1;
        for (int m = 0; m < members; m++)
        {
            long total = 0;
            for (int c = 0; c < chains; c++) total += Math.Abs(_cash[c * members + m]);
            if (total > bestExposure) { bestExposure = total; best = m; }
        }
        log.Add(new RegulatorQuery(ctx.Now, [.. _heights], best, Math.Max(0, bestExposure)));
    }
}

/// <summary>How old a view is.</summary>
public static class Staleness
{
    /// <summary>
    /// Staleness of a view of one chain at <paramref name="at"/> that reflects heights 1..<paramref name="reflected"/>:
    /// the view equals the chain's committed state as of <c>at − staleness</c>. It is <c>at</c> minus the commit time of
    /// the first block it lacks (height reflected + 1) if that block was committed by <paramref name="at"/>; else 0 (the
    /// view holds everything committed so far). <paramref name="commits"/>[h − 1] is the commit time of height h.
    /// </summary>
    public static Duration Of(SimTime at, long reflected, IReadOnlyList<SimTime> commits)
    {
        if (reflected < 0) throw new ArgumentOutOfRangeException(nameof(reflected));
        if (reflected >= commits.Count) return Duration.Zero;
        var missing = commits[(int)reflected];
        return missing <= at ? at - missing : Duration.Zero;
    }
}
