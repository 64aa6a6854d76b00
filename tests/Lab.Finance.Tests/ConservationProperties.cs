using FsCheck;
using FsCheck.Xunit;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;

namespace Lab.Finance.Tests;

/// <summary>
/// Laws of the clearing engine under any sequence of trades, delivery runs with fails, borrows, price moves, buy-ins
/// and defaults. A small reference loop drives <see cref="CnsBook"/> against the depository's and the bank's ledgers
/// the way the CCP node does (runs, money settlement with the liquidity facility, buy-ins at the open, defaults with
/// reversal, liquidation and the waterfall), then drains: every member delivers, fails are bought in, everyone pays.
/// </summary>
public class ConservationProperties
{
    private const int Members = 4, Securities = 2;

    /// <summary>One step: Kind picks what happens, the other fields pick who, what and how much.</summary>
    public readonly record struct Step(byte Kind, byte A, byte B, byte C, ushort D);

    [Property(MaxTest = 150)]
    public bool Cash_and_securities_are_conserved_and_the_ccp_ends_flat_through_fails_buy_ins_and_defaults(Step[] steps)
    {
        var loop = new ClearingLoop();
        foreach (var s in steps ?? []) loop.Apply(s);
        loop.Drain();
        return loop.Conserved() && loop.CcpFlat() && loop.EveryTradeResolved() && loop.NothingNegative();
    }

    [Fact]
    public void A_hand_picked_sequence_with_a_default_and_a_buy_in_still_conserves()
    {
        var loop = new ClearingLoop();
        Step[] steps =
        [
            new(5, 0, 0, 0, 100), new(5, 0, 0, 0, 100),                           // prices × 1.5 × 1.5: security 1 at 45.00
            new(0, 3, 0, 1, 99), new(7, 3, 2, 1, 99),                             // member 3 buys 100 in CNS and a 100 block:
                                                                                  // 9,000.00 due, 5,000.00 in cash — it defaults
            new(0, 1, 0, 0, 300), new(0, 2, 1, 1, 200), new(0, 0, 3, 0, 500),   // more trades
            new(3, 0, 0, 0, 0),                                                   // a day: member 0 short, fails
            new(5, 0, 0, 0, 60),                                                  // prices fall 40%
            new(4, 2, 0, 0, 0),                                                   // member 2 defaults
            new(3, 0, 0, 0, 0), new(3, 0, 0, 0, 0),                               // two more days: buy-in
        ];
        foreach (var s in steps) loop.Apply(s);
        loop.Drain();
        Assert.True(loop.Conserved());
        Assert.True(loop.CcpFlat(), $"ccp settlement {loop.CcpCash}, facility {loop.FacilityCash}, ccp shares {loop.CcpShares}; open: {loop.Open()}");
        Assert.True(loop.EveryTradeResolved());
        Assert.True(loop.Defaults > 0 && loop.BuyIns > 0);
    }

    private sealed class ClearingLoop
    {
        private readonly AccountMap _acc = new(Members);
        private readonly SecuritiesLedger _sec;
        private readonly CashLedger _cash;
        private readonly CnsBook _book = new(Members, Securities, 512);
        private readonly long[] _price = [1000, 2000];
        private readonly List<int> _trades = [];
        private readonly long _cashTotal;
        private readonly long[] _sharesTotal = new long[Securities];
        private DateOnly _day = new(2026, 6, 1);
        private long _now;
        private readonly HashSet<int> _blocked = [];
        private readonly long[] _estateTaken = new long[Members];
        private readonly SortedSet<int> _closingOut = [];

        public int Defaults, BuyIns;
        public long CcpCash => _cash[_acc.CcpSettlement];
        public long FacilityCash => _cash[_acc.Facility];
        public long CcpShares => Enumerable.Range(0, Securities).Sum(s => _sec.Held(_acc.Ccp, s));

        public ClearingLoop()
        {
            _sec = new SecuritiesLedger(_acc, Securities);
            _cash = new CashLedger(_acc);
            for (int m = 0; m < Members; m++)
            {
                _cash.Open(m, 500_000);
                _cash.Open(_acc.Margin(m), 20_000);
                _cash.Open(_acc.Fund(m), 10_000);
                for (int s = 0; s < Securities; s++) _sec.Open(m, s, 100);
            }
            _cash.Open(_acc.SkinInTheGame, 5_000);
            for (int s = 0; s < Securities; s++) _sec.Open(_acc.LendingPool, s, 50);
            _cashTotal = _cash.Total;
            for (int s = 0; s < Securities; s++) _sharesTotal[s] = _sec.Total(s);
        }

