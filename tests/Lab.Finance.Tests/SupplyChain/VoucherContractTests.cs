using Lab.Finance.SupplyChain;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Randomness;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.SupplyChain;

/// <summary>The voucher contract on hand-made cases, block by block through the contract runtime.</summary>
public class VoucherContractTests
{
    private const long Day = 86_400_000_000_000L;
    private const long Maturity = 180 * Day;

    private static ContractRuntime Runtime(long bankCash = 10_000_000, long coreCash = 10_000_000, long bp = 350)
    {
        var members = new Membership().Add("core", VoucherContract.CoreRole).Add("cash", "issuer")
            .Add("bank1", VoucherContract.BankRole).Add("bank2", VoucherContract.BankRole).Add("s1").Add("s2").Add("s3");
        var issuers = new Dictionary<string, string> { ["CNY"] = "cash" };
        for (int v = 0; v < 20; v++) issuers[VoucherContract.Asset(v)] = "core";
        var rt = new ContractRuntime(members, [new TokenContract(), new VoucherContract("CNY")], issuers, new ContractRuntimeOptions { MetricsNode = "n0" });
        rt.ApplyGenesis(
        [
            ("cash", TokenContract.IssueCall("CNY", "core", coreCash)),
            ("cash", TokenContract.IssueCall("CNY", "bank1", bankCash)),
            ("cash", TokenContract.IssueCall("CNY", "bank2", bankCash)),
            ("bank1", VoucherContract.QuoteCall(new RateQuote("core", bp))),
            ("bank2", VoucherContract.QuoteCall(new RateQuote("core", bp))),
        ]);
        return rt;
    }

    private long _seq;
    private Transaction Tx(string caller, ContractCall call) => new(new TxId(++_seq), caller, call, 100, SimTime.Zero);

    private static IReadOnlyList<Lab.Ledger.State.TxOutcome> Apply(ContractRuntime rt, params Transaction[] txs) =>
        rt.Apply(new Block(rt.Height + 1, Hash.Zero, txs, "test"), new ManualNodeContext(nodes: 1));

    [Fact]
    public void A_voucher_split_60_40_is_discounted_at_the_cores_rate_a_second_discount_is_refused_and_maturity_pays_the_holders()
    {
        var rt = Runtime();
        var issue = Apply(rt, Tx("core", VoucherContract.IssueCall(new VoucherIssue(0, 0, "s1", 1_000_000, Maturity))));
        Assert.True(issue[0].Accepted, issue[0].Reason);
        Assert.Equal(1_000_000, rt.Balance(VoucherContract.Asset(0), VoucherContract.PieceAccount(0)));

        // s1 keeps 60% (piece 1) and passes 40% to s2 (piece 2).
        var split = Apply(rt, Tx("s1", VoucherContract.SplitCall(new VoucherSplit(0, [new VoucherPart(1, "s1", 600_000), new VoucherPart(2, "s2", 400_000)]))));
        Assert.True(split[0].Accepted, split[0].Reason);
        Assert.Equal(600_000, rt.Balance(VoucherContract.Asset(0), VoucherContract.PieceAccount(1)));
        Assert.Equal(400_000, rt.Balance(VoucherContract.Asset(0), VoucherContract.PieceAccount(2)));
        Assert.Equal(0, rt.Balance(VoucherContract.Asset(0), VoucherContract.PieceAccount(0)));

        // s2 discounts its 40% with bank1 with 90 days left at 3.5%: 400,000 × 0.035 × 90/365 = 3,452.05… → interest 3,453 (rounded up), pays 396,547.
        var bankBefore = rt.Balance("CNY", "bank1");
        var d1 = Apply(rt, Tx("s2", VoucherContract.DiscountCall(new VoucherDiscount(2, "bank1", Maturity - 90 * Day))));
        Assert.True(d1[0].Accepted, d1[0].Reason);
        Assert.Equal(396_547, VoucherContract.Price(400_000, 350, 90 * Day));
        Assert.Equal(396_547, rt.Balance("CNY", "s2"));
        Assert.Equal(bankBefore - 396_547, rt.Balance("CNY", "bank1"));

        // The same piece again, to a bank that did not see the first: refused with the reason, nothing moves.
        var d2 = Apply(rt, Tx("s2", VoucherContract.DiscountCall(new VoucherDiscount(2, "bank2", Maturity - 90 * Day))));
        Assert.False(d2[0].Accepted);
        Assert.StartsWith(VoucherContract.DoubleFinancingReason, d2[0].Reason);
        Assert.Equal(396_547, rt.Balance("CNY", "s2"));
        Assert.Equal(10_000_000, rt.Balance("CNY", "bank2"));

        // Not due yet: refused. At maturity: bank1 gets 400,000 for s2's piece, s1 its own 600,000; the voucher is gone.
        Assert.False(Apply(rt, Tx("core", VoucherContract.PayCall(new VoucherPay(0, Maturity - 1))))[0].Accepted);
        var pay = Apply(rt, Tx("core", VoucherContract.PayCall(new VoucherPay(0, Maturity))));
        Assert.True(pay[0].Accepted, pay[0].Reason);
        Assert.Equal(bankBefore - 396_547 + 400_000, rt.Balance("CNY", "bank1"));
        Assert.Equal(600_000, rt.Balance("CNY", "s1"));
        Assert.Equal(10_000_000 - 1_000_000, rt.Balance("CNY", "core"));
        Assert.Equal(0, rt.Supply(VoucherContract.Asset(0)));
        Assert.Equal(0, rt.ConservationViolations);
    }

