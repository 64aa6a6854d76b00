using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Chain;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.SupplyChain;

/// <summary>Per-tier figures of one run.</summary>
public sealed record TierResult(int Tier, int Seekers, int Financed, long AskedMinor, long FinancedMinor, double MedianTimeToCashS, double Cost);

/// <summary>One run's figures.</summary>
public sealed record SupplyChainResults(
    IReadOnlyList<TierResult> Tiers, IReadOnlyList<double> TimeToCashS, int DoubleAttempts, int DoubleFinanced, int DoubleStopped,
    long ConservationViolations, bool? ReplicasAgree, long Unauthorised, IReadOnlyList<(double Start, double End)> Timeline)
{
    /// <summary>Vouchers with privacy: cells of the who-can-read matrix that break <see cref="SupplyChainPrivacy.Expected"/>.</summary>
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];
}

/// <summary>What <see cref="SupplyChainWorld.Build"/> returns.</summary>
public sealed record SupplyChainWorldSpec(
    IReadOnlyList<NodeSpec> Nodes, IReadOnlyList<ISimulationObserver> Observers, SupplyChainPlan Plan,
    Func<RunResult, SupplyChainResults> Derive, ChainWorld? Chain);

/// <summary>
/// Builds a supply-chain finance run: the plan from the seed (the same for both flows), then either the paper
/// institutions (suppliers and banks exchanging applications and decisions) or the voucher flow (the core and the
/// suppliers signing their own calls on the consortium chain, any registered protocol, laid out by <see cref="ChainWorld"/>).
/// </summary>
public static class SupplyChainWorld
{
    /// <summary>Enterprises are spread over the network's regions round-robin: the core first, then the suppliers, then the banks.</summary>
    public static SupplyChainWorldSpec Build(SupplyChainOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null)
    {
        var plan = SupplyChainPlan.Generate(options, seed);
        var observer = new SupplyChainObserver(plan);
        var regions = network.Regions.Count;
        int Region(int i) => i % regions;
        var nodes = new List<NodeSpec>();
        ChainWorld? chainWorld = null;
        if (options.Flow == FinancingFlow.Paper)
        {
            for (int s = 0; s < plan.Suppliers.Count; s++)
            {
                var h = s;
                nodes.Add(new NodeSpec(plan.Suppliers[s], Region(s + 1), "supplier", () => new PaperSupplier(plan, h)));
            }
            for (int b = 0; b < options.Banks; b++)
                nodes.Add(new NodeSpec(SupplyChainPlan.Bank(b), Region(plan.Suppliers.Count + 1 + b), "bank", () => new PaperBank(plan)));
        }
        else
        {
            if (chain is null) throw new ArgumentException("the voucher flow needs a chain (SettlementChain)");
            var members = Consortium(plan);
            var issuers = Issuers(plan);
            var genesis = Genesis(plan);
            string? metricsNode = null;
            SupplyChainPrivacy? Sealer() => options.Privacy ? new SupplyChainPrivacy(new Privacy.Keyring(seed)) : null;   // a keyring per party: parties run in parallel
            IStateMachine Runtime()
            {
                var rt = new ContractRuntime(members, [new TokenContract(), new VoucherContract(options.Currency, options.CpuPerCall)], issuers,
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                rt.ApplyGenesis(genesis);
                observer.Runtimes.Add(rt);
                return rt;
            }
            chainWorld = chain.Build(network, seed, Runtime,
                access =>
                {
                    var parties = new List<NodeSpec> { new(SupplyChainPlan.Core, Region(0), "core", () => new VoucherParty(plan, VoucherParty.Core, access.NewTracker(untilFinal: true), Sealer())) };
                    for (int s = 0; s < plan.Suppliers.Count; s++)
                    {
                        var h = s;
                        parties.Add(new NodeSpec(plan.Suppliers[s], Region(s + 1), "supplier", () => new VoucherParty(plan, h, access.NewTracker(untilFinal: true), Sealer())));
                    }
                    return parties;
                });
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }

        SupplyChainResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            var results = Derivation(run, plan, observer);
            // Who can read what (issue 14 §6), from the state of the replica that got furthest.
            if (!options.Privacy || chainWorld is null || observer.Runtimes.Where(r => r.Node is not null).OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault() is not { } latest)
                return results;
            var matrix = new SupplyChainPrivacy(new Privacy.Keyring(seed)).Derive(latest.State.Get, plan);
            return results with { PrivacyBreaches = matrix.Write(run.Metrics, SupplyChainPrivacy.Expected) };
        }
        return new SupplyChainWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], plan, Derive, chainWorld);
    }

    /// <summary>Consortium identities: the core issues vouchers, banks quote and discount, the settlement bank issues cash, suppliers hold.</summary>
    public static Membership Consortium(SupplyChainPlan plan)
    {
        var m = new Membership().Add(SupplyChainPlan.Core, VoucherContract.CoreRole).Add(SupplyChainPlan.CashIssuer, "issuer");
        for (int b = 0; b < plan.Options.Banks; b++) m.Add(SupplyChainPlan.Bank(b), VoucherContract.BankRole);
        foreach (var s in plan.Suppliers) m.Add(s);
        return m;
    }

    /// <summary>The cash deposit token is the settlement bank's; every voucher is the core's.</summary>
    public static Dictionary<string, string> Issuers(SupplyChainPlan plan)
    {
        var d = new Dictionary<string, string> { [plan.Options.Currency] = SupplyChainPlan.CashIssuer };
        foreach (var p in plan.Payables) d[VoucherContract.Asset(p.Index)] = SupplyChainPlan.Core;
        return d;
    }

    /// <summary>Genesis: the core holds cash for every payable (it does not default here), each bank enough to discount
    /// every voucher (lending capacity never binds), and each bank quotes the same rate against the core's credit.</summary>
    public static IReadOnlyList<(string Caller, ContractCall Call)> Genesis(SupplyChainPlan plan)
    {
        var total = plan.Payables.Sum(p => p.Face);
        var calls = new List<(string, ContractCall)>();
        if (total > 0) calls.Add((SupplyChainPlan.CashIssuer, TokenContractIssue(plan.Options.Currency, SupplyChainPlan.Core, total)));
        var bp = (long)Math.Round(plan.Options.CoreRate * 10_000);
        for (int b = 0; b < plan.Options.Banks; b++)
        {
            if (total > 0) calls.Add((SupplyChainPlan.CashIssuer, TokenContractIssue(plan.Options.Currency, SupplyChainPlan.Bank(b), total)));
            calls.Add((SupplyChainPlan.Bank(b), VoucherContract.QuoteCall(new RateQuote(SupplyChainPlan.Core, bp))));
        }
        return calls;
    }

    // The voucher contract issues cash through the runtime's token rules: genesis uses a plain token issue.
    private static ContractCall TokenContractIssue(string asset, string to, long amount) => TokenContract.IssueCall(asset, to, amount);

    /// <summary>Per-tier figures from the holders' records (and, on chain, the core's payments and the replicas' audit).</summary>
    public static SupplyChainResults Derivation(RunResult run, SupplyChainPlan plan, SupplyChainObserver observer)
    {
        var o = plan.Options;
        var onChain = o.Flow == FinancingFlow.Voucher;
        var m = run.Metrics;
        var end = run.Stats.FinalTime.Nanos;
        var tiers = new List<TierResult>();
        var all = new List<double>();
        var timeline = new List<(double, double)>();
        int attempts = 0, doubled = 0, stopped = 0;
        for (int t = 1; t <= o.Tiers.Count; t++)
        {
            int seekers = 0, financed = 0;
            long asked = 0, got = 0;
            double rateWeighted = 0;
            var times = new List<double>();
            foreach (var c in plan.Claims)
            {
                if (c.Tier != t || !c.SeeksFinancing) continue;
                seekers++;
                asked += c.Kept;
                var outcome = observer.Outcomes.GetValueOrDefault(c.Index);
                long cashAt;
                if (outcome?.FundedAtNs is { } f)
                {
                    financed++;
                    got += c.Kept;
                    rateWeighted += outcome.Rate * c.Kept;
                    cashAt = f;
                }
                else cashAt = onChain
                    ? observer.PaidAt.GetValueOrDefault(c.Payable, end)
                    : Math.Min(plan.PaperPaidAtNs(c), end);
                var s = Math.Max(0, cashAt - c.NeedAtNs) / 1e9;
                times.Add(s);
                all.Add(s);
                timeline.Add((c.NeedAtNs / 1e9, cashAt / 1e9));
                if (c.DoubleAttempt)
                {
                    attempts++;
                    if (outcome?.DoubleFinanced == true) doubled++;
                    if (outcome?.DoubleStopped == true) stopped++;
                }
            }
            times.Sort();
            var median = times.Count == 0 ? double.NaN : times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
            tiers.Add(new TierResult(t, seekers, financed, asked, got, median, got == 0 ? double.NaN : rateWeighted / got));
        }
        long violations = 0;
        bool? agree = null;
        long unauthorised = 0;
        if (onChain) (violations, agree, unauthorised) = (observer.ChainAudit().Violations, observer.ChainAudit().Agree, observer.ChainAudit().Unauthorised);

        foreach (var tr in tiers)
        {
            m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.Seekers, tr.Tier)] = tr.Seekers;
            if (tr.Seekers > 0)
            {
                m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.FinancedShare, tr.Tier)] = (double)tr.Financed / tr.Seekers;
                m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.FinancedAmountShare, tr.Tier)] = tr.AskedMinor == 0 ? 0 : (double)tr.FinancedMinor / tr.AskedMinor;
                m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.TimeToCashMedian, tr.Tier)] = tr.MedianTimeToCashS;
            }
            m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.FinancedAmount, tr.Tier)] = tr.FinancedMinor / 100.0;
            if (double.IsFinite(tr.Cost)) m.Scalars[SupplyChainMetrics.Tier(SupplyChainMetrics.FinancingCost, tr.Tier)] = tr.Cost;
        }
        m.Samples[SupplyChainMetrics.TimeToCash] = [.. all];
        m.Scalars[SupplyChainMetrics.DoubleAttempts] = attempts;
        m.Scalars[SupplyChainMetrics.DoubleFinanced] = doubled;
        m.Scalars[SupplyChainMetrics.DoubleStopped] = stopped;
        m.Scalars[SupplyChainMetrics.OnChain] = onChain ? 1 : 0;
        // The timeline: an evenly spaced sample of about 30 holders who asked for cash, in claim order.
        var step = Math.Max(1, timeline.Count / 30);
        var sample = timeline.Where((_, i) => i % step == 0).Take(30).OrderBy(x => x.Item1).ToList();
        m.Samples[SupplyChainMetrics.VoucherStart] = [.. sample.Select(x => x.Item1)];
        m.Samples[SupplyChainMetrics.VoucherEnd] = [.. sample.Select(x => x.Item2)];
        // Follow one payable: each followed payable's trail up one path of its tiers.
        var parties = PayableTrail.Institutions(o).Count;
        var followed = PayableTrail.FollowedPayables(plan).SelectMany(p => PayableTrail.Of(plan, p, observer, end).Select(s => (Payable: p, Step: s))).ToList();
        m.Samples[SupplyChainMetrics.JourneyPayable] = [.. followed.Select(x => (double)x.Payable)];
        m.Samples[SupplyChainMetrics.JourneyStage] = [.. followed.Select(x => (double)(int)x.Step.Stage)];
        m.Samples[SupplyChainMetrics.JourneyWho] = [.. followed.Select(x => (double)PayableTrail.WhoCode(x.Step, parties))];
        m.Samples[SupplyChainMetrics.JourneyAt] = [.. followed.Select(x => x.Step.AtNs / 1e9)];
        m.Samples[SupplyChainMetrics.JourneyDetail] = [.. followed.Select(x => (double)x.Step.Detail)];
        return new SupplyChainResults(tiers, all, attempts, doubled, stopped, violations, agree, unauthorised, sample);
    }
}
