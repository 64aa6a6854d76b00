using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>
/// Poisson arrivals whose rate follows a daily profile: <paramref name="HourlyRates"/>[h] is the
/// total rate (tx/s) during hour h of each <paramref name="Period"/> (24 h by default), e.g. zero
/// overnight and a peak at the market open and close. The period is divided evenly among the rates.
/// </summary>
public sealed record TimeOfDayArrivals(IReadOnlyList<double> HourlyRates, Duration? Period = null) : ArrivalProcess
{
    public Duration DayLength => Period ?? Duration.FromHours(24);

    /// <summary>A trading-hours profile: closed overnight, open 09:30–16:00 with U-shaped intraday volume
    /// (heavier at the open and the close, as equity volume curves show).</summary>
    public static TimeOfDayArrivals TradingHours(double peakRate) => new(
        new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 0.05, 0.9, 0.6, 0.45, 0.35, 0.35, 0.45, 1.0, 0.05, 0, 0, 0, 0, 0, 0, 0 }
            .Select(f => f * peakRate).ToList());

    public override double MeanRatePerSecond => HourlyRates.Count == 0 ? 0 : HourlyRates.Average();

    public override IArrivalSource CreateSource(int client, int clients)
    {
        if (HourlyRates.Count == 0) throw new ArgumentException("a time-of-day profile needs at least one rate");
        var slot = DayLength.Nanos / HourlyRates.Count;
        return new RateProfileSource(t => HourlyRates[(int)(t.Nanos % DayLength.Nanos / slot % HourlyRates.Count)] / clients,
            HourlyRates.Max() / clients);
    }
}
