using System.Globalization;
using Lab.Sim.Randomness;

namespace Lab.Finance.CrossBorder;

/// <summary>What one bank on a correspondent chain does to a payment, drawn in advance so every variant sees the same.</summary>
/// <param name="ScreeningS">Automated compliance screening, seconds.</param>
/// <param name="ManualReviewS">Staff time of a manual review in business hours, seconds (0: no review).</param>
public readonly record struct HopDraw(double ScreeningS, double ManualReviewS);

/// <summary>
/// One customer payment: the originator at <see cref="Sender"/> pays <see cref="AmountMinor"/> (sender's currency,
/// minor units) to the beneficiary at <see cref="Receiver"/>. The route and the per-bank draws are used by the
/// correspondent variant; the ledger variant uses the parties and the amount. Bank indices refer to
/// <see cref="CrossBorderOptions.Banks"/>.
/// </summary>
public sealed record Payment(
    int Index, long CreatedNs, int Sender, int Receiver, long AmountMinor, string Originator, string Beneficiary, bool Sanctioned,
    IReadOnlyList<int> Intermediaries, IReadOnlyList<HopDraw> Hops, int RejectAtHop, double CreditDelayS)
{
    /// <summary>Banks along the correspondent chain: sender, intermediaries, receiver.</summary>
    public IReadOnlyList<int> Chain => [Sender, .. Intermediaries, Receiver];
    public int ReceiverHop => Intermediaries.Count + 1;
}

/// <summary>The generated payments of a run: one seeded stream, the same for every variant of a seed.</summary>
public sealed record PaymentBook(IReadOnlyList<Payment> Payments)
{
    public const string StreamName = "crossborder.payments";
    /// <summary>Parties on the central banks' sanctions lists; a sanctioned payment names one as beneficiary.</summary>
    public static readonly IReadOnlyList<string> ListedParties = [.. Enumerable.Range(0, 8).Select(i => "listed-" + i.ToString(CultureInfo.InvariantCulture))];

    public static PaymentBook Generate(CrossBorderOptions options, ulong seed)
    {
        var rng = SimRandom.Stream(seed, StreamName);
        var banks = options.Banks;
        var c = options.Correspondent;
        var hours = banks.Select(b => b.Hours(options.Start)).ToList();
        // Business days of each bank within the window (by local date at its opening).
        var windowEnd = options.Payments.Window.Nanos;
        var days = hours.Select(h =>
        {
            var list = new List<DateOnly>();
            var d = DateOnly.FromDateTime(h.Local(0));
            for (; h.At(d, options.Payments.InstructFrom) < windowEnd; d = d.AddDays(1))
                if (h.IsBusinessDay(d) && h.At(d, options.Payments.InstructFrom) >= 0) list.Add(d);
            return list;
        }).ToList();
        if (days.All(l => l.Count == 0)) return new PaymentBook([]);
        var overlap = Overlap(hours);
        var drafts = new List<Payment>();
        for (int i = 0; i < options.Payments.Count; i++)
        {
            // Fixed draw order per payment, whatever the variant.
            int sender;
            do sender = rng.Next(banks.Count); while (days[sender].Count == 0);
            var receiver = rng.Next(banks.Count - 1);
            if (receiver >= sender) receiver++;
            var h = hours[sender];
            var day = days[sender][rng.Next(days[sender].Count)];
            // Customers instruct during office hours in the sender's zone.
            var open = h.At(day, options.Payments.InstructFrom);
            var created = open + (long)(rng.NextDouble() * (h.At(day, options.Payments.InstructUntil) - open));
            var usd = Math.Max(1.0, options.Payments.AmountUsd.Sample(rng));
            var amount = (long)Math.Round(usd * CrossBorderOptions.FxRates[banks[sender].Currency] * 100);
            var sanctioned = rng.NextDouble() < options.Payments.SanctionedShare;
            var listed = ListedParties[rng.Next(ListedParties.Count)];
            // Route: 1..3 intermediaries by share, distinct banks other than sender and receiver.
            var u = rng.NextDouble();
            int k = 1;
            double acc = 0;
            for (int j = 0; j < c.IntermediaryShares.Count; j++) { acc += c.IntermediaryShares[j]; if (u < acc) { k = j + 1; break; } k = j + 1; }
            var others = Enumerable.Range(0, banks.Count).Where(b => b != sender && b != receiver).ToList();
            var route = new List<int>();
            var previous = sender;
            for (int j = 0; j < k && others.Count > 0; j++)
            {
                // A bank keeps its accounts with correspondents that are open when it is: the next intermediary is
                // drawn with weight = (hours its intake overlaps the previous bank's)², plus a little so none is excluded
                // (assumption: the square makes well-overlapping correspondents clearly preferred).
                var weights = others.Select(o => overlap[previous, o] * overlap[previous, o] + 0.1).ToList();
                var x = rng.NextDouble() * weights.Sum();
                var pick = 0;
                while (pick < others.Count - 1 && x >= weights[pick]) { x -= weights[pick]; pick++; }
                route.Add(others[pick]);
                previous = others[pick];
                others.RemoveAt(pick);
            }
            var hops = new HopDraw[route.Count + 2];
            var reject = -1;
            for (int j = 0; j < hops.Length; j++)
            {
                var screen = Math.Max(0, c.ScreeningS.Sample(rng));
                var review = rng.NextDouble() < c.ManualReviewShare ? Math.Max(0, c.ManualReviewS.Sample(rng)) : 0;
                hops[j] = new HopDraw(screen, review);
                var rejected = rng.NextDouble() < c.RejectionShare;
                if (rejected && reject < 0) reject = j;
            }
            var sanctionsHop = rng.Next(hops.Length);   // which bank's list catches it: lists and screening differ between banks
            if (sanctioned && (reject < 0 || sanctionsHop < reject)) reject = sanctionsHop;
            var credit = Math.Max(0, c.CreditDelayS.Sample(rng));
            var id = i.ToString("D6", CultureInfo.InvariantCulture);
            drafts.Add(new Payment(i, created, sender, receiver, amount, "cust-" + id + "-o", sanctioned ? listed : "cust-" + id + "-b", sanctioned,
                route, hops, reject, credit));
        }
        // Index in order of instruction (ties by draw order).
        var ordered = drafts.Select((p, i) => (p, i)).OrderBy(x => x.p.CreatedNs).ThenBy(x => x.i).Select((x, n) => x.p with { Index = n }).ToList();
        return new PaymentBook(ordered);
    }

    /// <summary>Hours during which two banks' intake windows (opening to cut-off) overlap on an ordinary business
    /// day: the Wednesday of the run's first week, taken as each bank's local date.</summary>
    public static double[,] Overlap(IReadOnlyList<BankHours> hours)
    {
        var n = hours.Count;
        var result = new double[n, n];
        var day = DateOnly.FromDateTime(hours[0].Start.UtcDateTime);
        while (day.DayOfWeek != DayOfWeek.Wednesday) day = day.AddDays(1);
        var windows = hours.Select(h => (From: h.At(day, h.Open), To: h.At(day, h.CutOff))).ToList();
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                result[a, b] = Math.Max(0, Math.Min(windows[a].To, windows[b].To) - Math.Max(windows[a].From, windows[b].From)) / 3.6e12;
        return result;
    }
}
