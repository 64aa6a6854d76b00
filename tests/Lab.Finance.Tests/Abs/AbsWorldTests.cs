using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Abs;
using Lab.Finance.Chain;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Abs;

/// <summary>Whole deals, traditional and on chain, on the same seeded pool history (a small pool over three months).</summary>
public class AbsWorldTests
{
    private static NetworkSpec Net() => new()
    {
        Regions = ["chongqing", "shanghai"],
        BaseLatency = [[Duration.FromMillis(0.5), Duration.FromMillis(15)], [Duration.FromMillis(15), Duration.FromMillis(0.5)]],
    };

    internal static AbsOptions Small(AbsReporting reporting) => new()
    {
        Reporting = reporting,
        Loans = 200,
        PoolCny = 20_000_000,
        Periods = 3,
        Investors = 3,
        MissRate = 0.05,
        TradesPerMonth = 10,
        ReconcileErrorRate = 0.3,
    };

    internal static (AbsWorldSpec World, AbsResults Results, RunResult Run) Run(AbsOptions o, ulong seed)
    {
        var net = Net();
        var chain = o.Reporting == AbsReporting.OnChain
            ? new SettlementChain(new PbftProtocol(new PbftOptions()), new ChainOptions
            {
                Nodes = 4,
                Placement = ["chongqing", "shanghai", "shanghai", "chongqing"],
                Block = new Lab.Ledger.Batching.BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(200) },
            })
            : null;
        var world = AbsWorld.Build(o, net, seed, chain);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = world.SuggestedEnd, SeriesBin = Duration.FromDays(1) }, net, world.Nodes);
        foreach (var obs in world.Observers) sim.AddObserver(obs);
        var run = sim.Run();
        return (world, world.Derive(run), run);
    }

    [Fact]
    public void Both_variants_see_the_same_pool_history_and_pay_the_same_waterfall_and_the_chain_shows_it_to_every_party_sooner()
    {
        var t = Run(Small(AbsReporting.Traditional), 5);
        var c = Run(Small(AbsReporting.OnChain), 5);
        Assert.Equal(t.World.Book.Events, c.World.Book.Events);
        Assert.Equal(t.World.Book.Trades, c.World.Book.Trades);
        Assert.Equal(t.World.Book.Periods, c.World.Book.Periods);
        Assert.NotEqual(t.World.Book.Events, AbsBook.Generate(Small(AbsReporting.Traditional), 6).Events);
        Assert.Equal(t.Results.Reference, c.Results.Reference);

        // On chain: every period closed on every replica with the reference waterfall, nothing refused, audits clean.
        Assert.Equal(0, c.Results.WaterfallMismatches);
        Assert.Equal(0, c.Results.Refusals);
        Assert.Equal(0, c.Results.AuditViolations);
        Assert.True(c.Results.ReplicasAgree);
        Assert.All(c.Results.WaterfallVisibleS, s => Assert.True(s < 3 * 3600, $"period closed on every replica {s} s after its end"));
        Assert.All(c.Results.EventVisibleS, s => Assert.True(s <= 3600 + 60, $"{s} s"));
        Assert.Equal(0, c.Results.Breaks);
        Assert.Equal(0, c.Results.MisdirectedFen);

        // Traditional: a period is known only after the servicer's report (5 business days), the trustee and every reconciliation;
        // with a 30% error rate some reconciliations break and are found a period later.
        Assert.All(t.Results.WaterfallVisibleS, s => Assert.True(s > 5 * 86400, $"{s} s"));
        Assert.True(t.Results.Breaks > 0);
        Assert.Equal(t.Results.Breaks, t.Results.BreakFoundAfterS.Count + t.Results.BreaksOpen);
        Assert.True(t.Results.EventVisibleS.Min() > c.Results.EventVisibleS.Max());
        Assert.True(t.Results.TradeSettlementS.Order().ElementAt(t.Results.TradeSettlementS.Count / 2) > 3600);
        Assert.All(c.Results.TradeSettlementS, s => Assert.True(s < 10));
        Assert.Equal(0, t.Results.WaterfallViolations);
    }

    [Fact]
    public void The_same_seed_gives_the_same_figures()
    {
        var a = Run(Small(AbsReporting.OnChain), 9);
        var b = Run(Small(AbsReporting.OnChain), 9);
        Assert.Equal(a.Results.EventVisibleS, b.Results.EventVisibleS);
        Assert.Equal(a.Run.Metrics.Scalars.OrderBy(kv => kv.Key), b.Run.Metrics.Scalars.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void A_followed_loan_event_carries_what_the_servicer_trustee_parties_and_replicas_recorded()
    {
        var t = Run(Small(AbsReporting.Traditional), 5);
        var c = Run(Small(AbsReporting.OnChain), 5);
        var book = t.World.Book;
        var followed = LoanEventTrail.FollowedEvents(book).ToList();
        Assert.Equal(followed, LoanEventTrail.FollowedEvents(c.World.Book));
        Assert.Contains(followed, i => book.Events[i].Kind == LoanEventKind.Missed);
        Assert.Equal(followed, t.Results.Followed.Select(x => x.Event).Distinct());
        var ts = (AbsObserver)t.World.Observers[0];
        var cs = (AbsObserver)c.World.Observers[0];
        foreach (var i in followed)
        {
            var e = book.Events[i];
            var p = book.Periods[e.Period];
            var paper = t.Results.Followed.Where(x => x.Event == i).Select(x => x.Step).ToList();
            Assert.Equal(new LoanEventStep(e.AtNs, 0, LoanEventStage.Occurred, (long)e.Kind), paper[0]);
            Assert.Equal(ts.Servicer!.ReportNs[e.Period], Assert.Single(paper, s => s.Stage == LoanEventStage.Reported).AtNs);
            Assert.Equal(ts.Trustee!.WaterfallNs[e.Period], Assert.Single(paper, s => s.Stage == LoanEventStage.WaterfallSent).AtNs);
            // Every party reconciles once; a reconciliation that went wrong is found at that party's next one.
            var reconciled = paper.Where(s => s.Stage == LoanEventStage.Reconciled).ToList();
            Assert.Equal(AbsBook.Readers(3).Count, reconciled.Count);
            Assert.Equal(reconciled.Count(s => s.Detail == 1), paper.Count(s => s.Stage == LoanEventStage.BreakFound) + (e.Period == book.Periods.Count - 1 ? reconciled.Count(s => s.Detail == 1) : 0));
            var holds = paper.Where(s => s.Stage == LoanEventStage.EveryPartyHolds).Select(s => s.AtNs).ToList();
            if (holds.Count == 1)
            {
                Assert.Equal(paper.Where(s => (s.Stage == LoanEventStage.Reconciled && s.Detail == 0) || s.Stage == LoanEventStage.BreakFound).Max(s => s.AtNs), holds[0]);
                Assert.Equal(t.Results.EventVisibleS[i], (holds[0] - e.AtNs) / 1e9, 6);
            }
            var r = t.Results.Reference[e.Period];
            Assert.Equal(new LoanEventStep(p.PaymentNs, 1, LoanEventStage.Paid, r.InterestA + r.PrincipalA + r.InterestB + r.PrincipalB), Assert.Single(paper, s => s.Stage == LoanEventStage.Paid));

            // On chain: posted with the next hourly batch, on every replica when the event-visible metric says, the close after the month ends.
            var chain = c.Results.Followed.Where(x => x.Event == i).Select(x => x.Step).ToList();
            var posted = Assert.Single(chain, s => s.Stage == LoanEventStage.Posted);
            Assert.InRange(posted.AtNs - e.AtNs, 0, 3600_000_000_000L);
            Assert.Equal(cs.Servicer!.BatchOf.Count(b => b == cs.Servicer.BatchOf[i]), posted.Detail);
            var everyone = Assert.Single(chain, s => s.Stage == LoanEventStage.EveryPartyHolds);
            Assert.Equal(c.Results.EventVisibleS[i], (everyone.AtNs - e.AtNs) / 1e9, 6);
            Assert.True(everyone.AtNs > posted.AtNs);
            Assert.InRange(Assert.Single(chain, s => s.Stage == LoanEventStage.Closed).AtNs, p.EndNs, Assert.Single(chain, s => s.Stage == LoanEventStage.WaterfallEverywhere).AtNs);
            Assert.DoesNotContain(chain, s => s.Stage is LoanEventStage.Reported or LoanEventStage.Reconciled);
        }
    }
}
