using Lab.Finance.Securities;

namespace Lab.Finance.Tests;

public class MultilateralNettingTests
{
    // Members A=0, B=1, C=2; securities X=0 (10.00 per share), Y=1 (20.00 per share); cash in fen.
    private static readonly Trade[] Day =
    [
        new(0, 1, Buyer: 0, Seller: 1, Security: 0, Quantity: 100, PriceFen: 1000, 0, 0.5), // A buys 100 X from B: 1,000.00
        new(1, 2, Buyer: 1, Seller: 2, Security: 1, Quantity: 50, PriceFen: 2000, 0, 0.5),  // B buys 50 Y from C: 1,000.00
        new(2, 3, Buyer: 2, Seller: 0, Security: 0, Quantity: 100, PriceFen: 1000, 0, 0.5), // C buys 100 X from A: 1,000.00
        new(3, 4, Buyer: 0, Seller: 1, Security: 1, Quantity: 50, PriceFen: 2000, 0, 0.5),  // A buys 50 Y from B: 1,000.00
    ];

    [Fact]
    public void A_hand_computed_day_nets_to_the_exact_positions_and_efficiency()
    {
        var n = MultilateralNetting.Net(Day, members: 3, securities: 2);
        // Cash: A −1000+1000−1000 = −1000.00; B +1000−1000+1000 = +1000.00; C +1000−1000 = 0.
        Assert.Equal([-100_000L, 100_000L, 0L], n.NetCash);
        // Shares [member*2 + security]: A X 0, A Y +50; B X −100, B Y 0; C X +100, C Y −50.
        Assert.Equal([0L, 50L, -100L, 0L, 100L, -50L], n.NetSecurities);
        Assert.Equal(400_000, n.GrossValue);
        Assert.Equal(100_000, n.NetCashPaid);
        Assert.Equal(0.75, n.CashNettingEfficiency, 12);          // 1 − 1,000 / 4,000
        Assert.Equal(0.5, n.SecuritiesNettingEfficiency, 12);     // 1 − 150 / 300 shares
    }

    [Fact]
    public void A_member_short_of_cash_fails_its_latest_purchase_and_the_rest_settles()
    {
        long[] cash = [0, 0, 0];
        long[] holdings = [0, 0, 100, 0, 0, 50]; // B holds 100 X, C holds 50 Y
        var o = MultilateralNetting.Settle(Day, cash, holdings, 2, DvpModel.NetNet);
        Assert.Equal([3], o.Failed.Select(t => t.Index));
        Assert.Equal([0, 1, 2], o.Settled.Select(t => t.Index));
        Assert.Equal([0L, 0L, 0L], o.NetCash); // without trade 3 every member's cash nets to zero
    }

    [Fact]
    public void A_fail_cascades_to_a_member_who_relied_on_the_failed_delivery()
    {
        // B must deliver 100 X but holds none: its sale (trade 0) fails. Then A no longer receives X,
        // so A cannot deliver the 100 X it sold to C (trade 2) either.
        long[] cash = [1_000_000, 1_000_000, 1_000_000];
        long[] holdings = [0, 0, 0, 0, 0, 50];
        var o = MultilateralNetting.Settle(Day, cash, holdings, 2, DvpModel.NetNet);
        Assert.Equal([0, 2], o.Failed.Select(t => t.Index));
        Assert.Equal([1, 3], o.Settled.Select(t => t.Index));
    }

    [Fact]
    public void Model_3_settles_chains_that_gross_settlement_in_time_order_cannot()
    {
        // A sells X to B before A has bought it from C: gross in time order fails the first trade; net/net does not.
        Trade[] chain =
        [
            new(0, 1, Buyer: 1, Seller: 0, Security: 0, Quantity: 10, PriceFen: 100, 0, 0.5),
            new(1, 2, Buyer: 0, Seller: 2, Security: 0, Quantity: 10, PriceFen: 100, 0, 0.5),
        ];
        long[] cash = [1000, 1000, 1000];
        long[] holdings = [0, 0, 10]; // one security, C holds 10
        Assert.Empty(MultilateralNetting.Settle(chain, cash, holdings, 1, DvpModel.NetNet).Failed);
        Assert.Equal([0], MultilateralNetting.Settle(chain, cash, holdings, 1, DvpModel.GrossGross).Failed.Select(t => t.Index));
        Assert.Equal([0], MultilateralNetting.Settle(chain, cash, holdings, 1, DvpModel.GrossSecuritiesNetCash).Failed.Select(t => t.Index));
    }

    [Fact]
    public void Exogenous_fails_are_reported_as_fails_and_excluded_from_the_nets()
    {
        long[] rich = [10_000_000, 10_000_000, 10_000_000];
        long[] holdings = [1000, 1000, 1000, 1000, 1000, 1000];
        var o = MultilateralNetting.Settle(Day, rich, holdings, 2, DvpModel.NetNet, t => t.Index == 1);
        Assert.Equal([1], o.Failed.Select(t => t.Index));
        Assert.Equal(300_000, o.GrossValue);
    }

    [Fact]
    public void Gross_settlement_needs_more_cash_than_end_of_day_netting()
    {
        // A buys for 1,000.00 then sells for 1,000.00 the same day: gross it must hold 1,000.00, netted nothing.
        // B sells first, so gross it can pay for its later purchase with the proceeds.
        Trade[] day =
        [
            new(0, 1, Buyer: 0, Seller: 1, Security: 0, Quantity: 100, PriceFen: 1000, 0, 0.5),
            new(1, 2, Buyer: 1, Seller: 0, Security: 0, Quantity: 100, PriceFen: 1000, 0, 0.5),
        ];
        var gross = LiquidityAnalysis.CashNeeds(day, 2, _ => 0, t => t.Index, 1);
        var net = LiquidityAnalysis.CashNeeds(day, 2, _ => 0, _ => 0, 1);
        Assert.Equal([100_000L, 0L], gross.Peak);
        Assert.Equal([0L, 0L], net.Peak);
        // Without reusing proceeds, each must pre-fund its whole purchase.
        Assert.Equal([100_000L, 100_000L], LiquidityAnalysis.PurchasesPeak(day, 2, _ => 0, 1));
    }
}
