using System.Globalization;
using Lab.Consensus.Common;
using Lab.Ledger.Crypto;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.CrossBorder;
using Lab.Finance.Securities;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>scenario.kind: cross-border</c> — customer payments between banks in different time zones (issue 13 part 1):
/// the same generated payments go through correspondent chains (<c>scenario.settlement: correspondent</c>, off chain)
/// or over a multi-currency ledger of central-bank tokens with PvP FX (<c>multi-cbdc</c>, on <c>chain.protocol</c>).
/// Builds <see cref="CrossBorderWorld"/>; see the cross-border section of src/Lab.Finance/README.md.
/// </summary>
public sealed class CrossBorderModel : IModel
{
    public string Name => "cross-border";
    public ModelKind Kind => ModelKind.Scenario;
    public string Description => "cross-border payments: correspondent chains (hours, cut-offs, screening, fees, FX, returns) versus an mBridge-like multi-CBDC ledger with PvP, on the same payments";

    private const string Correspondent = "correspondent";
    private const string MultiCbdc = "multi-cbdc";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Choice("scenario.settlement", "How payments travel: `correspondent` (pacs.008 hop by hop through correspondent banks) or `multi-cbdc` (one PvP contract call on a multi-currency ledger on the chain).", [Correspondent, MultiCbdc], Correspondent),
        PrivacyTables.Key("scenario.privacy.payments", "each payment's record and its customers (the two banks, their central banks, the FX dealer for the record only; CrossBorderPrivacy)"),
        Key.List("institutions.banks.names", KeyType.Identifier, "The commercial banks, one node each.", "[bank-shanghai, bank-hong-kong, bank-bangkok, bank-abu-dhabi, bank-frankfurt]"),
        Key.List("institutions.banks.regions", KeyType.Identifier, "Network region of each bank (same order as names).", "[shanghai, hong-kong, bangkok, abu-dhabi, frankfurt]"),
        Key.List("institutions.banks.zones", KeyType.Text, "IANA time zone of each bank (Asia/Shanghai, Asia/Hong_Kong, Asia/Bangkok, Asia/Dubai, Europe/Berlin with EU summer time, America/New_York, or +hh:mm).", "[Asia/Shanghai, Asia/Hong_Kong, Asia/Bangkok, Asia/Dubai, Europe/Berlin]"),
        Key.List("institutions.banks.currencies", KeyType.Text, "Home currency of each bank (AED, CNY, EUR, HKD, SAR, THB, USD).", "[CNY, HKD, THB, AED, EUR]"),
        Key.List("institutions.banks.opens", KeyType.Text, "Local time each bank's payment desk opens (HH:mm). Shanghai 08:30 ahead of CIPS's 09:00 start (CIPS 09:00–20:00 Beijing time at launch, SCENARIOS.md); the others are assumptions.", "[\"08:30\", \"08:30\", \"08:30\", \"07:30\", \"07:00\"]"),
        Key.List("institutions.banks.cut-offs", KeyType.Text, "Local cut-off for same-day processing (HH:mm): later arrivals wait for the next business day. Shanghai 20:00 = CIPS close at launch; Frankfurt 17:00 = TARGET2 customer-payment cut-off (CET); Hong Kong, Bangkok, Abu Dhabi: assumptions calibrated so ~90% reach the receiving bank within 1 h (SWIFT gpi 2024).", "[\"20:00\", \"23:30\", \"22:30\", \"22:00\", \"17:00\"]"),
        Key.List("institutions.banks.closes", KeyType.Text, "Local time the staff leave (HH:mm; manual reviews and crediting customers happen in opening-to-close hours). Assumptions.", "[\"20:00\", \"23:30\", \"22:30\", \"22:00\", \"18:00\"]"),

