using Lab.Sim.Time;

namespace Lab.Ledger.Batching;

/// <summary>When a block is cut from the mempool: whichever limit is reached first.</summary>
public sealed record BlockOptions
{
    /// <summary>Most transactions in one block. Default 500 (a Fabric-like batch).</summary>
    public int MaxTransactions { get; init; } = 500;
    /// <summary>Most transaction bytes in one block (a single larger transaction still gets a block). Default 1 MiB.</summary>
    public long MaxBytes { get; init; } = 1 << 20;
    /// <summary>Longest time the oldest pending transaction waits for its block to fill. Default 10 ms.</summary>
    public Duration BatchTimeout { get; init; } = Duration.FromMillis(10);

    public void Validate()
    {
        if (MaxTransactions < 1) throw new ArgumentException("block max-tx must be at least 1");
        if (MaxBytes < 1) throw new ArgumentException("block max-bytes must be at least 1");
        if (BatchTimeout.IsNegative) throw new ArgumentException("block timeout cannot be negative");
    }
}
