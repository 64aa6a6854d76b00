namespace Lab.Finance.Securities.Clearing;

/// <summary>What stands behind a defaulter's loss, in the order it is used (minor units).</summary>
/// <param name="SurvivorFunds">Clearing-fund deposits of every member; the defaulter's entry is ignored.</param>
public sealed record WaterfallResources(int Defaulter, long DefaulterMargin, long DefaulterFund, long SkinInTheGame, IReadOnlyList<long> SurvivorFunds);

/// <summary>Who paid for a default: each layer's share of the loss, and what no layer covered.</summary>
public sealed record WaterfallOutcome(int Defaulter, long Loss, long FromDefaulterMargin, long FromDefaulterFund, long FromSkinInTheGame,
    IReadOnlyList<long> FromSurvivors, long Uncovered)
{
    public long FromSurvivorsTotal => FromSurvivors.Sum();
    /// <summary>Defaulter's resources not needed (returned to its estate).</summary>
    public long ReturnedToDefaulter { get; init; }
}

/// <summary>
/// The default waterfall (PFMI Principle 4 and 13; EMIR Art. 45 order): the defaulter's margin, then
/// its clearing-fund contribution, then the CCP's own capital (skin in the game), then the surviving
/// members' contributions pro rata; what remains is uncovered (for recovery tools: assessments,
/// loss allocation). A default never deletes trades: the survivors' trades stand, guaranteed by the CCP.
/// </summary>
public static class DefaultWaterfall
{
    public static WaterfallOutcome Allocate(long loss, WaterfallResources r)
    {
        if (loss < 0) throw new ArgumentOutOfRangeException(nameof(loss), "a loss is non-negative (a gain goes back to the estate)");
        var left = loss;
        long Take(long available)
        {
            var t = Math.Min(left, Math.Max(0, available));
            left -= t;
            return t;
        }
        var margin = Take(r.DefaulterMargin);
        var fund = Take(r.DefaulterFund);
        var skin = Take(r.SkinInTheGame);
        var n = r.SurvivorFunds.Count;
        var pool = Enumerable.Range(0, n).Where(m => m != r.Defaulter).Sum(m => Math.Max(0, r.SurvivorFunds[m]));
        var fromSurvivors = new long[n];
        var mutualised = Math.Min(left, pool);
        if (mutualised > 0)
        {
            // Pro rata to contributions, largest remainders get the odd units so the shares add up exactly.
            var shares = new (int Member, long Whole, double Frac)[n];
            long given = 0;
            for (int m = 0; m < n; m++)
            {
                var c = m == r.Defaulter ? 0 : Math.Max(0, r.SurvivorFunds[m]);
                var exact = (double)mutualised * c / pool;
                var whole = (long)Math.Floor(exact);
                shares[m] = (m, whole, exact - whole);
                given += whole;
            }
            foreach (var x in shares.OrderByDescending(x => x.Frac).ThenBy(x => x.Member))
            {
                if (given == mutualised) break;
                if (x.Member == r.Defaulter || r.SurvivorFunds[x.Member] <= shares[x.Member].Whole) continue;
                shares[x.Member].Whole++;
                given++;
            }
            for (int m = 0; m < n; m++) fromSurvivors[m] = shares[m].Whole;
            left -= mutualised;
        }
        return new WaterfallOutcome(r.Defaulter, loss, margin, fund, skin, fromSurvivors, left)
        {
            ReturnedToDefaulter = Math.Max(0, r.DefaulterMargin - margin) + Math.Max(0, r.DefaulterFund - fund),
        };
    }
}
