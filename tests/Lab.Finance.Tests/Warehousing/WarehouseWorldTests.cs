using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Consensus.Solo;
using Lab.Finance.Chain;
using Lab.Finance.Warehousing;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Warehousing;

public class WarehouseWorldTests
{
    /// <summary>Qingdao, Beijing, Shanghai: one-way ≈ 6, 6 and 14.5 ms (SCENARIOS.md rule of thumb and Beijing–Shanghai 29 ms RTT).</summary>
    private static NetworkSpec Port() => new()
    {
        Regions = ["qingdao", "beijing", "shanghai"],
        BaseLatency =
        [
            [Duration.FromMillis(0.5), Duration.FromMillis(6), Duration.FromMillis(6)],
            [Duration.FromMillis(6), Duration.FromMillis(0.5), Duration.FromMillis(14.5)],
            [Duration.FromMillis(6), Duration.FromMillis(14.5), Duration.FromMillis(0.5)],
        ],
    };

    private static SettlementChain FourReplicas(ChainProtocol? protocol = null) => new(protocol ?? new PbftProtocol(new PbftOptions()), new ChainOptions
    {
        Nodes = 4,
        Placement = ["qingdao", "qingdao", "beijing", "shanghai"],
        Block = new Lab.Ledger.Batching.BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(200) },
    });

    /// <summary>A short season: 30 lots over 5 days, 10-day loans, sensors every 6 h, a third of the owners cheating.</summary>
    private static WarehouseOptions Short(PledgeRegistry registry) => new()
    {
        Registry = registry,
        Lots = 30,
        Owners = 9,
        ArrivalWindow = Duration.FromDays(5),
        Tenor = Duration.FromDays(10),
        ApplyAfter = new Exponential(86400),
        RemovalAfter = new Exponential(2 * 86400),
        RemovalTime = Duration.FromDays(1),
        FraudOwnerShare = 1.0 / 3,
        SensorInterval = Duration.FromHours(6),
        InspectionInterval = Duration.FromDays(3),
    };

    private static (WarehouseWorldSpec World, RunResult Run, WarehouseResults Results) Run(WarehouseOptions o, ulong seed, SettlementChain? chain = null)
    {
        var net = Port();
        var world = WarehouseWorld.Build(o, net, seed, o.Registry == PledgeRegistry.OnChain ? chain ?? FourReplicas() : null);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = world.SuggestedEnd, SeriesBin = Duration.FromHours(6) }, net, world.Nodes);
        foreach (var obs in world.Observers) sim.AddObserver(obs);
        var run = sim.Run();
        return (world, run, world.Derive(run));
    }

    [Fact]
    public void Both_registries_see_the_same_lots_receipts_frauds_and_applications_for_a_seed_and_another_seed_differs()
    {
        var separate = Run(Short(PledgeRegistry.Separate), 11);
        var onChain = Run(Short(PledgeRegistry.OnChain), 11);
        Assert.Equal(separate.World.Book.Lots, onChain.World.Book.Lots);
        Assert.Equal(separate.World.Book.Receipts, onChain.World.Book.Receipts);
        Assert.Equal(separate.World.Book.Applications, onChain.World.Book.Applications);
        Assert.Equal(separate.World.Book.FraudulentOwners, onChain.World.Book.FraudulentOwners);
        Assert.Equal(separate.Results.Applications, onChain.Results.Applications);
        Assert.Equal(separate.Results.FraudAttempts, onChain.Results.FraudAttempts);
        Assert.Contains(separate.World.Book.Lots, l => l.Fraud != FraudKind.None);
        Assert.NotEqual(separate.World.Book.Applications, WarehouseBook.Generate(Short(PledgeRegistry.Separate), 12).Applications);

        // Separate registries: banks cannot see each other, so a double pledge or a phantom receipt is funded;
        // on chain every one of them is refused (phantoms are never even issued), and honest owners are never refused.
        Assert.True(separate.Results.FraudFunded > 0);
        Assert.Equal(0, separate.Results.HonestRefused);
        Assert.Equal(0, onChain.Results.HonestRefused);
        // On chain exactly one pledge per double-pledged lot goes through: whichever bank's decision reaches the chain
        // first (it may be the later application, which the book counts as the fraudulent one); every other is refused.
        var doubleLots = onChain.World.Book.Lots.Count(l => l.Fraud == FraudKind.DoublePledge);
        Assert.InRange(onChain.Results.FraudFunded, 0, doubleLots);
        Assert.Equal(onChain.Results.FraudAttempts, onChain.Results.FraudRefused + onChain.Results.FraudFunded);
        Assert.True(onChain.Results.FraudRefused >= onChain.Results.FraudAttempts - doubleLots);
        Assert.Equal(onChain.World.Book.Receipts.Count(r => r.Phantom), onChain.Results.ReceiptsRefused);
        Assert.True(onChain.Results.FraudLossCny < separate.Results.FraudLossCny, $"on chain {onChain.Results.FraudLossCny}, separate {separate.Results.FraudLossCny}");
    }

    /// <summary>Follow one lot: a double-pledged lot's trail in both registries, and the samples that carry it.</summary>
    [Fact]
    public void A_double_pledged_lots_trail_shows_every_bank_lending_apart_and_the_contract_refusing_all_but_one()
    {
        var separate = Run(Short(PledgeRegistry.Separate), 11);
        var onChain = Run(Short(PledgeRegistry.OnChain), 11);
        var book = separate.World.Book;
        var lot = book.Lots.First(l => l.Fraud == FraudKind.DoublePledge && book.Applications.Count(a => a.Lot == l.Index) == 3);
        var apps = book.Applications.Where(a => a.Lot == lot.Index).ToList();
        List<LotStep> Trail((WarehouseWorldSpec World, RunResult Run, WarehouseResults Results) x, PledgeRegistry registry, int? of = null)
        {
            var observer = x.World.Observers.OfType<WarehouseObserver>().Single();
            return LotTrail.Of(of ?? lot.Index, book, Short(registry), a => observer.Records[a.Index], observer.Warehouses);
        }
        int bank(Application a) => Short(PledgeRegistry.Separate).Warehouses + a.Bank;

        // Separate registries: the paper receipt, then each bank applied to, diligence, lends; each loan ends at disposal.
        var paper = Trail(separate, PledgeRegistry.Separate);
        Assert.Equal((LotStage.Arrived, lot.Warehouse, lot.ArrivalNs), (paper[0].Stage, paper[0].Who, paper[0].AtNs));
        Assert.Equal((LotStage.ReceiptIssued, 0L), (paper[1].Stage, paper[1].Detail));
        foreach (var a in apps)
        {
            Assert.Equal([LotStage.Applied, LotStage.DiligenceDone, LotStage.Funded], paper.Where(s => s.Who == bank(a)).Select(s => s.Stage).Take(3));
            Assert.Contains(new LotStep(a.AppliedNs, bank(a), LotStage.Applied, a.LoanCny), paper);
            Assert.Contains(paper, s => s.Who == bank(a) && s.Stage == LotStage.Disposed);
        }
        Assert.DoesNotContain(paper, s => s.Stage is LotStage.Refused or LotStage.SensorFlag);

        // On chain: exactly one pledge goes through; the others are refused as second pledges (code 4: the receipt is pledged).
        var chain = Trail(onChain, PledgeRegistry.OnChain);
        Assert.Single(chain, s => s.Stage == LotStage.Funded);
        Assert.Equal([4L, 4L], chain.Where(s => s.Stage == LotStage.Refused).Select(s => s.Detail));
        Assert.Equal(paper.Where(s => s.Stage == LotStage.Applied), chain.Where(s => s.Stage == LotStage.Applied));
        Assert.True(chain.Zip(chain.Skip(1)).All(p => p.First.AtNs <= p.Second.AtNs));

        // The samples carry exactly these steps for the followed lots.
        var m = onChain.Run.Metrics.Samples;
        var followed = LotTrail.FollowedLots(book).ToList();
        Assert.Contains(lot.Index, followed);
        Assert.Equal(followed.Sum(l => Trail(onChain, PledgeRegistry.OnChain, l).Count), m[WarehouseMetrics.JourneyLot].Length);
        var rows = Enumerable.Range(0, m[WarehouseMetrics.JourneyLot].Length).Where(k => m[WarehouseMetrics.JourneyLot][k] == lot.Index)
            .Select(k => new LotStep((long)Math.Round(m[WarehouseMetrics.JourneyAt][k] * 1e9), (int)m[WarehouseMetrics.JourneyWho][k], (LotStage)(int)m[WarehouseMetrics.JourneyStage][k], (long)m[WarehouseMetrics.JourneyDetail][k]));
        Assert.Equal(chain, rows);
    }

    [Fact]
    public void On_chain_conservation_and_the_lot_audit_hold_after_every_block_on_every_replica_and_removals_are_caught_by_sensors()
    {
        var (world, run, results) = Run(Short(PledgeRegistry.OnChain), 5);
        // The audited ledger checks every block on every replica; any breach would count here.
        Assert.Equal(0, results.AuditViolations);
        Assert.Empty(results.AuditFindings);
        Assert.True(results.ReplicasAgree);
        Assert.Equal(0, run.Metrics.Counter(StandardMetrics.SafetyViolations));
        Assert.Equal(world.Book.Receipts.Count(r => !r.Phantom), results.ReceiptsIssued);
        // Every fraud lot was found out: removals by the sensors at the next reading, second pledges at the refusal
        // (after desk-hour due diligence, so over a weekend at worst).
        var removals = world.Book.Lots.Count(l => l.Fraud == FraudKind.RemoveGoods);
        Assert.True(removals > 0);
        Assert.Equal(results.FraudLots, results.FraudLotsDetected);
        Assert.All(results.DetectionTimesS, t => Assert.True(t <= 4 * 86400, $"detected after {t} s"));
        // 3 sensors × 4 readings a day, plus the intake reading (3 more per lot over a stay of a couple of weeks)
        Assert.True(results.SensorMessagesPerLotDay is > 11.9 and < 13.5, $"{results.SensorMessagesPerLotDay}");
    }

    [Fact]
    public void The_on_chain_registry_runs_on_solo_too()
    {
        // (Raft works as well — `./lab run` with chain.protocol: raft — but its 50 ms heartbeats over weeks cost minutes, too slow
        // for a unit test.) The orderer announces its height every 10 s instead of every 200 ms: at the default, three weeks of
        // idle announcements to three peers are ~26 M messages, over 100 s of test time, and test nothing the registry needs.
        var raft = Run(Short(PledgeRegistry.OnChain) with { Lots = 10 }, 3, FourReplicas(new SoloProtocol(new SoloOptions { HeadInterval = Duration.FromSeconds(10) })));
        Assert.Equal(0, raft.Results.AuditViolations);
        Assert.Equal(raft.Results.FraudAttempts, raft.Results.FraudRefused);
        Assert.True(raft.Results.Funded > 0);
    }

    /// <summary>
    /// Separate registries, double pledges only, no inspections: every pledge is funded and every fraud lot loses exactly
    /// the loans beyond the first taker's. Over seeds the loss tracks the fraud rate's expectation:
    /// lots × (fraudulent owners / owners) × (banks per lot − 1) × LTV × E[tonnage] × price.
    /// </summary>
    [Fact]
    public void Separate_registries_lose_what_the_fraud_rate_predicts()
    {
        var o = Short(PledgeRegistry.Separate) with
        {
            Lots = 1500, Owners = 50, FraudOwnerShare = 0.2, ArrivalWindow = Duration.FromDays(20),
            DoublePledgeWeight = 1, PhantomWeight = 0, RemovalWeight = 0, BanksPerLot = 3, InspectionInterval = Duration.Zero,
            Tonnage = new LogNormal(Math.Log(2000), 0.5),
        };
        var losses = new List<double>();
        foreach (var seed in new ulong[] { 1, 2, 3, 4 })
        {
            var (world, _, r) = Run(o, seed);
            // Banks cannot see each other: (almost) every second pledge is funded (one may still be undecided or overtaken).
            Assert.InRange(r.FraudFunded, (long)(0.98 * r.FraudAttempts), r.FraudAttempts);
            var fraudLoans = world.Book.Applications.Where(a => a.Fraudulent).Sum(a => a.LoanCny);
            Assert.InRange(r.FraudLossCny, 0.97 * fraudLoans, 1.0 * fraudLoans);
            losses.Add(r.FraudLossCny);
        }
        var meanKg = Math.Exp(Math.Log(2000) + 0.5 * 0.5 / 2) * 1000;
        var expected = o.Lots * 0.2 * (o.BanksPerLot - 1) * o.LoanToValue * meanKg / 1000 * o.PricePerTonne;
        // Per run: fraud lots ~ Binomial(1500, 0.2) (sd 5.2%) and lognormal weights (CV 0.53 over ~300 lots, 3%): sd ≈ 6%;
        // the mean of four ≈ 3%. ±12% is four standard deviations.
        var mean = losses.Average();
        Assert.InRange(mean / expected, 0.88, 1.12);
    }
}
