namespace Lab.Consensus.Workload;

/// <summary>
/// An open-loop arrival process for the whole workload (rates are totals over all clients). Each of
/// <c>clients</c> clients gets its own source: rate processes are split evenly, a trace is dealt out
/// record by record.
/// </summary>
public abstract record ArrivalProcess
{
    /// <summary>The source of client <paramref name="client"/> of <paramref name="clients"/>.</summary>
    public abstract IArrivalSource CreateSource(int client, int clients);

    /// <summary>Mean offered load in transactions per second (over a whole period for profiles).</summary>
    public abstract double MeanRatePerSecond { get; }
}
