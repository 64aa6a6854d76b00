using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;

namespace Lab.Finance.Tests;

/// <summary>Hand-made CNS cases: every number below is worked out in the comments.</summary>
public class CnsBookTests
{
    // Members A = 0, B = 1, C = 2; one security X = 0; prices in cents. T = Monday 1 June, S = Tuesday 2 June.
    private static readonly DateOnly T = new(2026, 6, 1), S = new(2026, 6, 2), S1 = new(2026, 6, 3);
    private const int A = 0, B = 1, C = 2;

    private static (CnsBook Book, SecuritiesLedger Ledger, AccountMap Accounts) Market(int trades, params (int Member, long Shares)[] holdings)
    {
        var accounts = new AccountMap(3);
        var ledger = new SecuritiesLedger(accounts, 1);
        foreach (var (m, q) in holdings) ledger.Open(m, 0, q);
        return (new CnsBook(3, 1, trades), ledger, accounts);
    }

    private static Trade Trade(int index, int buyer, int seller, long qty, long price) => new(index, index, buyer, seller, 0, qty, price);

    [Fact]
    public void A_short_member_delivers_what_it_holds_the_rest_fails_and_is_recycled_the_next_day()
    {
        // Trade 0: A sells 100 X to B at 10.00. Trade 1: C sells 50 X to B at 10.00. Trade 2: B sells 30 X to C at 10.20.
        var (book, ledger, acc) = Market(3, (A, 60), (C, 20));
        book.Novate(Trade(0, B, A, 100, 1000), S, S, 0);
        book.Novate(Trade(1, B, C, 50, 1000), S, S, 0);
        book.Novate(Trade(2, C, B, 30, 1020), S, S, 0);

        // Netting: B's oldest receive (trade 0) nets 30 against its sale (trade 2); C's sale (trade 1) nets 30 against its
        // purchase (trade 2). Left: A short 100, C short 20, B long 150 − 30 = 120.
        var night = book.BuildRun(S, S, pass: 0, atNs: 10);
        Assert.Equal([new RunLine(A, 0, 100), new RunLine(C, 0, 20)], night.Shorts);
        Assert.Equal([new RunLine(B, 0, 120)], night.Longs);

        // A holds only 60: a partial delivery. C delivers its 20. B receives the 80 that arrived.
        var result = night.Execute(ledger, (_, _) => false);
        Assert.Equal([60L, 20L], result.Delivered);
        Assert.Equal([80L], result.Received);
        book.ApplyRun(night, result, S, 10);

        // Money on S: A +60 × 10.00 = +600.00; C: trade 1 leg 30 netted + 20 delivered = +500.00, trade 2 leg −30 × 10.20
        // = −306.00, net +194.00; B: trade 0 leg 100 × 10.00 = −1,000.00, trade 1 leg 10 received = −100.00, trade 2 leg
        // +306.00, net −794.00. The nets sum to zero: the CCP is flat.
        var money = book.BuildMoney(S);
        Assert.Equal([60_000L, -79_400L, 19_400L, 0L], money.Net);
        book.ApplyMoney(money, [true, true, true, true], 20);
        book.CloseDay(S, _ => 1000, 0, S1);

        // Trade 2 is final (both sides); trades 0 and 1 failed: A still owes 40, B still awaits 40 of trade 1.
        Assert.Equal(20, book.Records[2].FinalNs);
        Assert.True(book.Records[0].Failed && book.Records[1].Failed && !book.Records[2].Failed);
        Assert.Equal(-1, book.Records[0].FinalNs);
        Assert.Equal(40, book.OpenLegs(A, 0).Single().Open);
        Assert.Equal(1, book.OpenLegs(A, 0).Single().FailDays);

        // A gets 40 more X; the next day's run recycles the fail: A delivers 40, B receives them against trade 1.
        ledger.Open(A, 0, 40);
        var recycle = book.BuildRun(S1, S1, pass: 1, atNs: 30);
        Assert.Equal([new RunLine(A, 0, 40)], recycle.Shorts);
        Assert.Equal([new RunLine(B, 0, 40)], recycle.Longs);
        book.ApplyRun(recycle, recycle.Execute(ledger, (_, _) => false), S1, 30);
        var money2 = book.BuildMoney(S1);
        Assert.Equal([40_000L, -40_000L, 0L, 0L], money2.Net);
        book.ApplyMoney(money2, [true, true, true, true], 40);
        Assert.Equal(40, book.Records[0].FinalNs);
        Assert.Equal(40, book.Records[1].FinalNs);
        Assert.Equal(120, ledger.Held(B, 0));                        // 80 + 40: 150 bought less the 30 it sold, netted
        Assert.Equal(0, ledger.Held(acc.Ccp, 0));
        Assert.False(book.AnythingOpen());
    }