        private DateOnly Next(DateOnly d) => d.AddDays(1);

        public void Apply(Step step)
        {
            _now += 1;
            switch (step.Kind % 8)
            {
                case 0 or 1 or 7:   // a trade between two live members, due tomorrow (7: trade for trade, affirmed)
                {
                    var buyer = step.A % Members;
                    var seller = step.B % Members;
                    if (buyer == seller || _book.IsDefaulted(buyer) || _book.IsDefaulted(seller) || _trades.Count >= 500) return;
                    var s = step.C % Securities;
                    var qty = 1 + step.D % 400;
                    var t = new Trade(_trades.Count, _now, buyer, seller, s, qty, _price[s]);
                    _book.Novate(t, Next(_day), Next(_day), _now, gross: step.Kind % 8 == 7, eligibleFromNs: 0);
                    _trades.Add(t.Index);
                    break;
                }
                case 2: _blocked.Add(step.A % Members); break;                  // an operational fail for the next run
                case 3: Day(); break;
                case 4:                                                         // an outside default
                    if (!_book.IsDefaulted(step.A % Members)) Default(step.A % Members);
                    break;
                case 5:                                                         // prices move by −50% … +50%
                    for (int s = 0; s < Securities; s++) _price[s] = Math.Max(1, _price[s] * (50 + step.D % 101) / 100);
                    break;
                case 6:                                                         // a borrow from the lenders' pool
                {
                    var m = step.A % Members;
                    var s = step.B % Securities;
                    _sec.Transfer(_acc.LendingPool, m, s, Math.Min(_sec.Held(_acc.LendingPool, s), 1 + step.D % 50));
                    break;
                }
            }
        }

        // One settlement day: buy-ins at the open, the delivery run, money, fails, and liquidation of defaulters.
        private void Day(bool drain = false)
        {
            _day = Next(_day);
            _now += 1000;
            foreach (var leg in _book.DueBuyIns(afterDays: 1))
            {
                var q = leg.Open;
                Require(_sec.Transfer(_acc.Street, _acc.Ccp, leg.Security, q));
                _book.ApplyBuyIn(leg, _price[leg.Security] + 5, _day, _now);
                BuyIns++;
            }
            var run = _book.BuildRun(_day, _day, 0, _now);
            var result = run.Execute(_sec, (m, _) => !drain && _blocked.Contains(m));
            _book.ApplyRun(run, result, _day, _now);
            _blocked.Clear();
            Money();
            _book.CloseDay(_day, s => _price[s], 0.0001, Next(_day));
            foreach (var d in _closingOut.ToList()) Liquidate(d);
        }

        private void Money()
        {
            var order = _book.BuildMoney(_day);
            var settled = new bool[Members + 1];
            var defaulters = new List<int>();
            for (int m = 0; m <= Members; m++)
            {
                var net = order.Net[m];
                if (net >= 0) continue;
                if (m == Members) { Require(_cash.Transfer(_acc.CashStreet, _acc.CcpSettlement, -net)); settled[m] = true; continue; }
                if (_cash[m] >= -net) { Require(_cash.Transfer(m, _acc.CcpSettlement, -net)); settled[m] = true; }
                else defaulters.Add(m);
            }
            for (int m = 0; m <= Members; m++)
            {
                var net = order.Net[m];
                if (net < 0) continue;
                PayFromCcp(m == Members ? _acc.CashStreet : m, net);
                settled[m] = true;
            }
            _book.ApplyMoney(order, settled, _now);
            RepayFacility();
            foreach (var d in defaulters) Default(d);
        }

        // The CCP pays out of its settlement account, borrowing on its liquidity facility when that runs short.
        private void PayFromCcp(int to, long amount)
        {
            if (amount > _cash[_acc.CcpSettlement]) Require(_cash.Transfer(_acc.Facility, _acc.CcpSettlement, amount - _cash[_acc.CcpSettlement]));
            Require(_cash.Transfer(_acc.CcpSettlement, to, amount));
        }

        private void RepayFacility()
        {
            var drawn = -_cash[_acc.Facility];
            var repay = Math.Min(drawn, _cash[_acc.CcpSettlement]);
            if (repay > 0) Require(_cash.Transfer(_acc.CcpSettlement, _acc.Facility, repay));
        }

