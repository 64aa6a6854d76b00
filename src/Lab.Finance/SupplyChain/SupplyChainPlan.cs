using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.SupplyChain;

/// <summary>
/// One holder's share of one payable: what it received (from the core at tier 1, from its buyer above), what it passed
/// on to its own suppliers, what it kept, and whether and when it wants cash for what it kept. Times are nanoseconds of
/// virtual time. The bank draws (<see cref="FirstBank"/>, the due-diligence delays and uniforms) are the paper flow's;
/// they are drawn for every claim so both flows read the same plan.
/// </summary>
public sealed record Claim
{
    public required int Index { get; init; }
    public required int Payable { get; init; }
    /// <summary>1 for the core's direct supplier, 2 for its suppliers, ...</summary>
    public required int Tier { get; init; }
    public required int Holder { get; init; }
    /// <summary>The claim this one was passed from; -1 at tier 1 (received from the core).</summary>
    public required int Parent { get; init; }
    public required long Received { get; init; }
    public required long Kept { get; init; }
    public required long ReceivedAtNs { get; init; }
    /// <summary>When the holder passes parts on (meaningful only with <see cref="Children"/>).</summary>
    public required long PassAtNs { get; init; }
    public required IReadOnlyList<int> Children { get; init; }
    public required bool SeeksFinancing { get; init; }
    public required long NeedAtNs { get; init; }
    public required bool DoubleAttempt { get; init; }
    public required int FirstBank { get; init; }
    public required int SecondBank { get; init; }
    public required double FirstDueDiligenceS { get; init; }
    public required double SecondDueDiligenceS { get; init; }
    public required double FirstUniform { get; init; }
    public required double SecondUniform { get; init; }

    /// <summary>On-chain piece this holder received: 2·index; the piece it keeps after a split: 2·index+1 (the same piece when it passes nothing).</summary>
    public long ReceivedPiece => 2L * Index;
    public long KeptPiece => Children.Count > 0 ? 2L * Index + 1 : ReceivedPiece;
}

/// <summary>A payable the core confirms to a tier-1 supplier.</summary>
public sealed record Payable(int Index, int Supplier, long Face, long IssuedAtNs, long MaturityNs, int RootClaim);

/// <summary>
/// Everything a run's seed decides, identical for the paper and the voucher flow: the enterprises, the payables, how
/// each is passed up the tiers, who wants cash when, which holders try to finance twice, and the banks' draws.
/// </summary>
public sealed class SupplyChainPlan
{
    public required SupplyChainOptions Options { get; init; }
    public required IReadOnlyList<Payable> Payables { get; init; }
    public required IReadOnlyList<Claim> Claims { get; init; }

    public const string Core = "core";
    public const string CashIssuer = "settlement-bank";
    public static string Supplier(int tier, int i) => string.Create(CultureInfo.InvariantCulture, $"t{tier}s{i:000}");
    public static string Bank(int b) => string.Create(CultureInfo.InvariantCulture, $"bank{b + 1}");
    public static string Voucher(int payable) => string.Create(CultureInfo.InvariantCulture, $"v{payable}");

    /// <summary>Supplier identities in tier order; a holder index is into this list.</summary>
    public IReadOnlyList<string> Suppliers { get; private init; } = [];
    public IReadOnlyList<int> TierOf { get; private init; } = [];
    private IReadOnlyList<Claim>[] ByHolder { get; init; } = [];
    /// <summary>The claims a supplier holds, in claim order.</summary>
    public IReadOnlyList<Claim> ClaimsOf(int holder) => ByHolder[holder];

    public static SupplyChainPlan Generate(SupplyChainOptions o, ulong seed)
    {
        o.Validate();
        var suppliers = new List<string>();
        var tierOf = new List<int>();
        var firstOfTier = new int[o.Tiers.Count];
        for (int t = 0; t < o.Tiers.Count; t++)
        {
            firstOfTier[t] = suppliers.Count;
            for (int i = 0; i < o.Tiers[t]; i++) { suppliers.Add(Supplier(t + 1, i)); tierOf.Add(t + 1); }
        }
        var payRng = SimRandom.Stream(seed, "supply-chain.payables");
        var issueTimes = Enumerable.Range(0, o.Payables).Select(_ => (long)(payRng.NextDouble() * o.IssueWindow.Nanos)).Order().ToArray();
        var payables = new List<Payable>();
        var claims = new List<Claim>();
        for (int p = 0; p < o.Payables; p++)
        {
            // One stream per payable: adding payables leaves the earlier ones unchanged.
            var rng = SimRandom.Stream(seed, "supply-chain.payable", p);
            var face = Math.Max(100L, (long)Math.Round(o.Face.Sample(rng) * 100));
            var supplier = firstOfTier[0] + rng.Next(o.Tiers[0]);
            var issued = issueTimes[p];
            var maturity = issued + o.Maturity.Nanos;
            payables.Add(new Payable(p, supplier, face, issued, maturity, claims.Count));
            Expand(o, rng, claims, p, 1, supplier, -1, face, issued, maturity, firstOfTier);
        }
        var byHolder = Enumerable.Range(0, suppliers.Count).Select(_ => new List<Claim>()).ToArray();
        foreach (var c in claims) byHolder[c.Holder].Add(c);
        return new SupplyChainPlan { Options = o, Payables = payables, Claims = claims, Suppliers = suppliers, TierOf = tierOf, ByHolder = byHolder };
    }