        Key.Int("scenario.payments.count", "Customer payments over the window, identical in every variant of a seed.", 2000, min: 0, max: 1_000_000),
        Key.Time("scenario.payments.window", "Customers instruct on their bank's business days from the start up to this span.", "5d", min: 1),
        Key.NumberDistribution("scenario.payments.amount", "Amount per payment in USD (converted to the sender's currency). Assumption: wholesale/corporate payments, median 20k USD.", "lognormal(median: 20000, sigma: 1.2)"),
        Key.Text("scenario.payments.instruct-from", "Local time customers start instructing (HH:mm; uniform over the office day; assumption).", "09:00"),
        Key.Text("scenario.payments.instruct-until", "Local time customers stop instructing (HH:mm).", "17:00"),
        Key.Probability("scenario.payments.sanctioned", "Share of payments naming a party on a central bank's sanctions list (assumption): a correspondent bank's screening catches it at some hop and returns it; the ledger contract refuses it.", "0.5%"),

        Key.List("scenario.correspondent.intermediaries", KeyType.Probability, "Shares of payments with 1, 2 and 3 intermediaries (sum 100%). BIS: about one intermediary on average.", "[85%, 12%, 3%]"),
        Key.Int("scenario.correspondent.hops", "Every payment through exactly this many intermediaries (overrides the shares; for sweeps).", min: 1, max: 3),
        Key.Text("scenario.correspondent.cut-off", "One local cut-off (HH:mm) for every bank, overriding institutions.banks.cut-offs (for sweeps); must lie within each bank's opening hours."),
        Key.TimeDistribution("scenario.correspondent.screening", "Automated compliance screening at each bank (assumption).", "lognormal(median: 1min, sigma: 1)"),
        Key.Probability("scenario.correspondent.manual-review", "Chance that a bank sends a payment to manual review (assumption).", "2%"),
        Key.TimeDistribution("scenario.correspondent.manual-review-time", "Staff time of a manual review, counted in business hours (assumption).", "lognormal(median: 4h, sigma: 0.8)"),
        Key.Probability("scenario.correspondent.rejection", "Chance that a bank rejects a payment for data or compliance reasons other than sanctions (assumption); it is returned along the chain.", "0.3%"),
        Key.TimeDistribution("scenario.correspondent.credit-delay", "The receiving bank's posting delay before the beneficiary is credited, staff time (assumption calibrated so under half reach the beneficiary within 1 h; SWIFT gpi 2024: 43%).", "lognormal(median: 45min, sigma: 1.2)"),
        Key.Money("scenario.correspondent.fee-per-hop", "Fee each intermediary deducts from the amount in flight (assumption).", "15 USD"),
        Key.Money("scenario.correspondent.sender-fee", "Fee the sending bank charges the originator (assumption).", "25 USD"),
        Key.Money("scenario.correspondent.receiver-fee", "Fee the receiving bank deducts before crediting (assumption).", "10 USD"),
        Key.Probability("scenario.correspondent.fx-spread", "FX margin at the converting hop (assumption).", "0.3%"),