        private void Default(int d)
        {
            Defaults++;
            _closingOut.Add(d);
            // The defaulter's collateral becomes the CCP's liquidity.
            _estateTaken[d] = _cash[_acc.Margin(d)] + _cash[_acc.Fund(d)];
            Require(_cash.Transfer(_acc.Margin(d), _acc.CcpSettlement, _cash[_acc.Margin(d)]));
            Require(_cash.Transfer(_acc.Fund(d), _acc.CcpSettlement, _cash[_acc.Fund(d)]));
            foreach (var r in _book.BeginDefault(d, _now))
            {
                var back = Math.Min(r.Shares, _sec.Held(d, r.Leg.Security));
                Require(_sec.Transfer(d, _acc.Ccp, r.Leg.Security, back));
                _book.ApplyReversal(d, r, back, _now);
            }
        }

        private void Liquidate(int d)
        {
            _book.LiquidateSlice(d, 1, s => _price[s], 0.002, Next(_day), Next(_day), _now);
            if (!_book.CloseOutComplete(d)) return;
            var estate = _book.Estate(d);
            var fund = Enumerable.Range(0, Members).Select(m => _cash[_acc.Fund(m)]).ToArray();
            var w = DefaultWaterfall.Allocate(Math.Max(0, -estate), new WaterfallResources(d, _estateTaken[d], 0, _cash[_acc.SkinInTheGame], fund));
            Require(_cash.Transfer(_acc.SkinInTheGame, _acc.CcpSettlement, w.FromSkinInTheGame));
            for (int m = 0; m < Members; m++) Require(_cash.Transfer(_acc.Fund(m), _acc.CcpSettlement, w.FromSurvivors[m]));
            Require(_cash.Transfer(_acc.Outside, _acc.CcpSettlement, w.Uncovered));
            PayFromCcp(_acc.Outside, w.ReturnedToDefaulter + Math.Max(0, estate));
            _estateTaken[d] = 0;
            _closingOut.Remove(d);
        }

        public void Drain()
        {
            for (int i = 0; i < 30 && (_book.AnythingOpen() || _closingOut.Count > 0); i++)
            {
                // In the drain every live member can pay (its bank tops it up from outside) and deliver (it buys what it
                // owes in the market: trade-for-trade fails are bilateral, the CCP does not buy them in).
                for (int m = 0; m < Members; m++)
                {
                    if (_book.IsDefaulted(m)) continue;
                    _cash.Transfer(_acc.Outside, m, 10_000_000);
                    for (int s = 0; s < Securities; s++)
                        foreach (var leg in _book.OpenLegs(m, s))
                            if (!leg.Receive) Require(_sec.Transfer(_acc.Street, m, s, leg.Open));
                }
                Day(drain: true);
            }
            RepayFacility();
        }

        private static void Require(bool ok)
        {
            if (!ok) throw new InvalidOperationException("a transfer the clearing loop relies on was refused");
        }

        public bool Conserved() => _cash.Total == _cashTotal && Enumerable.Range(0, Securities).All(s => _sec.Total(s) == _sharesTotal[s]);

        public bool NothingNegative() =>
            Enumerable.Range(0, _acc.CashAccounts).All(a => _acc.IsExternalCash(a) || _cash[a] >= 0)
            && Enumerable.Range(0, _acc.SecuritiesAccounts).All(a => a == _acc.Street || Enumerable.Range(0, Securities).All(s => _sec.Held(a, s) >= 0));

        // Nothing stuck at the CCP: no shares in its account, no cash in its settlement account, the facility repaid.
        public bool CcpFlat() => !_book.AnythingOpen() && CcpShares == 0 && CcpCash == 0 && FacilityCash == 0;

        public string Open()
        {
            var sb = new System.Text.StringBuilder();
            for (int m = 0; m <= Members; m++)
            {
                for (int s = 0; s < Securities; s++)
                    foreach (var l in _book.OpenLegs(m, s)) sb.Append($"[m{m} s{s} t{l.Trade} recv {l.Receive} open {l.Open} unpaid {l.Unpaid} gross {l.Gross} liq {l.Liquidation} due {l.Due}] ");
                foreach (var i in _book.Money(m)) sb.Append($"(money m{m} {i.Amount} {i.Kind} due {i.Due}) ");
            }
            return sb.ToString();
        }

        public bool EveryTradeResolved() => _trades.All(t => _book.Records[t].FinalNs >= 0 || _book.Records[t].Defaulted);
    }
}
