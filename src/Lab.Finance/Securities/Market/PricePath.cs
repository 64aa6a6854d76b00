using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.Securities.Market;

/// <summary>
/// One price path per security for the whole run, drawn up front from its own random stream
/// ("securities.prices") so every settlement variant of a seed sees the same prices. Log prices
/// move at the opening auction (the overnight step), then once per minute of continuous trading,
/// and once more at the closing auction; nights, weekends and holidays are flat. Each step adds a
/// market move times the security's beta, an idiosyncratic move, and Poisson jumps of both kinds
/// (Merton 1976), with variance in proportion to the step's share of the trading day. With a daily
/// price limit (China) the path is held inside ±limit of the previous close. Scheduled shocks add a
/// market jump at a given local time.
/// </summary>
public sealed class PricePath
{
    public const string StreamName = "securities.prices";

    private readonly long[] _times;        // grid times (virtual ns), ascending
    private readonly double[] _logPrice;   // [step * securities + s]
    private readonly double[] _initial;    // log price before the first step
    private readonly SortedDictionary<DateOnly, int> _closeStep = [];

    private PricePath(int securities, long[] times, double[] logPrice, double[] initial, double[] beta, double[] idioVol, PriceModel model, SortedDictionary<DateOnly, int> closes)
    {
        Securities = securities;
        _times = times;
        _logPrice = logPrice;
        _initial = initial;
        Beta = beta;
        IdiosyncraticVolatility = idioVol;
        Model = model;
        _closeStep = closes;
    }

    public int Securities { get; }
    public IReadOnlyList<double> Beta { get; }
    public IReadOnlyList<double> IdiosyncraticVolatility { get; }
    public PriceModel Model { get; }

    /// <summary>Daily return variance of security <paramref name="s"/> under the model (what a CCP's risk model is calibrated to).</summary>
    public double DailyVariance(int s) => Model.DailyVariance(Beta[s], IdiosyncraticVolatility[s]);

    /// <summary>Mid price (currency units per share) in force at virtual time <paramref name="atNs"/>.</summary>
    public double Mid(int s, long atNs)
    {
        int lo = 0, hi = _times.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (_times[mid] <= atNs) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return Math.Exp(found < 0 ? _initial[s] : _logPrice[found * Securities + s]);
    }

    /// <summary>Mid price in minor units (cents, fen), rounded, at least 1.</summary>
    public long MidMinor(int s, long atNs) => Math.Max(1, (long)Math.Round(Mid(s, atNs) * 100));

    /// <summary>The opening price of the run (minor units): the reference for balance sheets drawn before trading.</summary>
    public long InitialMinor(int s) => Math.Max(1, (long)Math.Round(Math.Exp(_initial[s]) * 100));

    /// <summary>Closing price of <paramref name="day"/> in minor units; on a non-trading day, the last close before it.</summary>
    public long CloseMinor(int s, DateOnly day)
    {
        int step = -1;
        foreach (var (d, k) in _closeStep)
        {
            if (d > day) break;
            step = k;
        }
        var log = step < 0 ? _initial[s] : _logPrice[step * Securities + s];
        return Math.Max(1, (long)Math.Round(Math.Exp(log) * 100));
    }

    /// <summary>Draws the path over every business day from the run start up to <paramref name="horizonNs"/>.</summary>
    public static PricePath Generate(PriceModel model, MarketRules market, RunClock clock, int securities, long horizonNs, ulong seed)
    {
        model.Validate();
        var calendar = market.Calendar;
        var rng = SimRandom.Stream(seed, StreamName);
        var initial = new double[securities];
        var beta = new double[securities];
        var idio = new double[securities];
        for (int s = 0; s < securities; s++)
        {
            // Prices on the tick (0.01): a realistic starting quote.
            initial[s] = Math.Log(Math.Max(0.01, Math.Round(model.InitialPrice.Sample(rng), 2)));
            beta[s] = Math.Max(0.2, model.BetaMean + model.BetaSd * Normal(rng));
            idio[s] = Math.Max(0, model.IdiosyncraticVolatility.Sample(rng));
        }

        var dayMinutes = calendar.TradingDayLength.TotalMinutes;
        var times = new List<long>();
        var logs = new List<double>();
        var closes = new SortedDictionary<DateOnly, int>();
        var current = (double[])initial.Clone();
        var marketVarDay = model.MarketVolatility * model.MarketVolatility / PriceModel.TradingDaysPerYear;
        var shocks = model.Shocks.Select(x => (At: clock.NanosAt(DateOnly.FromDateTime(x.LocalTime), TimeOnly.FromDateTime(x.LocalTime), calendar), x.Move)).OrderBy(x => x.At).ToList();
        var nextShock = 0;
        var prevClose = (double[])initial.Clone();
        var limit = market.PriceLimit;

        void Step(long at, double dayFraction)
        {
            // One step: common market move (diffusion + jumps), then each security's own move and jumps.
            var common = Math.Sqrt(marketVarDay * dayFraction) * Normal(rng);
            var marketJumpP = model.MarketJumpsPerYear / PriceModel.TradingDaysPerYear * dayFraction;
            if (marketJumpP > 0 && rng.NextDouble() < marketJumpP) common += model.MarketJumpMean + model.MarketJumpSd * Normal(rng);
            while (nextShock < shocks.Count && shocks[nextShock].At <= at) common += Math.Log(1 + shocks[nextShock++].Move);
            var idioJumpP = model.IdiosyncraticJumpsPerYear / PriceModel.TradingDaysPerYear * dayFraction;
            for (int s = 0; s < securities; s++)
            {
                var sd = idio[s] * Math.Sqrt(dayFraction / PriceModel.TradingDaysPerYear);
                var move = beta[s] * common + sd * Normal(rng);
                if (idioJumpP > 0 && rng.NextDouble() < idioJumpP) move += model.IdiosyncraticJumpSd * Normal(rng);
                var next = current[s] + move;
                if (limit is { } l)
                    next = Math.Clamp(next, prevClose[s] + Math.Log(1 - l), prevClose[s] + Math.Log(1 + l));
                current[s] = next;
            }
            times.Add(at);
            logs.AddRange(current);
        }

        var first = clock.LocalDate(Lab.Sim.Time.SimTime.Zero, calendar);
        for (var d = first; clock.MidnightNanos(d, calendar) <= horizonNs; d = d.AddDays(1))
        {
            if (!calendar.IsBusinessDay(d)) continue;
            var open = clock.NanosAt(d, calendar.OpenOn(d), calendar);
            if (open < 0) continue;
            Step(open, model.OvernightVarianceShare);
            var intraday = (1 - model.OvernightVarianceShare) / dayMinutes;
            foreach (var session in calendar.SessionsOn(d))
            {
                var minutes = (int)(session.Close - session.Open).TotalMinutes;
                for (int m = 1; m <= minutes; m++)
                    Step(clock.NanosAt(d, session.Open.AddMinutes(m), calendar), intraday);
            }
            var close = clock.NanosAt(d, calendar.CloseOn(d), calendar);
            if (close > times[^1]) Step(close, 0);
            closes[d] = times.Count - 1;
            Array.Copy(current, prevClose, securities);
        }
        return new PricePath(securities, [.. times], [.. logs], initial, beta, idio, model, closes);
    }

    internal static double Normal(SimRandom rng)
    {
        // Box–Muller; one draw per call keeps the stream layout simple.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
