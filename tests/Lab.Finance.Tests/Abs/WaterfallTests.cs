using FsCheck;
using FsCheck.Xunit;
using Lab.Finance.Abs;

namespace Lab.Finance.Tests.Abs;

/// <summary>The priority of payments on hand-made periods (amounts worked out by hand in the comments), and its laws for any pool history.</summary>
public class WaterfallTests
{
    private static readonly DealTerms Terms = new(); // 85/6/9, A 4.8%, B 5.8%, fees 0.85%, reserve 1%, OC 1.05, IC 1.1, loss 2%
    private const long Pool = 100_000_000; // 1,000,000.00 CNY in fen

    [Fact]
    public void Closing_issues_the_classes_at_par_and_funds_the_reserve_at_one_percent_of_the_seniors()
    {
        var s = Waterfall.Closing(Terms, Pool);
        Assert.Equal(new NoteState(85_000_000, 6_000_000, 9_000_000, 910_000, 0, false), s);
    }

    [Fact]
    public void A_healthy_month_pays_fees_then_interest_then_principal_pro_rata_and_the_residual_to_the_subordinated_holder()
    {
        // Interest 8,000.00 CNY and principal 50,000.00 CNY collected, no defaults.
        var r = Waterfall.Run(Terms, Pool, 0, Waterfall.Closing(Terms, Pool), new Collections(800_000, 5_000_000, 0, 0, Pool));
        Assert.Equal(70_833, r.Fees);          // 1e8 × 0.85% / 12 = 70,833.3
        Assert.Equal(340_000, r.InterestA);    // 8.5e7 × 4.8% / 12
        Assert.Equal(29_000, r.InterestB);     // 6e6 × 5.8% / 12
        Assert.False(r.Breach);                // OC (9.5e7 + 5e6) / 9.1e7 = 1.099; IC 8e5 / 439,833 = 1.82
        Assert.Equal(4_250_000, r.PrincipalA); // the pool fell 5e6: pro rata 85 / 6 / 9
        Assert.Equal(300_000, r.PrincipalB);
        Assert.Equal(450_000, r.PrincipalSub);
        Assert.Equal(0, r.ReserveRelease);     // target 1% of 9.1e7 = 910,000, as funded
        Assert.Equal(0, r.ReserveTopUp);       // target after is 864,500: the excess waits for next month's release
        Assert.Equal(360_167, r.Residual);     // 5.8e6 − 439,833 − 5e6
        Assert.Equal(new NoteState(80_750_000, 5_700_000, 8_550_000, 910_000, 0, false), r.After);
        Assert.Null(Waterfall.Check(r));

        // Next month, nothing collected: the 45,500 above the target is released first and pays toward fees and interest.
        var next = Waterfall.Run(Terms, Pool, 1, r.After, new Collections(0, 0, 0, 0, r.In.PoolEnd));
        Assert.Equal(45_500, next.ReserveRelease);
        Assert.Equal(0, next.Shortfall);
        Assert.True(next.Breach);              // IC 0
        Assert.Null(Waterfall.Check(next));
    }

    [Fact]
    public void Defaults_above_the_cumulative_loss_trigger_switch_principal_to_sequential_for_good()
    {
        // 3% of the pool defaults (trigger 2%): the notes should come down by 8e6 but only 5,360,167 is left after interest, all to class A.
        var r = Waterfall.Run(Terms, Pool, 0, Waterfall.Closing(Terms, Pool), new Collections(800_000, 5_000_000, 0, 3_000_000, Pool));
        Assert.True(r.Breach);
        Assert.True(r.After.Sequential);
        Assert.Equal(5_360_167, r.PrincipalA);
        Assert.Equal(0, r.PrincipalB);
        Assert.Equal(0, r.PrincipalSub);
        Assert.Equal(0, r.Residual);
        Assert.Equal(3_000_000, r.After.CumulativeDefaults);
        Assert.Null(Waterfall.Check(r));

        // A clean month after it: still sequential, the catch-up principal (the notes exceed the pool) keeps going to A.
        var next = Waterfall.Run(Terms, Pool, 1, r.After, new Collections(800_000, 1_000_000, 0, 0, r.In.PoolEnd));
        Assert.True(next.After.Sequential);
        // Even a state whose tests all pass stays sequential once switched (the trigger does not cure).
        var passing = Waterfall.Run(Terms, Pool, 2, r.After with { CumulativeDefaults = 0 }, new Collections(800_000, 0, 0, 0, r.After.Notes));
        Assert.False(passing.Breach);
        Assert.True(passing.After.Sequential);
        Assert.Equal(0, next.PrincipalB + next.PrincipalSub);
        Assert.True(next.PrincipalA > 1_000_000);
    }

