namespace Lab.Cluster;

/// <summary>Messages between a coordinator and its workers (serialised by <see cref="ClusterMessageSerializer"/>, never by a general-purpose serialiser).</summary>
public interface IClusterMessage;

/// <summary>Worker → coordinator: "I can run <paramref name="Cores"/> runs at once", with the build it runs.</summary>
public sealed record Hello(string Worker, int Cores, string LabBuild) : IClusterMessage;

/// <summary>Coordinator → worker: prove you hold the secret by answering this.</summary>
public sealed record Challenge(byte[] Nonce) : IClusterMessage;

/// <summary>Worker → coordinator: HMAC-SHA256(secret, nonce).</summary>
public sealed record Proof(byte[] Mac) : IClusterMessage;

/// <summary>Coordinator → worker: accepted; pull work.</summary>
public sealed record Welcome(string Coordinator) : IClusterMessage;

/// <summary>Coordinator → worker: not accepted, and why.</summary>
public sealed record Refused(string Reason) : IClusterMessage;

/// <summary>Worker → coordinator: "give me up to <paramref name="Slots"/> runs". The coordinator answers when it has work.</summary>
public sealed record Pull(int Slots) : IClusterMessage;

/// <summary>Coordinator → worker: runs to execute.</summary>
public sealed record Work(IReadOnlyList<JobOffer> Jobs) : IClusterMessage;

/// <summary>
/// One run: run <paramref name="Run"/> of the experiment loaded from <paramref name="File"/> (relative to the
/// worker's working folder) with <paramref name="Overrides"/>; the worker checks that it resolves to
/// <paramref name="ConfigHash"/> before it runs anything.
/// </summary>
public sealed record JobOffer(long Id, string File, IReadOnlyList<string> Overrides, string ConfigHash, int Run);

/// <summary>Worker → coordinator: the run's <see cref="Lab.Experiments.Results.RunRecord"/>, encoded.</summary>
public sealed record Done(long Id, byte[] Record) : IClusterMessage;

/// <summary>Worker → coordinator: the run could not be run (it threw, or the experiment does not resolve the same here).</summary>
public sealed record Failed(long Id, string Error) : IClusterMessage;
