using Lab.Finance.Abs;
using Lab.Sim.Distributions;

namespace Lab.Finance.Tests.Abs;

/// <summary>The pool history: exact annuity arithmetic, principal accounted for loan by loan, and the calibrated monthly rates.</summary>
public class AbsBookTests
{
    [Fact]
    public void The_annuity_instalment_is_the_textbook_one()
    {
        // 10,000.00 CNY over 12 months at 1% a month: 888.49 CNY; at 0%: 833.34 (rounded up so the last instalment is not larger).
        Assert.Equal(88_849, AbsBook.Annuity(1_000_000, 0.01, 12));
        Assert.Equal(83_334, AbsBook.Annuity(1_000_000, 0, 12));
    }

    [Fact]
    public void The_pool_sums_to_its_principal_and_every_loan_s_principal_is_repaid_charged_off_or_still_outstanding()
    {
        var o = new AbsOptions { Loans = 300, PoolCny = 30_000_000, Periods = 18, MissRate = 0.05, TradesPerMonth = 5 };
        var book = AbsBook.Generate(o, 7);
        Assert.Equal(3_000_000_000, book.InitialPool);
        foreach (var loan in book.Loans)
        {
            var mine = book.Events.Where(e => e.Loan == loan.Index).ToList();
            var repaid = mine.Sum(e => e.Principal);
            var charged = mine.Sum(e => e.Defaulted);
            Assert.True(repaid + charged <= loan.Principal, $"loan {loan.Index}: {repaid} + {charged} > {loan.Principal}");
            if (loan.Term <= o.Periods && !mine.Any(e => e.Kind is LoanEventKind.Missed or LoanEventKind.Default))
                Assert.Equal(loan.Principal, repaid); // a loan that always paid is repaid by its last instalment
            Assert.True(mine.Count(e => e.Kind == LoanEventKind.Default) <= 1);
            Assert.All(mine.Where(e => e.Kind == LoanEventKind.Recovery), r => Assert.Contains(mine, d => d.Kind == LoanEventKind.Default && d.Period + o.RecoveryLagMonths == r.Period));
        }
        // The tapes are the events' totals, and the pool balance steps down by principal and charge-offs.
        var pool = book.InitialPool;
        foreach (var p in book.Periods)
        {
            var mine = book.Events.Where(e => e.Period == p.Index).ToList();
            Assert.Equal(pool, p.Tape.PoolStart);
            Assert.Equal(mine.Sum(e => e.Cash), p.Tape.Cash);
            Assert.True(mine.All(e => e.AtNs >= p.StartNs && e.AtNs < p.EndNs));
            Assert.True(p.RecordNs < p.PaymentNs && p.PaymentNs > p.EndNs);
            pool = p.Tape.PoolEnd;
        }
        Assert.Equal(book.InitialPool - book.Events.Sum(e => e.Principal + e.Defaulted), pool);
    }

    [Fact]
    public void Prepayments_and_missed_instalments_come_at_the_configured_monthly_rates()
    {
        // One month of 20,000 current loans: a prepayment with SMM = 1 − 0.8^(1/12) = 1.842%, else a miss with 3%.
        var o = new AbsOptions { Loans = 20_000, PoolCny = 2_000_000_000, Periods = 1, Cpr = 0.20, MissRate = 0.03, TradesPerMonth = 0, TermMonths = new Constant(24) };
        var book = AbsBook.Generate(o, 3);
        var smm = 1 - Math.Pow(0.8, 1.0 / 12);
        void Near(double expected, int count, int n)
        {
            var sd = Math.Sqrt(n * expected * (1 - expected));
            Assert.InRange(count, n * expected - 4 * sd, n * expected + 4 * sd);
        }
        var prepaid = book.Events.Count(e => e.Kind == LoanEventKind.Prepayment);
        Near(smm, prepaid, o.Loans);
        Near(o.MissRate, book.Events.Count(e => e.Kind == LoanEventKind.Missed), o.Loans - prepaid);
    }

    [Fact]
    public void A_loan_that_never_cures_is_charged_off_at_the_fourth_missed_instalment_and_recovers_forty_percent_six_months_later()
    {
        var o = new AbsOptions { Loans = 50, PoolCny = 5_000_000, Periods = 12, MissRate = 1, CureRate = 0, Cpr = 0, TradesPerMonth = 0 };
        var book = AbsBook.Generate(o, 1);
        foreach (var loan in book.Loans)
        {
            var mine = book.Events.Where(e => e.Loan == loan.Index).ToList();
            Assert.Equal([LoanEventKind.Missed, LoanEventKind.Missed, LoanEventKind.Missed, LoanEventKind.Default, LoanEventKind.Recovery], mine.Select(e => e.Kind));
            Assert.Equal(loan.Principal, mine[3].Defaulted);
            Assert.Equal(3, mine[3].Period);
            Assert.Equal(9, mine[4].Period);
            Assert.Equal((long)Math.Round(loan.Principal * 0.4), mine[4].Recovery);
        }
        Assert.Equal(book.InitialPool, book.Periods[1].Delinquent60); // every loan 60 days past due at the end of month 2
    }
}
