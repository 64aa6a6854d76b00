using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Chain;
using Lab.Finance.Evidence;
using Lab.Finance.Insurance;
using Lab.Finance.Privacy;
using Lab.Ledger.Blocks;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Insurance;

/// <summary>Who can read what on the claims chain (issue 14 §6): the matrix is read from replica state, each party
/// trying each item with its own key, never asserted from the rules.</summary>
public class InsurancePrivacyTests
{
    private static readonly long Hour = Duration.FromHours(1).Nanos, Day = Duration.FromDays(1).Nanos;
    private static readonly InsuranceOptions Small = new() { Process = ClaimsProcess.OnChain, Customers = 3, Hospitals = 2, Insurers = 2, VisitWindow = Duration.FromDays(7) };

    /// <summary>alice (insurer01) and carol (insurer02) consented, bob (insurer01) did not. Visit 0: alice, hospital01,
    /// outpatient 412.50 CNY (paid by the rules); visit 1: carol, hospital02, inpatient 9,000 CNY (reviewed); visit 2: bob (refused).</summary>
    private static readonly InsuranceBook Book = new(
        [new Customer(0, 0, Hour), new Customer(1, 0, -1), new Customer(2, 1, Hour)],
        [
            Visit(0, 0, 0, Day + 10 * Hour, VisitCategory.Outpatient, 41_250),
            Visit(1, 2, 1, Day + 12 * Hour, VisitCategory.Inpatient, 900_000),
            Visit(2, 1, 0, Day + 14 * Hour, VisitCategory.Outpatient, 20_000),
        ]);

    private static Visit Visit(int i, int customer, int hospital, long at, VisitCategory category, long fen) =>
        new(i, customer, hospital, at, category, fen, 86400, 86400, 3600, 1800, false, 0, 3600, 1800);

    private readonly Keyring _keys = new(5);
    private readonly InsurancePrivacy _privacy;
    private readonly ContractRuntime _rt = new(InsuranceWorld.Consortium(Small),
        [new ClaimsContract(autoLimitFen: 500_000, annualAutoLimitFen: 2_000_000), new EvidenceContract()], new Dictionary<string, string>());
    /// <summary>The sealed records as the contract stores them beside each accepted filing (the filing's sealed copy is internal to Lab.Finance).</summary>
    private readonly SortedDictionary<string, object> _sealed = new(StringComparer.Ordinal);
    private long _seq;

    public InsurancePrivacyTests()
    {
        _privacy = new InsurancePrivacy(_keys);
        foreach (var c in Book.Customers.Where(c => c.OpenedNs >= 0))
            Call(InsuranceBook.App, ClaimsContract.Consent(new ConsentGrant(InsuranceBook.CustomerName(c.Index), InsuranceBook.Insurer(c.Insurer), InsuranceBook.ConsentFingerprint(c.Index, c.Insurer))));
        foreach (var v in Book.Visits)
        {
            var accepted = Call(InsuranceBook.Exchange, ClaimsContract.File(new ClaimFiling(v.ClaimId, InsuranceBook.CustomerName(v.Customer),
                InsuranceBook.Insurer(Book.Customers[v.Customer].Insurer), InsuranceBook.Hospital(v.Hospital), v.Category, v.AmountFen,
                new EvidenceItem(v.ClaimId, v.RecordHash(Book), "visit", InsuranceBook.Hospital(v.Hospital)))));
            if (accepted) _sealed[InsurancePrivacy.RecordKey(v.ClaimId)] = _privacy.Seal(v, Book);
        }
    }

    private bool Call(string caller, ContractCall call)
    {
        var tx = new Transaction(new TxId(++_seq), caller, call, 200, SimTime.Zero);
        return _rt.Apply(new Block(_rt.Height + 1, Hash.Zero, [tx], "test"), new ManualNodeContext(nodes: 1))[0].Accepted;
    }

    private object? Replica(string key) => _sealed.TryGetValue(key, out var s) ? s : _rt.State.Get(key);

