using Lab.Ledger.Contracts;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// The ledger's opening state, executed identically on every replica at height 0: the dealer's quote, each central
/// bank admitting its jurisdiction's banks and listing the sanctioned parties, and each central bank issuing its
/// wholesale tokens to the banks' wallets and the FX dealer. How much: each holder's largest net outflow in each
/// currency over the run (outflows when released, inflows counted only <see cref="InflowLag"/> later), from the
/// payment book — a treasury that funds its wallet with foresight, the same rule as the correspondent nostros'
/// largest day (see the README's limits).
/// </summary>
public sealed record LedgerPlan(
    Membership Members, Dictionary<string, string> Issuers, IReadOnlyList<(string Caller, ContractCall Call)> Genesis,
    IReadOnlyDictionary<(string Holder, string Currency), long> Wallets, Func<MultiCurrencyLedger> Contract)
{
    /// <summary>Inflows count towards a wallet only this long after the paying bank released them (ordering on chain).</summary>
    public static readonly Duration InflowLag = Duration.FromMinutes(5);

    public static long Micro(string currency) => (long)Math.Round(CrossBorderOptions.FxRates[currency] * 1_000_000);
    public static long SpreadPpm(LedgerOptions o) => (long)Math.Round(o.FxSpread * 1_000_000);

    public static LedgerPlan Of(CrossBorderOptions options, PaymentBook book)
    {
        var banks = options.Banks;
        var currencies = banks.Select(b => b.Currency).Distinct().Order(StringComparer.Ordinal).ToList();
        var members = new Membership();
        foreach (var b in banks) members.Add(b.Name);
        var issuers = new Dictionary<string, string>(StringComparer.Ordinal);
        var centralBanks = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in currencies)
        {
            var cb = CrossBorderWorld.CentralBank(c);
            members.Add(cb, MultiCurrencyLedger.CentralBankRole);
            issuers[c] = cb;
            centralBanks[cb] = c;
        }
        members.Add(CrossBorderWorld.Dealer, MultiCurrencyLedger.DealerRole);

        // Wallet needs from the book, in release order.
        var hours = banks.Select(b => b.Hours(options.Start)).ToList();
        var spread = SpreadPpm(options.Ledger);
        var flows = new List<(long At, int Order, string Holder, string Currency, long Amount)>();
        int seq = 0;
        foreach (var p in book.Payments)
        {
            if (p.Sanctioned) continue;   // the contract refuses them: no money moves
            var t = LedgerBank.ReleaseNs(p, options, hours);
            var lag = InflowLag.Nanos;
            string s = banks[p.Sender].Name, r = banks[p.Receiver].Name, from = banks[p.Sender].Currency, to = banks[p.Receiver].Currency;
            flows.Add((t, seq++, s, from, -p.AmountMinor));
            if (from == to) { flows.Add((t + lag, seq++, r, to, p.AmountMinor)); continue; }
            var credited = MultiCurrencyLedger.Convert(p.AmountMinor, Micro(from), Micro(to), spread);
            flows.Add((t + lag, seq++, CrossBorderWorld.Dealer, from, p.AmountMinor));
            flows.Add((t, seq++, CrossBorderWorld.Dealer, to, -credited));
            flows.Add((t + lag, seq++, r, to, credited));
        }
        var balance = new SortedDictionary<(string, string), long>();
        var need = new SortedDictionary<(string, string), long>();
        foreach (var f in flows.OrderBy(f => f.At).ThenBy(f => f.Order))
        {
            var key = (f.Holder, f.Currency);
            var b = balance.GetValueOrDefault(key) + f.Amount;
            balance[key] = b;
            need[key] = Math.Max(need.GetValueOrDefault(key), -b);
        }

        var genesis = new List<(string, ContractCall)>
        {
            (CrossBorderWorld.Dealer, MultiCurrencyLedger.QuoteCall(new Quote([.. currencies.Select(c => (c, Micro(c)))]))),
        };
        foreach (var (cb, c) in centralBanks)
        {
            foreach (var b in banks.Where(b => b.Currency == c)) genesis.Add((cb, MultiCurrencyLedger.AdmitCall(b.Name)));
            foreach (var party in PaymentBook.ListedParties) genesis.Add((cb, MultiCurrencyLedger.ListCall(party)));
        }
        var wallets = new SortedDictionary<(string Holder, string Currency), long>();
        foreach (var ((holder, c), n) in need)
        {
            if (n <= 0) continue;
            wallets[(holder, c)] = n;
            genesis.Add((issuers[c], TokenContract.IssueCall(c, holder, n)));
        }
        var ledger = options.Ledger;
        return new LedgerPlan(members, issuers, genesis, wallets,
            () => new MultiCurrencyLedger(centralBanks, CrossBorderWorld.Dealer, spread, ledger.CpuPerPayment));
    }
}
