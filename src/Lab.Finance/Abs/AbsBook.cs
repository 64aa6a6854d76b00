using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.Abs;

public enum LoanEventKind { Payment, Prepayment, Missed, Cure, Default, Recovery }

/// <summary>A loan in the pool at the cut-off: principal in fen, annual rate, remaining term in months, and the day of the month its instalment is due.</summary>
public sealed record Loan(int Index, long Principal, double Rate, int Term, int DueDay);

/// <summary>
/// One loan event as the servicer records it: the cash it brought (interest, principal, recovery, fen), the principal
/// it charged off (a default), and when it happened. A missed instalment carries no cash; a cure pays the arrears.
/// </summary>
public sealed record LoanEvent(int Index, int Loan, int Period, LoanEventKind Kind, long Interest, long Principal, long Recovery, long Defaulted, long AtNs)
{
    public long Cash => Interest + Principal + Recovery;
}

/// <summary>A trade of units between two investors, agreed at <paramref name="AtNs"/> (the seller holds the units in the book's register).</summary>
public sealed record UnitTrade(int Index, long AtNs, int Seller, int Buyer, string Class, long Units);

/// <summary>One collection period: the calendar month [StartNs, EndNs), its investor payment date (and the record date, the business day before), and the servicer's tape totals.</summary>
public sealed record Period(int Index, long StartNs, long EndNs, long RecordNs, long PaymentNs, Collections Tape, int Events, long Delinquent60);

