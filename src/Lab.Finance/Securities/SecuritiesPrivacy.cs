using System.Globalization;
using Lab.Finance.Privacy;

namespace Lab.Finance.Securities;

/// <summary>
/// Who can read what on the securities settlement chain (issue 14 §6), for on-chain (atomic DvP) settlement.
/// <para>
/// The rules, and why. A trade's terms — who bought what from whom, how many, at what price — are the two members'
/// business: a broker must not learn another broker's trades (front-running, copying a client's strategy). The real
/// systems keep them to the parties: Hyperledger Fabric puts such data in a private data collection of the two
/// members (the block carries only its hash); Corda sends a transaction only to its participants and the notary
/// (need to know); DTCC's and the CSDs' DLT pilots keep the trade details to the counterparties and the operator.
/// The exchange matched the trade and submits it, so it reads it; the regulator (SEC/CSRC supervisory access, the
/// issue's rule "a regulator reads everything") reads every trade. The CSD and the settlement bank issue the tokens
/// and run replicas, but learn a trade's terms only as hash.
/// </para>
/// <para>
/// How the chain keeps them. The exchange seals each trade record for the collection {buyer, seller, exchange,
/// regulator} (<see cref="PrivateCollection"/>, AES-GCM with per-recipient keys) and passes it with the DvP; the
/// contract stores it under <see cref="RecordKey"/> next to the public settlement marker (<c>trade/n</c> → height).
/// Every replica stores the same ciphertext; only the members' keys open it.
/// </para>
/// <para>
/// What the model leaves public, and says so in the matrix: the token balances (<c>positions</c>) are plain numbers
/// in the world state, as in any account-based token ledger, so whoever holds a replica reads every member's
/// positions and, from block to block, can infer that two members traded. Hiding them needs confidential balances
/// (Pedersen commitments with range proofs, as in the Fabric Token SDK's zk driver, or Canton's sub-transaction
/// privacy, where a participant stores only the contracts it is a stakeholder of) — not modelled. The DvP call
/// itself carries the instruction in clear to the validators (the contract checks both legs); in Fabric only the
/// collection's endorsing peers would see it. The matrix is read from the world state, not from the blocks.
/// Transaction sizes are unchanged (<see cref="OnChainSettlement.TransactionBytes"/>): in Fabric's layout the
/// ordered transaction carries only the 32-byte hash of the private write set, and the private data travels to the
/// collection's peers outside consensus; that side traffic is not modelled.
/// </para>
/// Every party is checked as if it held a full replica (the strongest position: several brokers run nodes), so what
/// protects a trade here is the sealing alone, not a gateway's filter.
/// </summary>
public sealed class SecuritiesPrivacy(MarketNames names, Keyring keys)
{
    /// <summary>The matrix's rows: parties as they stand to one trade.</summary>
    public static readonly IReadOnlyList<string> Parties =
        ["buyer", "seller", "other-broker", "exchange", "csd", "settlement-bank", "regulator"];

    /// <summary>status: the public settlement marker; trade: the sealed trade record; positions: the buyer's holding of the security (plain).</summary>
    public static readonly IReadOnlyList<string> Items = ["status", "trade", "positions"];

    public const string MetricPrefix = ReadMatrix.MetricPrefix;

    public MarketNames Names => names;
    public Keyring Keys => keys;

    public static string StatusKey(int trade) => "trade/" + trade.ToString(CultureInfo.InvariantCulture);
    public static string RecordKey(int trade) => StatusKey(trade) + "/record";

    /// <summary>The trade's private collection: its two members, the exchange that matched it, and the regulator.</summary>
    public PrivateCollection Collection(int buyer, int seller) =>
        new("trade|" + names.Member(buyer) + "|" + names.Member(seller), [names.Member(buyer), names.Member(seller), MarketNames.Exchange, MarketNames.Regulator]);

    /// <summary>The sealed record the exchange passes with a DvP (deterministic per trade, so a resubmission is identical).</summary>
    public SealedPayload Seal(DvpInstruction t) =>
        Collection(t.Buyer, t.Seller).Seal(
            $"trade {t.TradeIndex}: {names.Member(t.Buyer)} buys {t.Quantity} {names.Security(t.Security)} from {names.Member(t.Seller)} at {t.PriceMinor} {names.Currency} minor units",
            keys, t.TradeIndex.ToString(CultureInfo.InvariantCulture));

    /// <summary>The rules (the words): what the ledger must give each party.</summary>
    public static ReadLevel Expected(string party, string item) => (party, item) switch
    {
        ("buyer" or "seller" or "exchange" or "regulator", _) => ReadLevel.Read,
        (_, "trade") => ReadLevel.HashOnly,   // another broker, the CSD, the bank: the ciphertext and its digest only
        _ => ReadLevel.Read,                  // status and positions are public world state (see the class comment)
    };

    /// <summary>
    /// Fills the matrix from <paramref name="replica"/> (one replica's state): for every trade settled on it, every row
    /// (its buyer and seller, the first broker that is neither, the exchange, the CSD, the bank, the regulator) tries to
    /// read every item with its own key.
    /// </summary>
    public ReadMatrix Derive(Func<string, object?> replica, IEnumerable<DvpInstruction> trades)
    {
        var m = new ReadMatrix(Parties, Items);
        foreach (var t in trades)
        {
            if (replica(StatusKey(t.TradeIndex)) is null) continue;   // not settled on chain: nothing to read
            var other = Enumerable.Range(0, names.Members).FirstOrDefault(i => i != t.Buyer && i != t.Seller, -1);
            var who = new (string Row, string? Party)[]
            {
                ("buyer", names.Member(t.Buyer)), ("seller", names.Member(t.Seller)), ("other-broker", other < 0 ? null : names.Member(other)),
                ("exchange", MarketNames.Exchange), ("csd", MarketNames.Csd), ("settlement-bank", MarketNames.Bank), ("regulator", MarketNames.Regulator),
            };
            var keysOf = new (string Item, string Key)[]
            {
                ("status", StatusKey(t.TradeIndex)), ("trade", RecordKey(t.TradeIndex)),
                ("positions", "balance/" + names.Security(t.Security) + "/" + names.Member(t.Buyer)),   // ContractRuntime's balance key
            };
            foreach (var (item, key) in keysOf)
            {
                var stored = replica(key);
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, item, Reading.Attempt(stored, keys.Of(party)));
            }
        }
        return m;
    }

    /// <summary>The matrix as metrics (<c>can_read.&lt;party&gt;.&lt;item&gt;</c>) and its breaches of <see cref="Expected"/>.</summary>
    public static IReadOnlyList<string> Write(Lab.Sim.Kernel.RunResult run, ReadMatrix matrix) => matrix.Write(run.Metrics, Expected);
}
