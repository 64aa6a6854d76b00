using Lab.Finance.CrossBorder;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.CrossBorder;

/// <summary>The mBridge-like contract on hand-made cases: PvP both legs or neither, KYC and sanctions refusals with their reason.</summary>
public class MultiCurrencyLedgerTests
{
    // 7.15 CNY and 0.86 EUR per USD, in millionths; a 0.1% margin.
    private const long CnyMicro = 7_150_000, EurMicro = 860_000, SpreadPpm = 1_000;

    private static ContractRuntime Runtime(long dealerEur)
    {
        var members = new Membership()
            .Add("bank-shanghai").Add("bank-frankfurt").Add("bank-unknown")
            .Add("cb-cny", MultiCurrencyLedger.CentralBankRole).Add("cb-eur", MultiCurrencyLedger.CentralBankRole)
            .Add(CrossBorderWorld.Dealer, MultiCurrencyLedger.DealerRole);
        var issuers = new Dictionary<string, string> { ["CNY"] = "cb-cny", ["EUR"] = "cb-eur" };
        var centralBanks = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["cb-cny"] = "CNY", ["cb-eur"] = "EUR" };
        var rt = new ContractRuntime(members, [new TokenContract(), new MultiCurrencyLedger(centralBanks, CrossBorderWorld.Dealer, SpreadPpm, Duration.FromMicros(40))], issuers,
            new ContractRuntimeOptions { MetricsNode = "n0" });
        var genesis = new List<(string, ContractCall)>
        {
            (CrossBorderWorld.Dealer, MultiCurrencyLedger.QuoteCall(new Quote([("CNY", CnyMicro), ("EUR", EurMicro)]))),
            ("cb-cny", MultiCurrencyLedger.AdmitCall("bank-shanghai")),
            ("cb-eur", MultiCurrencyLedger.AdmitCall("bank-frankfurt")),
            ("cb-eur", MultiCurrencyLedger.ListCall("listed-0")),
            ("cb-cny", TokenContract.IssueCall("CNY", "bank-shanghai", 10_000_000)),   // 100,000.00 CNY
            ("cb-eur", TokenContract.IssueCall("EUR", CrossBorderWorld.Dealer, dealerEur)),
        };
        rt.ApplyGenesis(genesis);
        return rt;
    }

    private long _seq;
    private Transaction Tx(string caller, ContractCall call) => new(new TxId(++_seq), caller, call, 600, SimTime.Zero);
    private static Block BlockOf(ContractRuntime rt, params Transaction[] txs) => new(rt.Height + 1, Hash.Zero, txs, "test");

    private static LedgerPayment Pay(int index, string sender = "bank-shanghai", string receiver = "bank-frankfurt", long amount = 7_150_000,
        string beneficiary = "cust-b") => new(index, sender, receiver, "CNY", "EUR", amount, "cust-o", beneficiary);

    [Fact]
    public void A_PvP_payment_moves_both_legs_in_one_call_at_the_quoted_rate_less_the_margin()
    {
        var rt = Runtime(dealerEur: 1_000_000);
        var outcome = rt.Apply(BlockOf(rt, Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(0)))), new ManualNodeContext(nodes: 1))[0];
        // 71,500.00 CNY = 10,000 USD = 8,600.00 EUR at mid, less 0.1%: 8,591.40 EUR.
        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Equal("859140", outcome.Reason);
        Assert.Equal(859_140, MultiCurrencyLedger.Convert(7_150_000, CnyMicro, EurMicro, SpreadPpm));
        Assert.Equal(10_000_000 - 7_150_000, rt.Balance("CNY", "bank-shanghai"));
        Assert.Equal(7_150_000, rt.Balance("CNY", CrossBorderWorld.Dealer));
        Assert.Equal(1_000_000 - 859_140, rt.Balance("EUR", CrossBorderWorld.Dealer));
        Assert.Equal(859_140, rt.Balance("EUR", "bank-frankfurt"));
        Assert.Equal(0, rt.ConservationViolations);
    }

    [Fact]
    public void A_PvP_payment_the_dealer_cannot_cover_moves_neither_leg()
    {
        var rt = Runtime(dealerEur: 500_000);   // 5,000.00 EUR: less than the 8,591.40 due
        var outcome = rt.Apply(BlockOf(rt, Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(0)))), new ManualNodeContext(nodes: 1))[0];
        Assert.False(outcome.Accepted);
        Assert.StartsWith("funds: the dealer holds 500000 EUR, needs 859140", outcome.Reason);
        Assert.Equal(10_000_000, rt.Balance("CNY", "bank-shanghai"));
        Assert.Equal(0, rt.Balance("CNY", CrossBorderWorld.Dealer));
        Assert.Equal(500_000, rt.Balance("EUR", CrossBorderWorld.Dealer));
        Assert.Equal(0, rt.Balance("EUR", "bank-frankfurt"));
    }

    [Fact]
    public void Unadmitted_banks_listed_parties_and_other_wallets_are_refused_with_the_reason_and_nothing_moves()
    {
        var rt = Runtime(dealerEur: 1_000_000);
        var outcomes = rt.Apply(BlockOf(rt,
            Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(0, receiver: "bank-unknown"))),          // receiver without KYC
            Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(1, beneficiary: "listed-0"))),           // beneficiary on a list
            Tx("bank-frankfurt", MultiCurrencyLedger.PayCall(Pay(2))),                                   // pays from Shanghai's wallet
            Tx("bank-shanghai", MultiCurrencyLedger.AdmitCall("bank-unknown"))),                         // a bank admitting a bank
            new ManualNodeContext(nodes: 1));
        Assert.All(outcomes, o => Assert.False(o.Accepted));
        Assert.Equal("kyc: bank-unknown is not admitted by any central bank", outcomes[0].Reason);
        Assert.Equal("sanctions: beneficiary listed-0 is listed by cb-eur", outcomes[1].Reason);
        Assert.StartsWith("unauthorised: bank-frankfurt may not pay from bank-shanghai's wallet", outcomes[2].Reason);
        Assert.StartsWith("unauthorised", outcomes[3].Reason);
        Assert.Equal(10_000_000, rt.Balance("CNY", "bank-shanghai"));
        Assert.Equal(0, rt.Balance("EUR", "bank-unknown"));
        Assert.Equal(2, rt.UnauthorisedCalls);
    }

    [Fact]
    public void A_payment_is_executed_at_most_once_even_if_submitted_again_as_a_new_transaction()
    {
        var rt = Runtime(dealerEur: 2_000_000);
        var ctx = new ManualNodeContext(nodes: 1);
        var first = rt.Apply(BlockOf(rt, Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(7)))), ctx)[0];
        var again = rt.Apply(BlockOf(rt, Tx("bank-shanghai", MultiCurrencyLedger.PayCall(Pay(7)))), ctx)[0];
        Assert.True(first.Accepted);
        Assert.False(again.Accepted);
        Assert.Equal("payment 7 already executed", again.Reason);
        Assert.Equal(859_140, rt.Balance("EUR", "bank-frankfurt"));
    }

    [Fact]
    public void A_central_bank_that_keeps_its_currency_to_local_hours_holds_a_payment_until_its_banks_open()
    {
        const int shanghai = 0, frankfurt = 4;
        var open = CrossBorderWorlds.Options(CrossBorderVariant.Ledger);
        var restricted = open with { Ledger = new LedgerOptions { RestrictedCurrencies = ["EUR"] } };
        var hours = open.Banks.Select(b => b.Hours(open.Start)).ToList();
        Payment At(DateOnly day, TimeOnly shanghaiTime) => new(0, hours[shanghai].At(day, shanghaiTime), shanghai, frankfurt, 7_150_000,
            "cust-0-o", "cust-0-b", false, [], [new(60, 0), new(60, 0)], -1, 600);

        // Monday 09:00 in Shanghai is 03:00 CEST: a 24/7 ledger takes it after the minute's screening, a restricted
        // euro waits for Frankfurt's 07:00 opening (13:00 in Shanghai).
        var monday = new DateOnly(2026, 6, 8);
        var early = At(monday, new TimeOnly(9, 0));
        Assert.Equal(early.CreatedNs + 60_000_000_000, LedgerBank.ReleaseNs(early, open, hours));
        Assert.Equal(hours[frankfurt].At(monday, new TimeOnly(7, 0)), LedgerBank.ReleaseNs(early, restricted, hours));
        // Friday 23:30 in Shanghai is 17:30 CEST, after Frankfurt's cut-off: held over the weekend to Monday 07:00 CEST.
        var late = At(new DateOnly(2026, 6, 5), new TimeOnly(23, 30));
        Assert.Equal(hours[frankfurt].At(monday, new TimeOnly(7, 0)), LedgerBank.ReleaseNs(late, restricted, hours));
        // Inside Frankfurt's hours (Monday 15:00 Shanghai = 09:00 CEST) the restriction changes nothing.
        var midday = At(monday, new TimeOnly(15, 0));
        Assert.Equal(LedgerBank.ReleaseNs(midday, open, hours), LedgerBank.ReleaseNs(midday, restricted, hours));
    }
}
