using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Metrics;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests.Contracts;

public class ContractRuntimeTests
{
    private static Membership Members() => new Membership()
        .Add("bank", "issuer").Add("csd", "issuer").Add("alice").Add("bob").Add("agent", "settlement-agent")
        .Add("regulator", Membership.Regulator);

    private static readonly Dictionary<string, string> Issuers = new() { ["CNY"] = "bank", ["SEC001"] = "csd" };

    private static ContractRuntime Runtime(params IContract[] extra)
    {
        var rt = new ContractRuntime(Members(), [new TokenContract(), .. extra], Issuers, new ContractRuntimeOptions { MetricsNode = "n0" });
        rt.ApplyGenesis(
        [
            ("bank", TokenContract.IssueCall("CNY", "alice", 1000)),
            ("bank", TokenContract.IssueCall("CNY", "bob", 500)),
            ("csd", TokenContract.IssueCall("SEC001", "bob", 10)),
        ]);
        return rt;
    }

    private long _seq;
    private Transaction Tx(string caller, ContractCall call) => new(new TxId(++_seq), caller, call, 100, SimTime.Zero);

    private static Block BlockOf(ContractRuntime rt, params Transaction[] txs) => new(rt.Height + 1, Hash.Zero, txs, "test");

    [Fact]
    public void An_owner_transfers_its_own_tokens_and_the_supply_is_unchanged()
    {
        var rt = Runtime();
        var outcomes = rt.Apply(BlockOf(rt, Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 300))), new ManualNodeContext(nodes: 1));
        Assert.True(outcomes[0].Accepted);
        Assert.Equal(700, rt.Balance("CNY", "alice"));
        Assert.Equal(800, rt.Balance("CNY", "bob"));
        Assert.Equal(1500, rt.Supply("CNY"));
        Assert.Equal(2, rt.State.VersionOf("balance/CNY/alice"));
    }

    [Fact]
    public void An_unauthorised_transfer_is_rejected_counted_and_changes_nothing()
    {
        var rt = Runtime();
        var ctx = new ManualNodeContext(nodes: 1);
        var outcomes = rt.Apply(BlockOf(rt,
            Tx("bob", TokenContract.TransferCall("CNY", "alice", "bob", 300)),      // bob moves alice's cash
            Tx("mallory", TokenContract.TransferCall("CNY", "mallory", "bob", 1)), // not a member
            Tx("regulator", TokenContract.TransferCall("CNY", "regulator", "bob", 1)), // read-only role
            Tx("alice", TokenContract.IssueCall("CNY", "alice", 1_000_000))),     // not the issuer
            ctx);
        Assert.All(outcomes, o => Assert.False(o.Accepted));
        Assert.All(outcomes, o => Assert.StartsWith("unauthorised", o.Reason));
        Assert.Equal(4, rt.UnauthorisedCalls);
        Assert.Equal(4, RunMetrics.Merge(Duration.FromSeconds(1), [ctx.Metrics]).Counter("contract_unauthorised"));
        Assert.Equal(1000, rt.Balance("CNY", "alice"));
        Assert.Equal(1500, rt.Supply("CNY"));
    }

    [Fact]
    public void A_rejected_call_discards_every_write_it_made_before_rejecting()
    {
        var rt = Runtime(new TwoLegs());
        // Leg one (bob → alice, 10 shares) succeeds inside the call; leg two (alice pays 5,000) cannot.
        var outcomes = rt.Apply(BlockOf(rt, Tx("agent", new ContractCall("two-legs", "settle", 5000L))), new ManualNodeContext(nodes: 1));
        Assert.False(outcomes[0].Accepted);
        Assert.Equal(10, rt.Balance("SEC001", "bob"));
        Assert.Equal(0, rt.Balance("SEC001", "alice"));
        Assert.Equal(1, rt.State.VersionOf("balance/SEC001/bob"));
    }

    [Fact]
    public void DvP_is_atomic_when_the_replica_crashes_between_the_legs_and_restarts_from_its_log()
    {
        var crashing = new TwoLegs { CrashBetweenLegs = true };
        var rt = Runtime(crashing);
        var block = BlockOf(rt, Tx("agent", new ContractCall("two-legs", "settle", 100L)));
        // The replica dies after the delivery leg: nothing of the call is visible in its state.
        Assert.Throws<ReplicaCrashed>(() => rt.Apply(block, new ManualNodeContext(nodes: 1)));
        Assert.Equal(10, rt.Balance("SEC001", "bob"));
        Assert.Equal(1000, rt.Balance("CNY", "alice"));
        Assert.Equal(0, rt.Height);
        // After restart a fresh runtime re-applies the committed block and ends where a replica that never crashed ends.
        var restarted = Runtime(new TwoLegs());
        var healthy = Runtime(new TwoLegs());
        restarted.Apply(block, new ManualNodeContext(nodes: 1));
        healthy.Apply(block, new ManualNodeContext(nodes: 1));
        Assert.Equal(10, restarted.Balance("SEC001", "alice"));
        Assert.Equal(900, restarted.Balance("CNY", "alice"));
        Assert.Equal(600, restarted.Balance("CNY", "bob"));
        Assert.Equal(healthy.Digest(), restarted.Digest());
    }

    [Fact]
    public void Runtimes_at_one_height_agree_exactly_when_their_digests_are_equal()
    {
        var a = Runtime(); var b = Runtime(); var c = Runtime(); var ahead = Runtime();
        var pay = Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 300));
        foreach (var rt in new[] { a, b, ahead }) rt.Apply(BlockOf(rt, pay), new ManualNodeContext(nodes: 1));
        // Same amount, other direction: the same keys and versions, other values.
        c.Apply(BlockOf(c, Tx("bob", TokenContract.TransferCall("CNY", "bob", "alice", 300))), new ManualNodeContext(nodes: 1));
        ahead.Apply(BlockOf(ahead, Tx("bob", TokenContract.TransferCall("CNY", "bob", "alice", 1))), new ManualNodeContext(nodes: 1));

        Assert.Equal(a.Digest(), b.Digest());
        Assert.True(ContractRuntime.SameStateAtEachHeight([a, b, ahead]));   // a runtime at another height is not compared
        Assert.NotEqual(a.Digest(), c.Digest());
        Assert.False(ContractRuntime.SameStateAtEachHeight([a, b, c]));
        Assert.False(ContractRuntime.SameStateAtEachHeight([c, a]));
        // The same balances reached by other writes (higher versions) differ too, as in the digest.
        var back = Runtime(); var idle = Runtime();
        back.Apply(BlockOf(back, Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 100))), new ManualNodeContext(nodes: 1));
        back.Apply(BlockOf(back, Tx("bob", TokenContract.TransferCall("CNY", "bob", "alice", 100))), new ManualNodeContext(nodes: 1));
        idle.Apply(BlockOf(idle, Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 0))), new ManualNodeContext(nodes: 1));
        idle.Apply(BlockOf(idle, Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 0))), new ManualNodeContext(nodes: 1));
        Assert.Equal((1000, 1000), (back.Balance("CNY", "alice"), idle.Balance("CNY", "alice")));
        Assert.NotEqual(back.Digest(), idle.Digest());
        Assert.False(ContractRuntime.SameStateAtEachHeight([back, idle]));
        var extra = Runtime();
        extra.Apply(BlockOf(extra, Tx("alice", TokenContract.TransferCall("CNY", "alice", "carol", 300))), new ManualNodeContext(nodes: 1));
        Assert.Equal(a.Digest() == extra.Digest(), a.State.SameAs(extra.State));
    }

    [Fact]
    public void Conservation_is_checked_after_every_block_and_a_contract_that_mints_is_caught()
    {
        var rt = Runtime(new Minter());
        var ctx = new ManualNodeContext(nodes: 1);
        rt.Apply(BlockOf(rt, Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 1))), ctx);
        Assert.Equal(0, rt.ConservationViolations);
        rt.Apply(BlockOf(rt, Tx("alice", new ContractCall("minter", "mint"))), ctx);
        Assert.Equal(1, rt.ConservationViolations);
        Assert.Contains(RunMetrics.Merge(Duration.FromSeconds(1), [ctx.Metrics]).Findings, f => f.Kind == "conservation-violation" && f.Text.Contains("CNY"));
        Assert.Contains(rt.Audit(), a => a.Asset == "CNY" && a.Balances == 1500 + 1_000 && a.Supply == 1500);
    }

    [Fact]
    public void A_block_that_breaks_several_assets_reports_each_once_in_ordinal_order()
    {
        var rt = Runtime(new KeyWriter());
        var ctx = new ManualNodeContext(nodes: 1);
        // Touched out of order, each more than once, by name (not through cached accounts).
        rt.Apply(BlockOf(rt,
            Tx("alice", new ContractCall("keys", "put", new[] { "balance/SEC001/carol", "balance/CNY/carol" })),
            Tx("alice", new ContractCall("keys", "put", new[] { "balance/CNY/dave", "balance/SEC001/dave", "note/x" }))), ctx);
        Assert.Equal(2, rt.ConservationViolations);
        var findings = RunMetrics.Merge(Duration.FromSeconds(1), [ctx.Metrics]).Findings.Where(f => f.Kind == "conservation-violation").ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains("balances of CNY", findings[0].Text);
        Assert.Contains("balances of SEC001", findings[1].Text);
    }

    [Fact]
    public void Issue_and_redeem_by_the_issuer_change_supply_and_keep_conservation()
    {
        var rt = Runtime();
        rt.Apply(BlockOf(rt,
            Tx("bank", TokenContract.IssueCall("CNY", "bank", 200)),
            Tx("bank", TokenContract.RedeemCall("CNY", 50))), new ManualNodeContext(nodes: 1));
        Assert.Equal(1650, rt.Supply("CNY"));
        Assert.Equal(0, rt.ConservationViolations);
        Assert.All(rt.Audit(), a => Assert.Equal(a.Supply, a.Balances));
    }

    [Fact]
    public void A_resubmitted_transaction_gets_its_first_outcome_and_is_not_executed_twice()
    {
        var rt = Runtime();
        var tx = Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 100));
        rt.Apply(BlockOf(rt, tx), new ManualNodeContext(nodes: 1));
        var again = rt.Apply(BlockOf(rt, tx), new ManualNodeContext(nodes: 1));
        Assert.True(again[0].Accepted);
        Assert.Equal(900, rt.Balance("CNY", "alice"));
    }

    [Fact]
    public void Blocks_must_be_applied_in_height_order()
    {
        var rt = Runtime();
        Assert.Throws<InvalidOperationException>(() => rt.Apply(new Block(2, Hash.Zero, [], "x"), new ManualNodeContext(nodes: 1)));
    }

    [Fact]
    public void A_call_reads_its_own_writes_and_commits_each_key_once_with_its_last_value()
    {
        var rt = Runtime(new Rewriter());
        var outcomes = rt.Apply(BlockOf(rt, Tx("agent", new ContractCall("rewriter", "go", null))), new ManualNodeContext(nodes: 1));
        Assert.True(outcomes[0].Accepted, outcomes[0].Reason);
        Assert.Equal(11L, rt.State.Get("note/x"));
        Assert.Equal(2L, rt.State.Get("note/y"));
        Assert.Equal(1, rt.State.VersionOf("note/x"));
        // Two transfers of alice's cash in one call: one committed write each, the balances and the conservation check agree.
        Assert.Equal(700, rt.Balance("CNY", "alice"));
        Assert.Equal(800, rt.Balance("CNY", "bob"));
        Assert.Equal(2, rt.State.VersionOf("balance/CNY/alice"));
        Assert.Equal(0, rt.ConservationViolations);
        var keys = rt.State.Ordered().Select(kv => kv.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    /// <summary>Writes a key, another, then the first again from what it reads back; moves cash twice.</summary>
    private sealed class Rewriter : IContract
    {
        public string Name => "rewriter";
        public void Execute(ContractContext ctx, string method, object? arguments)
        {
            ctx.Put("note/x", 1L);
            ctx.Put("note/y", 2L);
            ctx.Put("note/x", ctx.Get<long>("note/x") + 10);
            ctx.Transfer("CNY", "alice", "bob", 100);
            ctx.Transfer("CNY", "alice", "bob", 200);
        }
    }

    /// <summary>Delivery then payment in one call, like the DvP contract, with an optional crash between the legs.</summary>
    private sealed class TwoLegs : IContract
    {
        public bool CrashBetweenLegs { get; init; }
        public string Name => "two-legs";
        public void Execute(ContractContext ctx, string method, object? arguments)
        {
            ctx.RequireRole("settlement-agent");
            ctx.Transfer("SEC001", "bob", "alice", 10);
            if (CrashBetweenLegs) throw new ReplicaCrashed();
            ctx.Transfer("CNY", "alice", "bob", (long)arguments!);
        }
    }

    /// <summary>The two legs through accounts named once (as the DvP contract does), or one leg between two assets.</summary>
    private sealed class AccountLegs : IContract
    {
        private readonly Account _bobShares = new("SEC001", "bob"), _aliceShares = new("SEC001", "alice");
        private readonly Account _aliceCash = new("CNY", "alice"), _bobCash = new("CNY", "bob");
        public string Name => "account-legs";
        public void Execute(ContractContext ctx, string method, object? arguments)
        {
            if (method == "mixed") { ctx.Transfer(_bobShares, _aliceCash, 1); return; }
            ctx.Transfer(_bobShares, _aliceShares, 10);
            ctx.Transfer(_aliceCash, _bobCash, (long)arguments!);
        }
    }

    [Fact]
    public void Transfers_between_accounts_write_the_same_state_as_transfers_by_name()
    {
        var byName = Runtime(new TwoLegs());
        var byAccount = Runtime(new AccountLegs());
        byName.Apply(BlockOf(byName, Tx("agent", new ContractCall("two-legs", "settle", 100L))), new ManualNodeContext(nodes: 1));
        var ctx = new ManualNodeContext(nodes: 1);
        var outcomes = byAccount.Apply(BlockOf(byAccount,
            Tx("agent", new ContractCall("account-legs", "settle", 5_000L)),     // the delivery leg moves, alice cannot pay: neither stays
            Tx("agent", new ContractCall("account-legs", "settle", 100L)),
            Tx("agent", new ContractCall("account-legs", "mixed"))), ctx);       // shares into a cash account: refused
        Assert.Equal([false, true, false], outcomes.Select(o => o.Accepted));
        Assert.StartsWith("insufficient CNY: alice holds 1000, needs 5000", outcomes[0].Reason);
        Assert.Contains("SEC001 to CNY", outcomes[2].Reason);
        Assert.Equal(byName.Digest(), byAccount.Digest());
        Assert.Equal(0, byAccount.ConservationViolations);
        Assert.Equal([("CNY", 1500L, 1500L), ("SEC001", 10L, 10L)], byAccount.Audit());
    }

    private sealed class ReplicaCrashed : Exception;

    /// <summary>A buggy contract that credits a balance directly, creating money.</summary>
    [Fact]
    public void The_same_keys_written_in_another_order_are_the_same_state_and_one_other_key_is_not()
    {
        // Many keys, so that the tables' walks differ in order and not only at the ends; one call writes them in the order given.
        var keys = Enumerable.Range(0, 40).Select(i => $"note/{i}").ToArray();
        ContractRuntime With(string[] order)
        {
            var rt = Runtime(new KeyWriter());
            rt.Apply(BlockOf(rt, Tx("alice", new ContractCall("keys", "put", order))), new ManualNodeContext(nodes: 1));
            return rt;
        }
        var forward = With(keys);
        var backward = With([.. keys.Reverse()]);
        var other = With([.. keys[..^1], "note/x"]);
        Assert.Equal(forward.Digest(), backward.Digest());
        Assert.True(forward.State.SameAs(backward.State));
        Assert.True(ContractRuntime.SameStateAtEachHeight([forward, backward, With(keys)]));
        Assert.NotEqual(forward.Digest(), other.Digest());
        Assert.False(forward.State.SameAs(other.State));
        Assert.False(backward.State.SameAs(other.State));
        // A call writes each key once, with its last value, however many times it puts it (past the few a scan finds).
        var twice = With([.. keys, .. keys]);
        Assert.Equal(1, twice.State.VersionOf("note/0"));
        Assert.True(twice.State.SameAs(forward.State));
        var small = With(["note/a", "note/b", "note/a"]);
        Assert.Equal(1, small.State.VersionOf("note/a"));
    }

    [Fact]
    public void A_balance_key_holding_something_else_reads_as_zero_and_keeps_its_value_in_the_state()
    {
        // Balances are numbers kept unboxed; a contract may still put anything under such a key by name.
        ContractRuntime With(object value)
        {
            var rt = Runtime(new ValueWriter(), new AccountLegs());
            rt.Apply(BlockOf(rt, Tx("alice", new ContractCall("values", "put", ("balance/SEC001/alice", value)))), new ManualNodeContext(nodes: 1));
            return rt;
        }
        var text = With("ten");
        Assert.Equal("ten", text.State.Get("balance/SEC001/alice"));
        Assert.Equal(0, text.Balance("SEC001", "alice"));
        Assert.Equal(1, text.State.VersionOf("balance/SEC001/alice"));
        var asNumber = With(10L);
        var asText = With("10");
        Assert.Equal(10L, asNumber.State.Get("balance/SEC001/alice"));
        Assert.Equal(10, asNumber.Balance("SEC001", "alice"));
        // The digest writes values as text: the number 10 and the text "10" are the same state, as SameAs says.
        Assert.Equal(asNumber.Digest(), asText.Digest());
        Assert.True(asNumber.State.SameAs(asText.State));
        Assert.NotEqual(asNumber.Digest(), text.Digest());
        Assert.False(asNumber.State.SameAs(text.State));
        // A transfer through accounts reads the text as 0 and overwrites it with a number.
        text.Apply(BlockOf(text, Tx("agent", new ContractCall("account-legs", "settle", 1L))), new ManualNodeContext(nodes: 1));
        Assert.Equal(10, text.Balance("SEC001", "alice"));
        Assert.Equal(10L, text.State.Get("balance/SEC001/alice"));
        Assert.Equal(2, text.State.VersionOf("balance/SEC001/alice"));
    }

    private sealed class ValueWriter : IContract
    {
        public string Name => "values";
        public void Execute(ContractContext ctx, string method, object? arguments)
        {
            var (key, value) = ((string, object))arguments!;
            ctx.Put(key, value);
        }
    }

    [Fact]
    public void A_call_reads_the_balances_the_calls_before_it_in_the_block_left()
    {
        // alice holds 1000: the first 600 goes, the second finds 400 (a call's remembered reads end with the call).
        var rt = Runtime();
        var outcomes = rt.Apply(BlockOf(rt,
            Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 600)),
            Tx("alice", TokenContract.TransferCall("CNY", "alice", "bob", 600)),
            Tx("bob", TokenContract.TransferCall("CNY", "bob", "alice", 1100))), new ManualNodeContext(nodes: 1));
        Assert.Equal([true, false, true], outcomes.Select(o => o.Accepted));
        Assert.Equal((1500, 0), (rt.Balance("CNY", "alice"), rt.Balance("CNY", "bob")));
    }

    private sealed class KeyWriter : IContract
    {
        public string Name => "keys";
        public void Execute(ContractContext ctx, string method, object? arguments)
        {
            foreach (var key in (string[])arguments!) ctx.Put(key, 1L);
        }
    }

    private sealed class Minter : IContract
    {
        public string Name => "minter";
        public void Execute(ContractContext ctx, string method, object? arguments) =>
            ctx.Put("balance/CNY/" + ctx.Caller, ctx.Balance("CNY", ctx.Caller) + 1_000);
    }
}