    [Fact]
    public void The_matrix_read_from_the_ledger_keeps_the_rules()
    {
        var m = _privacy.Derive(Replica, Book, Small.Insurers);
        Assert.Empty(m.Differences(InsurancePrivacy.Expected));
        // The exchange checks consent and files the facts but holds the medical record as hash only; so does the bank.
        Assert.Equal(ReadLevel.Read, m.Cell("exchange", "consent"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell("exchange", "visit-record"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell("bank", "visit-record"));
        Assert.Equal(ReadLevel.Read, m.Cell("bank", "payment"));
        // The treating hospital reads its record and nothing else; a competitor insurer nothing at all; the regulator everything.
        Assert.Equal(ReadLevel.Read, m.Cell("hospital", "visit-record"));
        Assert.Equal(ReadLevel.Nothing, m.Cell("hospital", "consent"));
        foreach (var item in InsurancePrivacy.Items)
        {
            Assert.Equal(ReadLevel.Nothing, m.Cell("other-insurer", item));
            Assert.Equal(ReadLevel.Read, m.Cell("regulator", item));
            Assert.Equal(ReadLevel.Read, m.Cell("insurer", item));
            Assert.Equal(ReadLevel.Read, m.Cell("customer", item));
        }
        // bob's refused claim stored nothing: no record to read for anyone.
        Assert.Null(Replica(InsurancePrivacy.RecordKey(Book.Visits[2].ClaimId)));
    }

    [Fact]
    public void The_record_the_insurer_opens_is_the_one_the_anchored_evidence_names_and_other_parties_cannot_open_it()
    {
        var v = Book.Visits[1];
        var sealedRecord = Assert.IsType<SealedPayload>(Replica(InsurancePrivacy.RecordKey(v.ClaimId)));
        var opened = sealedRecord.TryOpen(_keys.Of(InsuranceBook.Insurer(1)));
        Assert.NotNull(opened);
        var entry = Assert.IsType<EvidenceEntry>(_rt.State.Get(EvidenceContract.EntryKey(v.ClaimId)));
        Assert.Equal(entry.Hash, Hash.Of(System.Text.Encoding.UTF8.GetBytes(opened!)));
        Assert.Null(sealedRecord.TryOpen(_keys.Of(InsuranceBook.Exchange)));
        Assert.Null(sealedRecord.TryOpen(_keys.Of(InsuranceBook.Insurer(0))));
        Assert.Null(sealedRecord.TryOpen(new PartyKey(InsuranceBook.Insurer(1), _keys.KeyOf(InsuranceBook.Insurer(0)))));   // a name is not a key
    }

    [Fact]
    public void A_rule_change_is_caught_as_a_breach()
    {
        // A record sealed also for the exchange (someone added it to the collection): the exchange now opens it.
        var carol = Book.Visits[1];
        var leaked = SealedPayload.Seal("visit record", [.. InsurancePrivacy.RecordCollection(InsuranceBook.CustomerName(2), InsuranceBook.Hospital(1), InsuranceBook.Insurer(1)), InsuranceBook.Exchange, InsurancePrivacy.Regulator], _keys, "leak");
        object? Leaky(string k) => k == InsurancePrivacy.RecordKey(carol.ClaimId) ? leaked : Replica(k);
        var m = _privacy.Derive(Leaky, Book, Small.Insurers);
        Assert.True(m.Mixed("exchange", "visit-record"));
        Assert.Equal(["exchange on visit-record: expected hash only, ledger gives hash only/read"], m.Differences(InsurancePrivacy.Expected));

        // A claim filed into the wrong channel (carol's claim naming insurer01): the insurer it names cannot open her record, sealed for insurer02.
        var wrongChannel = Assert.IsType<ClaimState>(Replica(ClaimsContract.ClaimKey(carol.ClaimId))) with { Insurer = InsuranceBook.Insurer(0) };
        object? Misfiled(string k) => k == ClaimsContract.ClaimKey(carol.ClaimId) ? wrongChannel : Replica(k);
        var derived = _privacy.Derive(Misfiled, Book, Small.Insurers);
        Assert.NotEmpty(derived.Differences(InsurancePrivacy.Expected));
        Assert.Contains(derived.Differences(InsurancePrivacy.Expected), d => d.StartsWith("insurer on visit-record:", StringComparison.Ordinal));

        // The same ledger against a changed rule (the bank to read the medical record): the ledger does not give it.
        ReadLevel Changed(string p, string i) => (p, i) == ("bank", "visit-record") ? ReadLevel.Read : InsurancePrivacy.Expected(p, i);
        Assert.Equal(["bank on visit-record: expected read, ledger gives hash only"], _privacy.Derive(Replica, Book, Small.Insurers).Differences(Changed));
    }

    private static NetworkSpec Zhejiang() => new()
    {
        Regions = ["hangzhou", "shanghai"],
        BaseLatency = [[Duration.FromMillis(0.5), Duration.FromMillis(2)], [Duration.FromMillis(2), Duration.FromMillis(0.5)]],
    };

    private static (RunResult Run, InsuranceResults Results) Run(InsuranceOptions o, ulong seed)
    {
        var net = Zhejiang();
        var chain = new SettlementChain(new PbftProtocol(new PbftOptions()), new ChainOptions
        {
            Nodes = 4,
            Placement = ["hangzhou", "hangzhou", "shanghai", "shanghai"],
            Block = new Lab.Ledger.Batching.BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(200) },
        });
        var world = InsuranceWorld.Build(o, net, seed, chain, Book);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = world.SuggestedEnd, SeriesBin = Duration.FromDays(1) }, net, world.Nodes);
        foreach (var obs in world.Observers) sim.AddObserver(obs);
        var run = sim.Run();
        return (run, world.Derive(run));
    }

    [Fact]
    public void An_on_chain_run_stores_the_sealed_records_keeps_the_rules_and_off_changes_no_other_figure()
    {
        var (run, results) = Run(Small, 3);
        Assert.Empty(results.PrivacyBreaches);
        Assert.Equal(0, run.Metrics.Scalars["privacy_rule_breaches"]);
        // The contract stored the exchange's sealed records: the regulator opens them, the exchange holds the hash only.
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.regulator.visit-record"]);
        Assert.Equal((int)ReadLevel.HashOnly, run.Metrics.Scalars["can_read.exchange.visit-record"]);
        Assert.Equal((int)ReadLevel.Nothing, run.Metrics.Scalars["can_read.other-insurer.claim"]);
        Assert.Equal(InsurancePrivacy.Parties.Count * InsurancePrivacy.Items.Count, run.Metrics.Scalars.Keys.Count(k => k.StartsWith("can_read.", StringComparison.Ordinal)));

        var (offRun, _) = Run(Small with { Privacy = false }, 3);
        Assert.False(offRun.Metrics.Scalars.ContainsKey("can_read.regulator.visit-record"));
        foreach (var (k, v) in offRun.Metrics.Scalars) Assert.Equal(v, run.Metrics.Scalars[k]);
        Assert.Equal(offRun.Metrics.Scalars.Count + InsurancePrivacy.Parties.Count * InsurancePrivacy.Items.Count + 1, run.Metrics.Scalars.Count);
    }
}