/// <summary>
/// Everything that happens to the pool and the investors, drawn once per seed before the run, so the traditional and
/// on-chain variants see the very same loan events, trades and (traditional only) desk times and reconciliation errors.
/// Loans are annuities: each month a current loan prepays in full with the single monthly mortality of the CPR, else
/// misses its instalment with <see cref="AbsOptions.MissRate"/> (30 days past due), else pays it. A delinquent loan
/// pays all its arrears with <see cref="AbsOptions.CureRate"/>, else rolls to 60, 90+ days; at
/// <see cref="AbsOptions.DefaultAfterMissed"/> missed instalments it is charged off (its whole principal) and
/// recovers <see cref="AbsOptions.RecoveryRate"/> of it <see cref="AbsOptions.RecoveryLagMonths"/> later. Less than
/// reality: no partial prepayments, no late fees or default interest, arrears accrue no interest on interest.
/// </summary>
public sealed record AbsBook(
    IReadOnlyList<Loan> Loans,
    IReadOnlyList<LoanEvent> Events,
    IReadOnlyList<Period> Periods,
    IReadOnlyList<UnitTrade> Trades,
    IReadOnlyDictionary<string, long[]> Allocation,
    double[] TrusteeS,
    double[][] ReconcileS,
    bool[][] ReconcileError,
    double[] RegistrarS)
{
    public const string Originator = "originator";
    public const string Servicer = "servicer";
    public const string Trustee = "trustee";
    public const string RatingAgency = "rating-agency";
    public const string Regulator = "regulator";
    public static readonly string[] Classes = ["A", "B", "Sub"];
    public static string Investor(int i) => "investor" + (i + 1).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>The parties that reconcile the trustee's monthly report (traditional) or read the contract (on chain): all but the
    /// trustee, who computes the waterfall, and the servicer, who records the loan events.</summary>
    public static IReadOnlyList<string> Readers(int investors) =>
        [Originator, RatingAgency, Regulator, .. Enumerable.Range(0, investors).Select(Investor)];

    public long InitialPool => Loans.Sum(l => l.Principal);

    public static AbsBook Generate(AbsOptions o, ulong seed)
    {
        var rng = SimRandom.Stream(seed, "abs.book");
        var clock = new RunClock(o.Start);
        var calendar = BusinessCalendars.China2026();
        var first = DateOnly.FromDateTime(o.Start.DateTime);
        long At(DateOnly d, double hour) => clock.NanosAt(d, TimeOnly.MinValue, calendar) + (long)(hour * 3600e9);

        // Loans: sizes drawn and scaled so the pool is exactly the configured principal.
        var sizes = Enumerable.Range(0, o.Loans).Select(_ => Math.Max(1e-9, o.LoanSize.Sample(rng))).ToArray();
        var poolFen = checked(o.PoolCny * 100);
        var scale = poolFen / sizes.Sum();
        var loans = new List<Loan>();
        long assigned = 0;
        for (int i = 0; i < o.Loans; i++)
        {
            var p = i == o.Loans - 1 ? poolFen - assigned : Math.Max(1, (long)Math.Floor(sizes[i] * scale));
            assigned += p;
            var term = Math.Max(1, (int)Math.Round(o.TermMonths.Sample(rng)));
            loans.Add(new Loan(i, p, Math.Max(0, o.LoanRate.Sample(rng)), term, 1 + rng.Next(28)));
        }

        // Monthly history, loan by loan.
        var smm = 1 - Math.Pow(1 - o.Cpr, 1.0 / 12);
        var events = new List<(int Loan, int Period, LoanEventKind Kind, long I, long P, long R, long D, long At)>();
        var delinquent60 = new long[o.Periods];
        foreach (var loan in loans)
        {
            long balance = loan.Principal, arrearsI = 0, arrearsP = 0;
            int missed = 0, left = loan.Term;
            for (int k = 0; k < o.Periods && balance > 0; k++)
            {
                var month = first.AddMonths(k);
                var days = DateTime.DaysInMonth(month.Year, month.Month);
                var due = At(new DateOnly(month.Year, month.Month, loan.DueDay), 8 + 12 * rng.NextDouble());
                var interest = Waterfall.Monthly(balance, loan.Rate);
                var principal = Math.Min(balance, Annuity(balance, loan.Rate / 12, Math.Max(1, left)) - interest);
                if (left <= 1) principal = balance;
                left = Math.Max(0, left - 1);
                var prepays = rng.Chance(smm);
                var u = rng.NextDouble();
                if (missed == 0 && prepays)
                {
                    var day = new DateOnly(month.Year, month.Month, 1 + rng.Next(days));
                    events.Add((loan.Index, k, LoanEventKind.Prepayment, interest, balance, 0, 0, At(day, 8 + 12 * rng.NextDouble())));
                    balance = 0;
                }
                else if (missed == 0 && u >= o.MissRate)
                {
                    events.Add((loan.Index, k, LoanEventKind.Payment, interest, principal, 0, 0, due));
                    balance -= principal;
                }
                else if (missed > 0 && u < o.CureRate)
                {
                    var paid = Math.Min(balance, arrearsP + principal);
                    events.Add((loan.Index, k, LoanEventKind.Cure, arrearsI + interest, paid, 0, 0, due));
                    balance -= paid;
                    missed = 0;
                    arrearsI = arrearsP = 0;
                }
                else
                {
                    missed++;
                    arrearsI += interest;
                    arrearsP += principal;
                    if (missed < o.DefaultAfterMissed)
                        events.Add((loan.Index, k, LoanEventKind.Missed, 0, 0, 0, 0, due));
                    else
                    {
                        events.Add((loan.Index, k, LoanEventKind.Default, 0, 0, 0, balance, due));
                        var r = k + o.RecoveryLagMonths;
                        var recovery = (long)Math.Round(balance * o.RecoveryRate);
                        if (r < o.Periods && recovery > 0)
                        {
                            var rm = first.AddMonths(r);
                            var day = new DateOnly(rm.Year, rm.Month, 1 + rng.Next(DateTime.DaysInMonth(rm.Year, rm.Month)));
                            events.Add((loan.Index, r, LoanEventKind.Recovery, 0, 0, recovery, 0, At(day, 9 + 8 * rng.NextDouble())));
                        }
                        balance = 0;
                    }
                }
                if (missed >= 2) delinquent60[k] += balance;
            }
        }
        var ordered = events.OrderBy(e => e.At).ThenBy(e => e.Loan).ThenBy(e => e.Kind)
            .Select((e, i) => new LoanEvent(i, e.Loan, e.Period, e.Kind, e.I, e.P, e.R, e.D, e.At)).ToList();

        // Periods: calendar months; payment on the payment day of the next month (following business day), record date the business day before.
        var periods = new List<Period>();
        var pool = poolFen;
        for (int k = 0; k < o.Periods; k++)
        {
            var mine = ordered.Where(e => e.Period == k).ToList();
            var tape = new Collections(mine.Sum(e => e.Interest), mine.Sum(e => e.Principal), mine.Sum(e => e.Recovery), mine.Sum(e => e.Defaulted), pool);
            pool = tape.PoolEnd;
            var next = first.AddMonths(k + 1);
            var pay = new DateOnly(next.Year, next.Month, Math.Min(o.PaymentDay, DateTime.DaysInMonth(next.Year, next.Month)));
            if (!calendar.IsBusinessDay(pay)) pay = calendar.NextBusinessDay(pay);
            var record = pay.AddDays(-1);
            while (!calendar.IsBusinessDay(record)) record = record.AddDays(-1);
            periods.Add(new Period(k, At(first.AddMonths(k), 0), At(next, 0), At(record, 17), At(pay, 9), tape, mine.Count, delinquent60[k]));
        }

        // Units: A and B allocated round robin over the investors (whole units); the subordinated class retained by the originator.
        var closing = Waterfall.Closing(o.Terms, poolFen);
        var unitFen = o.UnitFaceCny * 100;
        var allocation = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (cls, fen) in new[] { ("A", closing.A), ("B", closing.B) })
        {
            var units = fen / unitFen;
            allocation[cls] = Enumerable.Range(0, o.Investors).Select(i => units / o.Investors + (i < units % o.Investors ? 1 : 0)).ToArray();
        }
        var holdings = allocation.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

        // Trades: a Poisson stream over the deal's life; a seller sells a share of its holding of A or B to another investor.
        var trades = new List<UnitTrade>();
        var endNs = periods[^1].EndNs;
        var meanGap = 30 * 86400e9 / Math.Max(1e-9, o.TradesPerMonth);
        for (double t = rng.NextExponential(meanGap); o.TradesPerMonth > 0 && o.Investors > 1 && t < endNs; t += rng.NextExponential(meanGap))
        {
            var cls = rng.Chance(0.8) ? "A" : "B";
            var seller = rng.Next(o.Investors);
            var buyer = (seller + 1 + rng.Next(o.Investors - 1)) % o.Investors;
            var units = (long)Math.Floor(holdings[cls][seller] * o.TradeShare);
            if (units <= 0) continue;
            holdings[cls][seller] -= units;
            holdings[cls][buyer] += units;
            trades.Add(new UnitTrade(trades.Count, (long)t, seller, buyer, cls, units));
        }

        // Traditional desk work, drawn here so both variants consume the same random stream.
        var readers = Readers(o.Investors).Count;
        var trusteeS = Enumerable.Range(0, o.Periods).Select(_ => o.TrusteeWaterfallS.Sample(rng)).ToArray();
        var reconcileS = Enumerable.Range(0, readers).Select(_ => Enumerable.Range(0, o.Periods).Select(_ => o.ReconcileS.Sample(rng)).ToArray()).ToArray();
        var errors = Enumerable.Range(0, readers).Select(_ => Enumerable.Range(0, o.Periods).Select(_ => rng.Chance(o.ReconcileErrorRate)).ToArray()).ToArray();
        var registrar = trades.Select(_ => o.RegistrarS.Sample(rng)).ToArray();
        return new AbsBook(loans, ordered, periods, trades, allocation, trusteeS, reconcileS, errors, registrar);
    }

    /// <summary>The level instalment that repays <paramref name="balance"/> over <paramref name="n"/> months at monthly rate <paramref name="r"/>, in fen.</summary>
    public static long Annuity(long balance, double r, int n) =>
        r <= 0 ? (long)Math.Ceiling(balance / (double)n) : (long)Math.Round(balance * r / (1 - Math.Pow(1 + r, -n)), MidpointRounding.AwayFromZero);

    /// <summary>The reference waterfall of every period, computed from the servicer's tapes.</summary>
    public IReadOnlyList<WaterfallResult> Reference(DealTerms terms)
    {
        var state = Waterfall.Closing(terms, InitialPool);
        var results = new List<WaterfallResult>();
        foreach (var p in Periods)
        {
            var r = Waterfall.Run(terms, InitialPool, p.Index, state, p.Tape);
            results.Add(r);
            state = r.After;
        }
        return results;
    }
}
