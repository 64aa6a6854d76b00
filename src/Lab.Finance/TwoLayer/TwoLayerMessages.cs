using Lab.Finance.Securities;
using Lab.Ledger.Blocks;
using Lab.Sim.Time;

namespace Lab.Finance.TwoLayer;

/// <summary>One executed trade as a regional business chain records it: who bought what from whom, for how much
/// (minor units of the market's currency). The transaction a regional exchange submits for each trade on its tape.</summary>
public sealed record RegionalTrade(int Index, int Buyer, int Seller, int Security, long Quantity, long Value)
{
    public static RegionalTrade Of(Trade t) => new(t.Index, t.Buyer, t.Seller, t.Security, t.Quantity, t.Value);
}

/// <summary>
/// A committed block of business chain <paramref name="Chain"/> (its index among the business chains), as its feed
/// replica hands it to the nodes that read the chain without writing to it (the regulator's read replica, the chain's
/// anchorer): the whole block, and when the feed replica committed (applied) it.
/// </summary>
public sealed record BlockFeed(int Chain, Block Block, SimTime CommittedAt)
{
    /// <summary>Bytes on the wire: the block plus chain index, height and commit time.</summary>
    public int SizeBytes => Block.SizeBytes + 24;
}