        Key.Probability("scenario.ledger.fx-spread", "FX margin of the PvP swap with the ledger's dealer (assumption).", "0.1%"),
        Key.Money("scenario.ledger.fee", "Fee per payment on the ledger, charged off chain (assumption).", "5 USD"),
        Key.List("scenario.ledger.restricted-currencies", KeyType.Text, "Currencies whose central bank opens the ledger only in its jurisdiction's bank hours (opening to cut-off); the others run 24/7.", "[]"),
        Key.Time("scenario.ledger.cpu-per-payment", "Contract CPU time per payment on every replica.", "40us"),
        Key.Probability("scenario.funding-rate", "Annual cost of prefunded balances (nostros, ledger wallets); US SOFR ≈ 4.3% in 2025.", "4.3%"),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. CrossBorderMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description)),
        new(Lab.Ledger.LedgerMetrics.ContractAccepted, "on chain: contract calls that succeeded"),
        new(Lab.Ledger.LedgerMetrics.ContractRejected, "on chain: contract calls the contract refused"),
        new(Lab.Ledger.LedgerMetrics.ContractUnauthorised, "on chain: contract calls by a caller without the right role"),
        new(StandardMetrics.SafetyViolations, "on chain: conflicting commits, invalid transactions, conservation violations, diverging replicas or who-can-read breaches"),
        .. PrivacyTables.Metrics(),
    ];

    /// <summary>The who-can-read table (issue 14 §6) of the first multi-cbdc variant's first run.</summary>
    public IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) =>
        PrivacyTables.Table(points, CrossBorderPrivacy.Parties, CrossBorderPrivacy.Items, "on the multi-currency ledger",
            "sender-/receiver-bank: the banks a payment names; *-cb: the central banks issuing its two currencies; other-*: a bank or central bank it does not involve (checked as if it held a full replica); " +
            "fx-dealer: on the payments it converts; status: the public execution marker; payment: amount, currencies, banks, sealed; customers: originator and beneficiary, sealed; balances: the sender's wallet, plain in the world state (not hidden in this model).");

    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } = [
        new(Lab.Reports.MetricWord.Settlement, CrossBorderMetrics.ToBeneficiary),
        new("exposure", CrossBorderMetrics.InFlight),
    ];

    /// <summary>Payments come from the payment book, not from load clients: of the workload keys only the retry timeout applies.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.arrivals", "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.retry-timeout")];

    public bool RunsOnChain(RunConfig config) => config.Text("scenario.settlement") == MultiCbdc;

    public void Check(RunConfig c, Diagnostics problems)
    {
        if (!DateTimeOffset.TryParse(c.Text("start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            problems.Error(c.MarkOf("start"), "start", $"expected an ISO 8601 instant with offset, e.g. 2026-06-01T00:00+08:00, got '{c.Text("start")}'");
        var names = c.Strings("institutions.banks.names");
        if (names.Count < 2) problems.Error(c.MarkOf("institutions.banks.names"), "institutions.banks.names", "cross-border payments need at least two banks");
        if (names.Distinct().Count() != names.Count) problems.Error(c.MarkOf("institutions.banks.names"), "institutions.banks.names", "a bank is listed twice");
        foreach (var key in new[] { "institutions.banks.regions", "institutions.banks.zones", "institutions.banks.currencies", "institutions.banks.opens", "institutions.banks.cut-offs", "institutions.banks.closes" })
            if (c.Strings(key).Count != names.Count)
            {
                // A list left at its five-bank default is the names' problem: point at the names the file gave.
                if (IsDefault(c, key))
                    problems.Error(c.MarkOf("institutions.banks.names"), "institutions.banks.names", $"{names.Count} banks, but {key} is left at its default of {c.Strings(key).Count} entries: give one per bank");
                else problems.Error(c.MarkOf(key), key, $"one entry per bank: {names.Count} banks, {c.Strings(key).Count} entries");
            }
        if (problems.HasErrors) return;
        var zones = c.Strings("institutions.banks.zones");
        for (int i = 0; i < zones.Count; i++)
        {
            try { TimeZoneRule.Parse(zones[i]); }
            catch (ArgumentException) { problems.Error(ItemMark(c, "institutions.banks.zones", i), "institutions.banks.zones", $"unknown time zone '{zones[i]}' (known: {string.Join(", ", TimeZoneRule.KnownIds)}, or +hh:mm)"); }
        }
        var currencies = c.Strings("institutions.banks.currencies");
        for (int i = 0; i < currencies.Count; i++)
            if (!CrossBorderOptions.FxRates.ContainsKey(currencies[i]))
                problems.Error(ItemMark(c, "institutions.banks.currencies", i), "institutions.banks.currencies", $"unknown currency '{currencies[i]}' (known: {string.Join(", ", CrossBorderOptions.FxRates.Keys)})");
        foreach (var ccy in c.Strings("scenario.ledger.restricted-currencies"))
            if (!currencies.Contains(ccy))
                problems.Error(c.MarkOf("scenario.ledger.restricted-currencies"), "scenario.ledger.restricted-currencies", $"no bank here has currency '{ccy}' (currencies: {string.Join(", ", currencies.Distinct())})");
        var times = new Dictionary<string, TimeOnly[]>();
        foreach (var key in new[] { "institutions.banks.opens", "institutions.banks.cut-offs", "institutions.banks.closes" })
        {
            var list = c.Strings(key);
            times[key] = new TimeOnly[list.Count];
            for (int i = 0; i < list.Count; i++)
                if (!TryTime(list[i], out times[key][i])) problems.Error(ItemMark(c, key, i), key, $"expected a local time HH:mm, got '{list[i]}'");
        }
        foreach (var key in new[] { "scenario.payments.instruct-from", "scenario.payments.instruct-until", "scenario.correspondent.cut-off" })
            if (c.GetOr<string?>(key, null) is { } text && !TryTime(text, out _)) problems.Error(c.MarkOf(key), key, $"expected a local time HH:mm, got '{text}'");
        if (problems.HasErrors) return;
        TryTime(c.Text("scenario.payments.instruct-from"), out var from);
        TryTime(c.Text("scenario.payments.instruct-until"), out var until);
        if (until <= from) problems.Error(c.MarkOf("scenario.payments.instruct-until"), "scenario.payments.instruct-until", "customers must stop instructing after they start");
        TimeOnly? common = c.GetOr<string?>("scenario.correspondent.cut-off", null) is { } co && TryTime(co, out var cot) ? cot : null;
        for (int i = 0; i < names.Count; i++)
        {
            var open = times["institutions.banks.opens"][i];
            var cut = common ?? times["institutions.banks.cut-offs"][i];
            var close = times["institutions.banks.closes"][i];
            var cutKey = common is null ? "institutions.banks.cut-offs" : "scenario.correspondent.cut-off";
            var mark = common is null ? ItemMark(c, cutKey, i) : c.MarkOf(cutKey);
            if (close <= open) problems.Error(ItemMark(c, "institutions.banks.closes", i), "institutions.banks.closes", $"{names[i]} closes at {close:HH\\:mm}, not after it opens at {open:HH\\:mm}");
            else if (cut <= open || cut > close)
                problems.Error(mark, cutKey, $"cut-off {cut:HH\\:mm} of {names[i]} is outside its opening hours {open:HH\\:mm}–{close:HH\\:mm}");
        }
        var shares = Shares(c);
        if (shares.Count is < 1 or > 3 || Math.Abs(shares.Sum() - 1) > 1e-6)
            problems.Error(c.MarkOf("scenario.correspondent.intermediaries"), "scenario.correspondent.intermediaries", $"one to three shares (for 1, 2, 3 intermediaries) that sum to 100%, got {shares.Count} summing to {shares.Sum() * 100:0.##}%");
        var most = shares.Count > 3 && !c.Has("scenario.correspondent.hops") ? 0 : shares.Select((s, i) => s > 0 ? i + 1 : 0).DefaultIfEmpty(0).Max();
        if (c.Has("scenario.correspondent.hops")) most = c.Int("scenario.correspondent.hops");
        if (most > names.Count - 2)
        {
            var hopsKey = c.Has("scenario.correspondent.hops") ? "scenario.correspondent.hops" : "scenario.correspondent.intermediaries";
            var room = names.Count - 2 == 1 ? "1 intermediary" : $"{names.Count - 2} intermediaries";
            if (IsDefault(c, hopsKey))
                problems.Error(c.MarkOf("institutions.banks.names"), "institutions.banks.names",
                    $"{names.Count} banks leave room for at most {room} between sender and receiver, but the default {hopsKey} routes some payments through {most}: set {hopsKey} (or add banks)");
            else problems.Error(c.MarkOf(hopsKey), hopsKey, $"{names.Count} banks leave room for at most {room} between sender and receiver, not {most}");
        }
        if (c.Distribution("scenario.payments.amount").Minimum < 0)
            problems.Error(c.MarkOf("scenario.payments.amount"), "scenario.payments.amount", "must not be negative");
        foreach (var key in new[] { "scenario.correspondent.fee-per-hop", "scenario.correspondent.sender-fee", "scenario.correspondent.receiver-fee", "scenario.ledger.fee" })
            if (!CrossBorderOptions.FxRates.ContainsKey(c.Get<Lab.Experiments.Values.Money>(key).Currency))
                problems.Error(c.MarkOf(key), key, $"unknown currency '{c.Get<Lab.Experiments.Values.Money>(key).Currency}' (known: {string.Join(", ", CrossBorderOptions.FxRates.Keys)})");
        if (problems.HasErrors) return;
        var end = CrossBorderWorld.SuggestedEnd(Options(c));
        if (SimTime.Zero + c.Time("duration") < end)
            problems.Error(c.MarkOf("duration"), "duration", $"too short for the last payments: at least {Math.Ceiling(end.Seconds / 86400)}d (the payment window plus a week for reviews, weekends and returns)");
        if (RunsOnChain(c) && c.Text("chain.signatures") == "real")
            problems.Error(c.MarkOf("chain.signatures"), "chain.signatures", "cross-border payments run with modelled signatures only");
    }

    private static bool IsDefault(RunConfig c, string key) => c.Entry(key) is { Origin: "default" };

    private static SourceMark ItemMark(RunConfig c, string key, int i) =>
        c.Entry(key)?.Node is YSequence seq && i < seq.Items.Count ? seq.Items[i].Mark : c.MarkOf(key);

    private static bool TryTime(string text, out TimeOnly t) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out t);

    private static List<double> Shares(RunConfig c) => [.. c.GetOr<List<object>>("scenario.correspondent.intermediaries", []).Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture))];

    private static double Usd(RunConfig c, string key)
    {
        var m = c.Get<Lab.Experiments.Values.Money>(key);
        return (double)m.Amount / CrossBorderOptions.FxRates[m.Currency];
    }

    /// <summary>The Lab.Finance options of one resolved configuration.</summary>
    public static CrossBorderOptions Options(RunConfig c)
    {
        DateTimeOffset.TryParse(c.Text("start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var start);
        var names = c.Strings("institutions.banks.names");
        TimeOnly T(string key, int i) => TryTime(c.Strings(key)[i], out var t) ? t : default;
        TimeOnly? common = c.GetOr<string?>("scenario.correspondent.cut-off", null) is { } co && TryTime(co, out var cot) ? cot : null;
        var banks = names.Select((n, i) => new BankSpec(n, c.Strings("institutions.banks.regions")[i], TimeZoneRule.Parse(c.Strings("institutions.banks.zones")[i]),
            c.Strings("institutions.banks.currencies")[i], T("institutions.banks.opens", i), common ?? T("institutions.banks.cut-offs", i), T("institutions.banks.closes", i))).ToList();
        var shares = Shares(c);
        if (c.Has("scenario.correspondent.hops")) shares = [.. Enumerable.Range(1, 3).Select(k => k == c.Int("scenario.correspondent.hops") ? 1.0 : 0.0)];
        TryTime(c.Text("scenario.payments.instruct-from"), out var from);
        TryTime(c.Text("scenario.payments.instruct-until"), out var until);
        return new CrossBorderOptions
        {
            Start = start,
            Banks = banks,
            Variant = c.Text("scenario.settlement") == MultiCbdc ? CrossBorderVariant.Ledger : CrossBorderVariant.Correspondent,
            FundingRate = c.Number("scenario.funding-rate"),
            Payments = new PaymentOptions
            {
                Count = c.Int("scenario.payments.count"),
                Window = c.Time("scenario.payments.window"),
                AmountUsd = c.Distribution("scenario.payments.amount"),
                InstructFrom = from,
                InstructUntil = until,
                SanctionedShare = c.Number("scenario.payments.sanctioned"),
            },
            Correspondent = new CorrespondentOptions
            {
                IntermediaryShares = shares,
                ScreeningS = c.Distribution("scenario.correspondent.screening"),
                ManualReviewShare = c.Number("scenario.correspondent.manual-review"),
                ManualReviewS = c.Distribution("scenario.correspondent.manual-review-time"),
                RejectionShare = c.Number("scenario.correspondent.rejection"),
                CreditDelayS = c.Distribution("scenario.correspondent.credit-delay"),
                FeePerHopUsd = Usd(c, "scenario.correspondent.fee-per-hop"),
                SenderFeeUsd = Usd(c, "scenario.correspondent.sender-fee"),
                ReceiverFeeUsd = Usd(c, "scenario.correspondent.receiver-fee"),
                FxSpread = c.Number("scenario.correspondent.fx-spread"),
            },
            Ledger = new LedgerOptions
            {
                FxSpread = c.Number("scenario.ledger.fx-spread"),
                FeeUsd = Usd(c, "scenario.ledger.fee"),
                RestrictedCurrencies = c.Strings("scenario.ledger.restricted-currencies"),
                CpuPerPayment = c.Time("scenario.ledger.cpu-per-payment"),
            },
            Privacy = PrivacyTables.On(c, "scenario.privacy.payments"),
        };
    }

    public World Build(RunContext context)
    {
        var c = context.Config;
        var options = Options(c);
        var chain = options.Variant == CrossBorderVariant.Ledger ? FinanceChain.For(context, "multi-cbdc runs") : null;
        var spec = CrossBorderWorld.Build(options, context.Network, context.Seed, chain);
        return FinanceChain.World(spec.Nodes, spec.Observers, spec.Chain, run =>
        {
            var r = spec.Derive(run);
            if (r.ConservationViolations > 0) FinanceChain.Violation(run, $"{r.ConservationViolations} token conservation violation(s) on the ledger", r.ConservationViolations);
            if (r.ReplicasAgree == false) FinanceChain.Violation(run, "replicas at the same height hold different ledger states");
            foreach (var b in r.PrivacyBreaches) FinanceChain.Violation(run, "who-can-read: " + b);
        });
    }

    public Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) =>
        CrossBorderJourneys.Follow(planned, points);

    /// <summary>The opening sentences: correspondent banking against the multi-CBDC ledger, over all replications.</summary>
    public IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        if (Headlines.Pair(points, CrossBorderMetrics.OnLedger) is not { } pair) return [];
        var (t, o) = pair;
        static Estimate Of(Lab.Reports.PointResult p, string key) => Headlines.Of(p, key);
        static Estimate Median(Lab.Reports.PointResult p, string sample) =>
            Headlines.Over(p.Replications.Select(r => r.Metrics.Samples.TryGetValue(sample, out var s) && s.Length > 0 ? Lab.Sim.Metrics.Quantile.Of(s, 0.5) : double.NaN).Where(double.IsFinite).ToList());
        static string P(Estimate e) => (e.Mean * 100).ToString(e.Mean < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
        static string Usd(Estimate e) => e.Mean.ToString("0", CultureInfo.InvariantCulture) + " USD";
        var tFailed = Of(t, CrossBorderMetrics.ReturnedShare).Mean + Of(t, CrossBorderMetrics.FailedShare).Mean;
        var first = $"Through correspondent banks ({t.Variant}) {P(Of(t, CrossBorderMetrics.ReceivingBankWithinHour))} of payments reached the receiving bank within 1 h " +
                    $"but only {P(Of(t, CrossBorderMetrics.BeneficiaryWithinHour))} the beneficiary (median {SettlementHeadline.Human(Median(t, CrossBorderMetrics.ToBeneficiary))}; " +
                    $"{P(Of(t, CrossBorderMetrics.BeyondTwoDays))} took over 2 days or never arrived, {P(Estimate.Exactly(tFailed))} were returned or failed), " +
                    $"at {Usd(Of(t, CrossBorderMetrics.CostPerPayment))} a payment with {SettlementHeadline.Money(Of(t, CrossBorderMetrics.Nostro).Mean, "USD")} held in nostro accounts.";
        var second = $"On the multi-currency ledger ({o.Variant}) the median payment was final at the receiving bank in {SettlementHeadline.Human(Median(o, CrossBorderMetrics.ToReceivingBank))} " +
                     $"({P(Of(o, CrossBorderMetrics.BeneficiaryWithinHour))} credited within 1 h, {P(Of(o, CrossBorderMetrics.FailedShare))} refused by the contract's KYC and sanctions rules), " +
                     $"at {Usd(Of(o, CrossBorderMetrics.CostPerPayment))} a payment with {SettlementHeadline.Money(Of(o, CrossBorderMetrics.Nostro).Mean, "USD")} prefunded in wallets.";
        return [first, second];
    }
}
