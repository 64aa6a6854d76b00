using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// Bitcoin's retarget rule: every <see cref="PowOptions.RetargetWindow"/> blocks, difficulty is
/// multiplied by (expected time of the epoch ÷ actual time), clamped to a factor of 4 either way
/// (Bitcoin Core <c>CalculateNextWorkRequired</c>). A pure function of the parent chain, so every
/// node computes the same value.
/// </summary>
public static class Difficulty
{
    /// <summary>Difficulty of a block mined on <paramref name="parent"/>.</summary>
    public static double Next(PowBlock parent, PowOptions o)
    {
        var height = parent.Height + 1;
        var w = o.RetargetWindow;
        if (w == 0 || height % w != 0) return parent.Difficulty;
        // The first epoch starts at genesis, so it spans one interval fewer (as in Bitcoin).
        var anchorHeight = Math.Max(0, height - w - 1);
        var intervals = parent.Height - anchorHeight;
        if (intervals <= 0) return parent.Difficulty;
        var expected = o.TargetInterval.TotalSeconds * intervals;
        var actual = Math.Max(1e-9, (parent.MinedAt - parent.EpochAnchor).TotalSeconds);
        var factor = Math.Clamp(expected / actual, 1 / o.RetargetClamp, o.RetargetClamp);
        return parent.Difficulty * factor;
    }

    /// <summary>Epoch anchor of a block mined on <paramref name="parent"/>: the parent's time when a new epoch starts.</summary>
    public static SimTime Anchor(PowBlock parent, PowOptions o)
    {
        var height = parent.Height + 1;
        return o.RetargetWindow > 0 && height % o.RetargetWindow == 0 ? parent.MinedAt : parent.EpochAnchor;
    }
}
