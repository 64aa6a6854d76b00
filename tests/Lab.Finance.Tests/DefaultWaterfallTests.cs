using Lab.Finance.Securities.Clearing;

namespace Lab.Finance.Tests;

public class DefaultWaterfallTests
{
    // Member 0 defaults. Its margin 300, its fund deposit 200, the CCP's capital 100; survivors' deposits 500, 300, 200.
    private static readonly WaterfallResources Resources = new(0, 300, 200, 100, [999, 500, 300, 200]);

    [Fact]
    public void A_loss_within_the_defaulters_margin_touches_nothing_else()
    {
        var w = DefaultWaterfall.Allocate(250, Resources);
        Assert.Equal((250L, 0L, 0L, 0L, 0L), (w.FromDefaulterMargin, w.FromDefaulterFund, w.FromSkinInTheGame, w.FromSurvivorsTotal, w.Uncovered));
        Assert.Equal(50 + 200, w.ReturnedToDefaulter);
    }

    [Fact]
    public void A_loss_of_1000_takes_margin_fund_capital_then_400_from_survivors_pro_rata()
    {
        // 1,000 = 300 margin + 200 fund + 100 capital + 400 mutualised: 400 × 500/1000 = 200, × 300/1000 = 120, × 200/1000 = 80.
        var w = DefaultWaterfall.Allocate(1000, Resources);
        Assert.Equal(300, w.FromDefaulterMargin);
        Assert.Equal(200, w.FromDefaulterFund);
        Assert.Equal(100, w.FromSkinInTheGame);
        Assert.Equal([0L, 200L, 120L, 80L], w.FromSurvivors);
        Assert.Equal(0, w.Uncovered);
        Assert.Equal(0, w.ReturnedToDefaulter);
    }

    [Fact]
    public void A_loss_beyond_every_layer_is_reported_as_uncovered()
    {
        var w = DefaultWaterfall.Allocate(2000, Resources);
        Assert.Equal([0L, 500L, 300L, 200L], w.FromSurvivors);
        Assert.Equal(2000 - 300 - 200 - 100 - 1000, w.Uncovered);
    }

    [Fact]
    public void Survivors_shares_add_up_to_the_mutualised_loss_exactly()
    {
        // 100 shared 1:1:1 — 33.33 each; the odd unit goes to the largest remainder (lowest index on ties).
        var w = DefaultWaterfall.Allocate(100, new WaterfallResources(0, 0, 0, 0, [0, 100, 100, 100]));
        Assert.Equal([0L, 34L, 33L, 33L], w.FromSurvivors);
        Assert.Equal(0, w.Uncovered);
    }
}
