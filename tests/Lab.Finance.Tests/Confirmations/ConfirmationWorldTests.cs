using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Confirmations;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.Confirmations;

public class ConfirmationWorldTests
{
    /// <summary>Beijing, Shanghai, Shenzhen: one-way 14.5, 20.5 and 12.5 ms (SCENARIOS.md: Beijing–Shanghai 29 ms RTT, rule of thumb for Shenzhen).</summary>
    private static NetworkSpec China() => new()
    {
        Regions = ["beijing", "shanghai", "shenzhen"],
        BaseLatency =
        [
            [Duration.FromMillis(0.5), Duration.FromMillis(14.5), Duration.FromMillis(20.5)],
            [Duration.FromMillis(14.5), Duration.FromMillis(0.5), Duration.FromMillis(12.5)],
            [Duration.FromMillis(20.5), Duration.FromMillis(12.5), Duration.FromMillis(0.5)],
        ],
    };

    private static SettlementChain FourReplicas() => new(new PbftProtocol(new PbftOptions()), new ChainOptions
    {
        Nodes = 4,
        Placement = ["beijing", "beijing", "shanghai", "shanghai"],
        Block = new Lab.Ledger.Batching.BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(200) },
    });

    private static readonly ConfirmationOptions Small = new() { AuditFirms = 2, Clients = 6, Banks = 2, Requests = 60, Window = Duration.FromHours(40), TamperShare = 0.1, MissingAuthorisationShare = 0.1 };

    private static (ConfirmationWorldSpec World, ConfirmationResults Results) Run(ConfirmationOptions o, ulong seed, IReadOnlyList<ConfirmationRequestDraw>? requests = null)
    {
        var net = China();
        var world = ConfirmationWorld.Build(o, net, seed, o.Channel == ConfirmationChannel.OnChain ? FourReplicas() : null, requests);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = world.SuggestedEnd, SeriesBin = Duration.FromHours(1) }, net, world.Nodes);
        foreach (var obs in world.Observers) sim.AddObserver(obs);
        var run = sim.Run();
        return (world, world.Derive(run));
    }

    [Fact]
    public void Both_channels_see_the_same_requests_for_a_seed_and_another_seed_differs()
    {
        var paper = Run(Small, 5);
        var chain = Run(Small with { Channel = ConfirmationChannel.OnChain }, 5);
        Assert.Equal(paper.World.Setup.Book.Requests, chain.World.Setup.Book.Requests);
        Assert.NotEqual(paper.World.Setup.Book.Requests, Run(Small, 6).World.Setup.Book.Requests);
        // The same requests are answered and blocked, and the same replies forged, in both channels.
        Assert.Equal(paper.Results.Answered, chain.Results.Answered);
        Assert.Equal(Small.Requests - paper.World.Setup.Book.Requests.Count(r => !r.Authorises), paper.Results.Answered);
        Assert.Equal(paper.Results.Tampered, chain.Results.Tampered);
        Assert.True(paper.Results.Tampered > 0);
        // Paper: every forgery is accepted; on chain every one is refused by its digest and none accepted.
        Assert.Equal(paper.Results.Tampered, paper.Results.ForgedAccepted);
        Assert.Equal(0, chain.Results.ForgedAccepted);
        Assert.Equal(chain.Results.Tampered, chain.Results.TamperDetected);
        Assert.Equal(0, chain.Results.Unopened);
        Assert.Equal(0, chain.Results.AuditViolations);
        Assert.Empty(chain.Results.PrivacyBreaches);
        // Every filed reply verifies against its anchored root (the firm's acknowledgement anchors it); both altered
        // copies of each targeted request's reply are caught. Paper stores no evidence.
        var e = chain.Results.Evidence!;
        Assert.Equal((chain.Results.Answered, 0L, 0L), (e.Verified, e.Failed, e.Unanchored));
        Assert.Equal((2 * chain.Results.Tampered, 2 * chain.Results.Tampered), (e.TamperedChecked, e.TamperedDetected));
        Assert.Null(paper.Results.Evidence);
    }

    private static readonly DateTimeOffset FridayEvening = new(2026, 3, 6, 19, 0, 0, TimeSpan.FromHours(8));

    /// <summary>One request sent on Friday 6 March 2026 at 19:00 Beijing time, with round desk times and one-day post.</summary>
    private static ConfirmationRequestDraw Friday(ConfirmationOptions o) =>
        new(0, 0, 0, 1, (long)(FridayEvening - o.Start).TotalSeconds * 1_000_000_000, Authorises: true, Tampered: false, FollowUp: false,
            PostalDays: new PostalDays(1, 1, 1, 1, 1), PaperClientDeskS: 4 * 3600, PaperBankDeskS: 8 * 3600, PaperSecondDeskS: 0, FollowUpDeskS: 0,
            OnChainClientDeskS: 15 * 60, OnChainBankDeskS: 105 * 60, Balance: 1_000_000);

    private static DateTime LocalReply(ConfirmationOptions o, ConfirmationResults r) =>
        o.Start.AddSeconds(FridayEvening.Subtract(o.Start).TotalSeconds + r.TurnaroundsS.Single()).ToOffset(TimeSpan.FromHours(8)).DateTime;

    [Fact]
    public void A_request_sent_on_Friday_evening_waits_for_Monday_morning_on_chain_and_takes_a_week_on_paper()
    {
        var o = Small with { Channel = ConfirmationChannel.OnChain };
        var chain = Run(o, 1, [Friday(o)]);
        // The client authorises Monday 09:00–09:15, the bank replies after 1 h 45 min of desk time: Monday 11:00 plus the chain's seconds.
        var reply = LocalReply(o, chain.Results);
        Assert.Equal(new DateTime(2026, 3, 9, 11, 0, 0), reply.AddTicks(-(reply.Ticks % TimeSpan.TicksPerMinute)));
        Assert.InRange(chain.Results.OfficeTurnaroundsS.Single(), 2 * 3600, 2 * 3600 + 10);

        var paper = Run(Small, 1, [Friday(Small)]);
        // Post Monday 10:00 at the client, 4 h desk → posted 14:00; Tuesday 10:00 at the bank, 8 h desk → Wednesday 10:00; Thursday 10:00 back at the firm.
        var back = LocalReply(Small, paper.Results);
        Assert.Equal(new DateTime(2026, 3, 12, 10, 0, 0), back.AddTicks(-(back.Ticks % TimeSpan.TicksPerSecond)));
    }

    /// <summary>Follow one confirmation: the Friday request's trail, step by step, on both channels; a forged and a queried one on paper.</summary>
    [Fact]
    public void A_requests_trail_lists_every_desk_and_letter_in_order()
    {
        static ConfirmationStage[] Stages(ConfirmationWorldSpec w, int i = 0) => [.. w.Setup.Trails.All.Single(t => t.Request == i).Steps.Select(s => s.Stage)];
        var o = Small with { Channel = ConfirmationChannel.OnChain };
        var chain = Run(o, 1, [Friday(o)]).World;
        Assert.Equal([ConfirmationStage.Sent, ConfirmationStage.Requested, ConfirmationStage.ClientHasIt, ConfirmationStage.ClientActed, ConfirmationStage.Authorised,
            ConfirmationStage.BankHasIt, ConfirmationStage.ReplySent, ConfirmationStage.Replied, ConfirmationStage.Downloaded, ConfirmationStage.Received], Stages(chain));
        // The client authorises Monday 09:15 (after its 15 min of desk time).
        var clock = new RunClock(o.Start);
        var china = BusinessCalendars.China2026();
        Assert.Equal(clock.NanosAt(new DateOnly(2026, 3, 9), new TimeOnly(9, 15), china), chain.Setup.Trails.All.Single().Steps.Single(s => s.Stage == ConfirmationStage.ClientActed).AtNs);

        var paper = Run(Small, 1, [Friday(Small)]).World;
        Assert.Equal([ConfirmationStage.Sent, ConfirmationStage.ClientHasIt, ConfirmationStage.ClientActed, ConfirmationStage.BankHasIt, ConfirmationStage.ReplySent, ConfirmationStage.Received], Stages(paper));
        // Paper: the letter reaches the client Monday 10:00 (plus the 0.5 ms hop of the delivery round); 4 h of desk → 14:00.
        Assert.Equal(clock.NanosAt(new DateOnly(2026, 3, 9), new TimeOnly(14, 0), china) + Duration.FromMillis(0.5).Nanos, paper.Setup.Trails.All.Single().Steps.Single(s => s.Stage == ConfirmationStage.ClientActed).AtNs);

        // Forged and queried, and one the client never signs: the forgery is accepted on paper (detail 1) and refused on chain.
        var odd = Friday(Small) with { Tampered = true, FollowUp = true };
        var blocked = Friday(Small) with { Index = 1, Authorises = false };
        var p = Run(Small, 1, [odd, blocked]).World;
        Assert.Equal([ConfirmationStage.Sent, ConfirmationStage.ClientHasIt, ConfirmationStage.ClientActed, ConfirmationStage.BankHasIt, ConfirmationStage.QueryPosted, ConfirmationStage.QueryArrived,
            ConfirmationStage.SecondRequestPosted, ConfirmationStage.BankHasIt, ConfirmationStage.ReplySent, ConfirmationStage.Received], Stages(p));
        Assert.Equal(1, p.Setup.Trails.All.First().Steps[^1].Detail);
        Assert.Equal([ConfirmationStage.Sent, ConfirmationStage.ClientHasIt, ConfirmationStage.Withheld], Stages(p, 1));
        var c = Run(o, 1, [odd with { FollowUp = false }]).World;
        Assert.Equal([ConfirmationStage.Downloaded, ConfirmationStage.TamperRefused, ConfirmationStage.Downloaded, ConfirmationStage.Received], Stages(c).Skip(8));
        Assert.Equal([1L, 0L], c.Setup.Trails.All.Single().Steps.Where(s => s.Stage == ConfirmationStage.Downloaded).Select(s => s.Detail));
    }

    [Fact]
    public void Office_hours_count_working_seconds_between_two_instants_as_After_adds_them()
    {
        var clock = new RunClock(Small.Start);
        var hours = new OfficeHours(clock, BusinessCalendars.China2026());
        var friday16 = clock.NanosAt(new DateOnly(2026, 3, 6), new TimeOnly(16, 0), BusinessCalendars.China2026());
        var end = hours.After(friday16, 3 * 3600);   // one hour on Friday, two on Monday
        Assert.Equal(clock.NanosAt(new DateOnly(2026, 3, 9), new TimeOnly(11, 0), BusinessCalendars.China2026()), end);
        Assert.Equal(3 * 3600, hours.WorkingSeconds(friday16, end), 6);
        Assert.Equal(0, hours.WorkingSeconds(clock.NanosAt(new DateOnly(2026, 3, 7), new TimeOnly(10, 0), BusinessCalendars.China2026()), friday16 + Duration.FromDays(2).Nanos), 6);
    }

    /// <summary>
    /// The platform's calibration (SCENARIOS.md §5, CBA platform: average 3 h 38 min, shortest 1 h 15 min), tested on a
    /// season of 800 requests: the mean turnaround in office hours lies within three standard errors of 3 h 38 min, and the
    /// shortest within five minutes of 1 h 15 min.
    /// </summary>
    [Fact]
    public void The_platform_turnaround_matches_the_CBA_average_and_shortest()
    {
        var o = new ConfirmationOptions { Channel = ConfirmationChannel.OnChain, Requests = 800, Window = Duration.FromHours(160) };
        var t = Run(o, 20260302).Results.OfficeTurnaroundsS;
        var mean = t.Average();
        var se = Math.Sqrt(t.Sum(x => (x - mean) * (x - mean)) / (t.Count - 1) / t.Count);
        Assert.InRange(mean, 3 * 3600 + 38 * 60 - 3 * se, 3 * 3600 + 38 * 60 + 3 * se);
        Assert.InRange(t.Min(), 70 * 60, 80 * 60);
    }

    /// <summary>Paper confirmations take 5–15 days (SCENARIOS.md §5): at least 80% of a season's turnarounds lie in that
    /// range, and the median too (the rest are mostly second requests).</summary>
    [Fact]
    public void Paper_confirmations_take_five_to_fifteen_days()
    {
        var t = Run(new ConfirmationOptions { Requests = 400 }, 20260302).Results.TurnaroundsS.Order().ToList();
        Assert.InRange(Lab.Sim.Metrics.Quantile.OfSorted([.. t], 0.5), 5 * 86400, 15 * 86400);
        Assert.True(t.Count(x => x is >= 5 * 86400 and <= 15 * 86400) >= 0.8 * t.Count,
            $"{t.Count(x => x is >= 5 * 86400 and <= 15 * 86400)} of {t.Count} within 5–15 days; p10 {t[t.Count / 10] / 86400:0.0} d, p90 {t[t.Count * 9 / 10] / 86400:0.0} d");
    }
}
