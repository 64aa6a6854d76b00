namespace Lab.Experiments.Fuzz;

/// <summary>What a fuzz run showed, worst first when several apply.</summary>
public enum FuzzFailure
{
    None,
    /// <summary>The run threw (a protocol or kernel exception): a bug at any fault level.</summary>
    Crash,
    /// <summary>Honest replicas committed different blocks at a height, or rewrote one (<c>safety_violations</c>).</summary>
    Safety,
    /// <summary>A committed transaction never submitted, committed twice, or lost (<c>validity_violations</c>).</summary>
    Validity,
    /// <summary>The run hit its event cap (<c>max-events</c>, far above what the load needs): a message storm or a loop.</summary>
    Runaway,
    /// <summary>Something submitted before the last fault ended was not final by the deadline (<c>liveness_violations</c>).</summary>
    Liveness,
    /// <summary>The generated file did not validate: a bug of the generator, not of the protocol.</summary>
    Invalid,
}

/// <summary>The verdict on one fuzz run: how it failed, if it did, what the checkers said, and when the first violation was.</summary>
public sealed record FuzzVerdict(FuzzFailure Failure, IReadOnlyList<string> Findings, double? FirstViolationSeconds = null)
{
    public bool Failed => Failure != FuzzFailure.None;

    /// <summary>The failure in a word, as printed: "safety", "liveness", …</summary>
    public string Word => Failure.ToString().ToLowerInvariant();

    public static readonly FuzzVerdict Passed = new(FuzzFailure.None, []);
}
