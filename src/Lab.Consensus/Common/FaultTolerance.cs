namespace Lab.Consensus.Common;

/// <summary>
/// How many faulty replicas of n a protocol survives with safety guaranteed: a small type per fault
/// model, so the experiment loader's "n ≥ 3f+1" check reads the protocol instead of doing the
/// arithmetic itself. Within it a safety violation is a bug (the run fails, exit 3); beyond it, a result.
/// </summary>
public abstract record FaultTolerance
{
    /// <summary>What the replicas may do: "none", "crash" or "Byzantine".</summary>
    public abstract string Kind { get; }

    /// <summary>The rule in the usual notation, e.g. "3f+1" (empty when nothing is tolerated).</summary>
    public abstract string Rule { get; }

    /// <summary>Faulty replicas tolerated among <paramref name="replicas"/> (f).</summary>
    public abstract int Tolerated(int replicas);

    /// <summary>Replicas needed to tolerate <paramref name="faulty"/> faulty ones (int.MaxValue when none can be).</summary>
    public abstract int ReplicasNeeded(int faulty);

    /// <summary>No fault tolerance claimed (a solo orderer, a kernel workload).</summary>
    public static readonly FaultTolerance None = new NoTolerance();

    /// <summary>Crash faults: n ≥ 2f+1, a majority must stay up and connected (Raft §5).</summary>
    public static readonly FaultTolerance Crash = new CrashTolerance();

    /// <summary>Byzantine faults: n ≥ 3f+1, any two quorums share an honest replica (Castro-Liskov §3, HotStuff §2).</summary>
    public static readonly FaultTolerance Byzantine = new ByzantineTolerance();

    private sealed record NoTolerance : FaultTolerance
    {
        public override string Kind => "none";
        public override string Rule => "";
        public override int Tolerated(int replicas) => 0;
        public override int ReplicasNeeded(int faulty) => faulty == 0 ? 1 : int.MaxValue;
    }

    private sealed record CrashTolerance : FaultTolerance
    {
        public override string Kind => "crash";
        public override string Rule => "2f+1";
        public override int Tolerated(int replicas) => Math.Max(0, (replicas - 1) / 2);
        public override int ReplicasNeeded(int faulty) => checked(2 * faulty + 1);
    }

    private sealed record ByzantineTolerance : FaultTolerance
    {
        public override string Kind => "Byzantine";
        public override string Rule => "3f+1";
        public override int Tolerated(int replicas) => Math.Max(0, (replicas - 1) / 3);
        public override int ReplicasNeeded(int faulty) => checked(3 * faulty + 1);
    }
}