    [Fact]
    public void With_no_collections_the_reserve_pays_fees_and_senior_interest()
    {
        var r = Waterfall.Run(Terms, Pool, 0, Waterfall.Closing(Terms, Pool), new Collections(0, 0, 0, 0, Pool));
        Assert.Equal(439_833, r.ReserveDraw);
        Assert.Equal(470_167, r.After.Reserve);
        Assert.Equal(0, r.Shortfall);
        Assert.Equal(0, r.In.Cash);
        Assert.Equal(-439_833, r.ReserveChange);
        Assert.Null(Waterfall.Check(r));

        // An empty reserve: the interest that cannot be paid is a shortfall, not money from nowhere.
        var dry = Waterfall.Run(Terms, Pool, 0, Waterfall.Closing(Terms, Pool) with { Reserve = 0 }, new Collections(100_000, 0, 0, 0, Pool));
        Assert.Equal(70_833, dry.Fees);
        Assert.Equal(29_167, dry.InterestA);
        Assert.Equal(0, dry.InterestB);
        Assert.Equal(439_833 - 100_000, dry.Shortfall);
        Assert.Null(Waterfall.Check(dry));
    }

    [Fact]
    public void The_check_catches_a_result_that_loses_cash_or_pays_juniors_first_under_the_trigger()
    {
        var r = Waterfall.Run(Terms, Pool, 0, Waterfall.Closing(Terms, Pool), new Collections(800_000, 5_000_000, 0, 3_000_000, Pool));
        Assert.Contains("cash in", Waterfall.Check(r with { Residual = r.Residual + 1 }));
        Assert.Contains("sequential", Waterfall.Check(r with { PrincipalA = r.PrincipalA - 10, PrincipalB = 10 }));
    }

    /// <summary>One month of a pool history: what share of the pool's remaining principal came in, defaulted, recovered, and interest.</summary>
    public readonly record struct Month(byte Principal, byte Default, byte Recovery, ushort Interest);

    [Property(MaxTest = 300)]
    public bool For_any_pool_history_cash_in_equals_cash_out_plus_reserve_change_balances_stay_non_negative_and_the_trigger_is_sequential(Month[] months, bool dryReserve)
    {
        var state = Waterfall.Closing(Terms, Pool);
        if (dryReserve) state = state with { Reserve = 0 };
        long pool = Pool, cashIn = 0, paidOut = 0, reserve0 = state.Reserve;
        var wasSequential = false;
        for (int k = 0; k < (months ?? []).Length; k++)
        {
            var m = months![k];
            var principal = pool * (m.Principal % 40) / 400;               // up to ~10% a month
            var defaulted = (pool - principal) * (m.Default % 20) / 400;   // up to ~5% a month
            var c = new Collections(m.Interest * 50L, principal, m.Recovery * 1_000L, defaulted, pool);
            var r = Waterfall.Run(Terms, Pool, k, state, c);
            if (Waterfall.Check(r) is not null) return false;
            if (wasSequential && !r.After.Sequential) return false;        // a trigger never cures
            if (r.After.Notes > state.Notes) return false;                  // notes only pay down
            // Sequential: B is paid only once A is gone, the subordinated class only once B is.
            if (r.After.Sequential && (r.PrincipalB > 0 && r.After.A > 0 || r.PrincipalSub > 0 && r.After.B > 0)) return false;
            wasSequential = r.After.Sequential;
            cashIn += c.Cash;
            paidOut += r.PaidOut;
            state = r.After;
            pool = c.PoolEnd;
        }
        return cashIn == paidOut + state.Reserve - reserve0;
    }
}