    [Fact]
    public void Splits_that_do_not_add_up_to_the_piece_or_by_someone_else_are_refused()
    {
        var rt = Runtime();
        Apply(rt, Tx("core", VoucherContract.IssueCall(new VoucherIssue(0, 0, "s1", 1_000, Maturity))));
        var o = Apply(rt,
            Tx("s1", VoucherContract.SplitCall(new VoucherSplit(0, [new VoucherPart(1, "s1", 700), new VoucherPart(2, "s2", 400)]))),  // 1,100 > 1,000
            Tx("s2", VoucherContract.SplitCall(new VoucherSplit(0, [new VoucherPart(3, "s2", 500), new VoucherPart(4, "s3", 500)]))),  // not s2's
            Tx("s1", VoucherContract.IssueCall(new VoucherIssue(1, 10, "s1", 1_000, Maturity))));                                     // not the core
        Assert.All(o, x => Assert.False(x.Accepted));
        Assert.Contains("parts add up to 1100", o[0].Reason);
        Assert.StartsWith("unauthorised", o[1].Reason);
        Assert.StartsWith("unauthorised", o[2].Reason);
        Assert.Equal(1_000, rt.Balance(VoucherContract.Asset(0), VoucherContract.PieceAccount(0)));
        Assert.Equal(0, rt.Supply(VoucherContract.Asset(1)));
    }

    /// <summary>Random splits, passes and discounts (many of them invalid), block by block: after every block the live
    /// pieces of each voucher sum exactly to its confirmed face value, and the runtime saw no conservation breach.</summary>
    [Fact]
    public void After_every_block_the_pieces_of_a_voucher_never_exceed_its_confirmed_payable()
    {
        var rt = Runtime(bankCash: 1_000_000_000, coreCash: 1_000_000_000);
        var rng = SimRandom.Stream(7, "voucher-property");
        string[] holders = ["s1", "s2", "s3"];
        var face = new Dictionary<int, long>();
        var pieces = new List<(long Piece, int Voucher)>();
        long nextPiece = 100;
        for (int v = 0; v < 5; v++)
        {
            face[v] = 10_000 + rng.Next(90_000);
            Apply(rt, Tx("core", VoucherContract.IssueCall(new VoucherIssue(v, v, holders[rng.Next(3)], face[v], Maturity))));
            pieces.Add((v, v));
        }
        int accepted = 0, refused = 0;
        var reasons = new List<string>();
        for (int block = 0; block < 100; block++)
        {
            var txs = new List<Transaction>();
            for (int k = 0; k < 5; k++)
            {
                // Mostly live pieces called by their holder (so calls succeed), sometimes anything by anyone.
                var live = pieces.Where(x => rt.State.Get(VoucherContract.PieceKey(x.Piece)) is PieceRecord { Status: VoucherContract.Held }).ToList();
                var (piece, voucher) = live.Count > 0 && rng.Chance(0.8) ? live[rng.Next(live.Count)] : pieces[rng.Next(pieces.Count)];
                if (txs.Any(t => t.Payload is ContractCall { Arguments: VoucherSplit vs } && vs.Piece == piece || t.Payload is ContractCall { Arguments: VoucherDiscount vd } && vd.Piece == piece)) continue;
                var caller = rt.State.Get(VoucherContract.PieceKey(piece)) is PieceRecord pr && rng.Chance(0.8) ? pr.Owner : holders[rng.Next(3)];
                if (rng.Chance(0.85))
                {
                    // A split whose parts are sometimes more than the piece holds.
                    var amount = rt.Balance(VoucherContract.Asset(voucher), VoucherContract.PieceAccount(piece));
                    var a = 1 + rng.Next((int)Math.Max(1, amount));
                    var b = amount - a + (rng.Chance(0.2) ? 1 + rng.Next(1_000) : 0);
                    var p1 = nextPiece++;
                    var p2 = nextPiece++;
                    txs.Add(Tx(caller, VoucherContract.SplitCall(new VoucherSplit(piece, [new VoucherPart(p1, caller, a), new VoucherPart(p2, holders[rng.Next(3)], b)]))));
                    pieces.Add((p1, voucher));
                    pieces.Add((p2, voucher));
                }
                else
                    txs.Add(Tx(caller, VoucherContract.DiscountCall(new VoucherDiscount(piece, rng.Chance(0.5) ? "bank1" : "bank2", 10 * Day))));
            }
            foreach (var o in Apply(rt, [.. txs])) { if (o.Accepted) accepted++; else { refused++; reasons.Add(o.Reason ?? ""); } }
            for (int v = 0; v < 5; v++)
            {
                var asset = VoucherContract.Asset(v);
                var held = pieces.Where(p => p.Voucher == v).Sum(p => rt.Balance(asset, VoucherContract.PieceAccount(p.Piece)));
                Assert.Equal(face[v], held);
                Assert.Equal(face[v], rt.Supply(asset));
            }
            Assert.Equal(0, rt.ConservationViolations);
        }
        Assert.True(accepted > 20, $"only {accepted} calls accepted: the property was barely exercised; refusals: {string.Join("|", reasons.GroupBy(x => string.Join(" ", x.Split(" ").Take(2))).Select(g => g.Key + "=" + g.Count()))}");
        Assert.True(refused > 20, $"only {refused} calls refused: the invalid cases were barely exercised");
    }
}