    // Depth-first: a claim's index is fixed before its children are drawn, so the tree reads the same however deep it goes.
    private static void Expand(SupplyChainOptions o, SimRandom rng, List<Claim> claims, int payable, int tier, int holder, int parent,
        long amount, long receivedAt, long maturity, int[] firstOfTier)
    {
        var index = claims.Count;
        claims.Add(null!);
        // The holder pays its next-tier suppliers with part of what it received, before maturity.
        var passAt = Math.Min(maturity - 86_400_000_000_000L, receivedAt + (long)(o.PassDelay.Sample(rng) * 1e9));
        var recipients = new List<int>();
        long passed = 0;
        var partAmounts = new List<long>();
        if (tier < o.Tiers.Count && passAt > receivedAt)
        {
            var pool = o.Tiers[tier];
            var n = Math.Min(o.FanOut, pool);
            var chosen = new SortedSet<int>();
            while (chosen.Count < n) chosen.Add(rng.Next(pool));
            var toPass = (long)Math.Floor(amount * o.PassShare);
            if (toPass >= n * 100L)
            {
                recipients.AddRange(chosen.Select(c => firstOfTier[tier] + c));
                for (int i = 0; i < n; i++)
                {
                    var part = i < n - 1 ? toPass / n : toPass - toPass / n * (n - 1);
                    partAmounts.Add(part);
                }
                passed = toPass;
            }
        }
        var kept = amount - passed;
        var seeks = rng.Chance(o.FinancingDemand);
        var needFrom = recipients.Count > 0 ? passAt : receivedAt;
        var needAt = Math.Min(maturity - 86_400_000_000_000L, needFrom + (long)(o.NeedDelay.Sample(rng) * 1e9));
        if (needAt <= needFrom) seeks = false;  // no time left before maturity to finance anything
        var doubleAttempt = rng.Chance(o.DoubleFinancing);
        var first = rng.Next(o.Banks);
        var second = (first + 1 + rng.Next(o.Banks - 1)) % o.Banks;
        var median = o.PaperDueDiligenceDays[tier - 1] * 86400.0;
        double Dd() => median * Math.Exp(0.5 * NormalSample(rng));
        var dd1 = Dd();
        var dd2 = Dd();
        var u1 = rng.NextDouble();
        var u2 = rng.NextDouble();
        var children = new List<int>();
        for (int i = 0; i < recipients.Count; i++)
        {
            children.Add(claims.Count);
            Expand(o, rng, claims, payable, tier + 1, recipients[i], index, partAmounts[i], passAt, maturity, firstOfTier);
        }
        claims[index] = new Claim
        {
            Index = index, Payable = payable, Tier = tier, Holder = holder, Parent = parent, Received = amount, Kept = kept,
            ReceivedAtNs = receivedAt, PassAtNs = passAt, Children = children, SeeksFinancing = seeks && kept > 0, NeedAtNs = needAt,
            DoubleAttempt = seeks && kept > 0 && doubleAttempt, FirstBank = first, SecondBank = second,
            FirstDueDiligenceS = dd1, SecondDueDiligenceS = dd2, FirstUniform = u1, SecondUniform = u2,
        };
    }

    private static double NormalSample(SimRandom rng)
    {
        // Box–Muller, one value per call (deterministic in the stream).
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private OfficeHours? _desk;
    private OfficeHours? Desk => _desk ??= Options.Desk();

    /// <summary>When the banks' desks next work at or after <paramref name="ns"/>: then itself without a calendar; else within
    /// desk hours on a business day, or the next business day's opening. Bank payments are made at such moments.</summary>
    public long DeskTime(long ns) => Desk?.AfterNanos(ns, 0) ?? ns;

    /// <summary>Paper: when a holder that gets no bank money is paid in cash — the core pays tier 1 at maturity, each tier
    /// pays its suppliers one payment lag after it is paid itself; with a calendar, on the banking day then or next.</summary>
    public long PaperPaidAtNs(Claim c) => DeskTime(Payables[c.Payable].MaturityNs + Options.PaperPaymentLag.Nanos * (c.Tier - 1));

    /// <summary>Paper: the outcome of asking bank #<paramref name="which"/> (0 first, 1 second) — funded or not, and when the answer
    /// comes. The drawn due diligence is in days; with a calendar each day is one desk day of work (open to close), so an
    /// application made on a Friday evening before a holiday starts to be read on the next business day's opening.</summary>
    public (bool Funded, long AnswerAtNs) PaperDecision(Claim c, int which, long askedAtNs)
    {
        var dd = which == 0 ? c.FirstDueDiligenceS : c.SecondDueDiligenceS;
        var u = which == 0 ? c.FirstUniform : c.SecondUniform;
        var answer = Desk is { } desk
            ? desk.AfterNanos(askedAtNs, (long)(dd / 86_400 * (Options.DeskCloses - Options.DeskOpens).Ticks * 100))
            : askedAtNs + (long)(dd * 1e9);
        return (u >= Options.PaperRejection[c.Tier - 1] && answer < Payables[c.Payable].MaturityNs, answer);
    }
}
