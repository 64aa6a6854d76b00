using Lab.Sim.Time;

namespace Lab.Consensus.Kv;

/// <summary>The key-value workload: how many clients, how many keys, the mix of operations, pacing.</summary>
public sealed record KvClientOptions
{
    /// <summary>Client nodes, each with one operation in flight at a time (so each client's history is sequential). Default 3.</summary>
    public int Clients { get; init; } = 3;
    /// <summary>Keys <c>k0..</c>: few keys mean many operations contend on each. Default 3.</summary>
    public int Keys { get; init; } = 3;
    /// <summary>The first this many clients only read (dashboards): they stay with the replica that answers them. Default 0.</summary>
    public int Readers { get; init; }
    /// <summary>Share of gets; the rest are puts and compare-and-sets. Default 0.5.</summary>
    public double ReadShare { get; init; } = 0.5;
    /// <summary>Share of compare-and-sets. Default 0.2.</summary>
    public double CasShare { get; init; } = 0.2;
    /// <summary>Longest pause (uniform from zero) between an answer and the client's next operation. Default 20 ms.</summary>
    public Duration ThinkTime { get; init; } = Duration.FromMillis(20);
    /// <summary>No new operation after this time (null: until the run ends).</summary>
    public Duration? SubmitUntil { get; init; }
    /// <summary>Bytes of one operation on the wire. Default 128.</summary>
    public int SizeBytes { get; init; } = 128;
    /// <summary>A client resends an operation not final after this long. Default 500 ms.</summary>
    public Duration RetryTimeout { get; init; } = Duration.FromMillis(500);
}
