namespace Lab.Benchmarks;

/// <summary>Placeholder until the Raft world exists.</summary>
public static class RaftThroughputBenchmark
{
    public static int Run(string[] args) => args.Length;
}
