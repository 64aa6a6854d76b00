namespace Lab.Finance.Institutions;

/// <summary>
/// The institution that finally settles trades keeps, per trade index, when it settled (virtual ns,
/// −1 if not yet) and whether it failed or was rejected at least once. Read by the world's observer
/// at the end of the run.
/// </summary>
public interface ISettlementLog
{
    long[] SettledAtNs { get; }
    bool[] FailedOnce { get; }
    /// <summary>When a trade was cancelled for good (on chain, rejected without queueing), −1 if not.</summary>
    long[] CancelledAtNs { get; }
}

/// <summary>Durable per-trade settlement records (survive a crash-restart of the node that keeps them).</summary>
public sealed class SettlementRecords
{
    public SettlementRecords(int trades)
    {
        SettledAtNs = new long[trades];
        Array.Fill(SettledAtNs, -1);
        FailedOnce = new bool[trades];
        CancelledAtNs = new long[trades];
        Array.Fill(CancelledAtNs, -1);
    }

    public long[] SettledAtNs { get; }
    public bool[] FailedOnce { get; }
    public long[] CancelledAtNs { get; }
}