    [Fact]
    public void A_fail_carried_forward_nets_against_the_next_days_trades()
    {
        // Monday: A sells 100 X to B (due Tuesday) but holds nothing: it fails. Tuesday: A buys 100 X from C (due
        // Wednesday). On Wednesday the carried short and the new long net to zero: nothing moves, B waits for C's shares.
        var (book, ledger, _) = Market(2, (C, 100));
        book.Novate(Trade(0, B, A, 100, 1000), S, S, 0);
        var tue = book.BuildRun(S, S, 0, 1);
        book.ApplyRun(tue, tue.Execute(ledger, (_, _) => false), S, 1);
        book.ApplyMoney(book.BuildMoney(S), [true, true, true, true], 2);
        book.CloseDay(S, _ => 1000, 0, S1);
        Assert.True(book.Records[0].Failed);

        book.Novate(Trade(1, A, C, 100, 1010), S1, S1, 3);
        var wed = book.BuildRun(S1, S1, 0, 4);
        Assert.Equal([new RunLine(C, 0, 100)], wed.Shorts);
        Assert.Equal([new RunLine(B, 0, 100)], wed.Longs);       // A's 100 short and 100 long netted away
        book.ApplyRun(wed, wed.Execute(ledger, (_, _) => false), S1, 4);
        // A: +1,000.00 for its sale, −1,010.00 for its purchase; B −1,000.00; C +1,010.00.
        Assert.Equal([-1_000L, -100_000L, 101_000L, 0L], book.BuildMoney(S1).Net);
    }

    [Fact]
    public void A_fail_old_enough_is_bought_in_and_the_failing_member_pays_the_difference()
    {
        // A sells 100 X to B at 10.00 and never has the shares. After one failing day the CCP buys 100 X at 10.50.
        var (book, ledger, acc) = Market(1);
        book.Novate(Trade(0, B, A, 100, 1000), S, S, 0);
        var run = book.BuildRun(S, S, 0, 1);
        book.ApplyRun(run, run.Execute(ledger, (_, _) => false), S, 1);
        book.ApplyMoney(book.BuildMoney(S), [true, true, true, true], 2);
        book.CloseDay(S, _ => 1000, 0, S1);
        Assert.Empty(book.DueBuyIns(afterDays: 2));
        var due = Assert.Single(book.DueBuyIns(afterDays: 1));

        ledger.Transfer(acc.Street, acc.Ccp, 0, due.Open);            // the depository executes the purchase
        book.ApplyBuyIn(due, 1050, S1, 3);
        var recycle = book.BuildRun(S1, S1, 1, 4);
        Assert.Empty(recycle.Shorts);
        Assert.Equal([new RunLine(B, 0, 100)], recycle.Longs);
        book.ApplyRun(recycle, recycle.Execute(ledger, (_, _) => false), S1, 4);

        // A: +1,000.00 (its sale completes) − 1,050.00 (the buy-in) = −50.00; B −1,000.00; the street +1,050.00.
        var money = book.BuildMoney(S1);
        Assert.Equal([-5_000L, -100_000L, 0L, 105_000L], money.Net);
        Assert.Equal(0, money.Net.Sum());
        book.ApplyMoney(money, [true, true, true, true], 5);
        Assert.True(book.Records[0].BoughtIn);
        Assert.Equal(5, book.Records[0].FinalNs);
        Assert.Equal(100, ledger.Held(B, 0));
    }

    [Fact]
    public void Cash_penalties_go_from_the_failing_deliverer_to_the_receiver_it_left_short()
    {
        // CSDR-style 1 bp a day: A fails 100 X (mark 20.00 = 2,000.00); penalty 0.20, due at the next settlement.
        var (book, ledger, _) = Market(1);
        book.Novate(Trade(0, B, A, 100, 2000), S, S, 0);
        var run = book.BuildRun(S, S, 0, 1);
        book.ApplyRun(run, run.Execute(ledger, (_, _) => false), S, 1);
        book.ApplyMoney(book.BuildMoney(S), [true, true, true, true], 2);
        book.CloseDay(S, _ => 2000, 0.0001, S1);
        Assert.Equal([-20L, 20L, 0L, 0L], book.BuildMoney(S1).Net);
        Assert.Equal(20, book.PenaltiesCharged);
    }

    [Fact]
    public void A_defaulters_unpaid_receipts_are_unwound_and_its_positions_liquidated_the_loss_is_the_estate()
    {
        // B bought 100 X from A at 10.00 and received them in the night cycle, then cannot pay on S. C bought 50 X from B at
        // 10.00, still open. The CCP unwinds B's receipt (shares back), and liquidates: B's long 100 sold to the street at
        // 9.00 × (1 − 0.002) = 8.98, loss 100 × 1.02 = 102.00; B's short 50 bought from the street at 9.00 × 1.002 = 9.018
        // ≈ 9.02, gain 50 × (10.00 − 9.02) = 49.00. Estate −53.00.
        var (book, ledger, acc) = Market(2, (A, 100));
        book.Novate(Trade(0, B, A, 100, 1000), S, S, 0);
        book.Novate(Trade(1, C, B, 50, 1000), S1, S1, 0);
        var run = book.BuildRun(S, S, 0, 1);
        book.ApplyRun(run, run.Execute(ledger, (_, _) => false), S, 1);
        Assert.Equal(100, ledger.Held(B, 0));

        var money = book.BuildMoney(S);
        book.ApplyMoney(money, [true, false, true, true], 2);        // B does not pay its 1,000.00
        var reversals = book.BeginDefault(B, 3);
        var r = Assert.Single(reversals);
        Assert.Equal(100, r.Shares);
        ledger.Transfer(B, acc.Ccp, 0, 100);
        book.ApplyReversal(B, r, 100, 3);
        Assert.Equal(-1, book.Records[0].BuyFinalNs);
        Assert.Equal(2, book.Records[0].SellFinalNs);                 // A was paid: the CCP guaranteed it

        book.LiquidateSlice(B, 1, _ => 900, 0.002, S1, S1, 4);
        Assert.Equal(-5_300, book.Estate(B));
        Assert.True(book.CloseOutComplete(B));
        Assert.True(book.Records[0].Defaulted && book.Records[1].Defaulted);
    }
}
