using System.Globalization;

namespace Lab.Consensus.Kv;

/// <summary>
/// An operation on the replicated key-value store (<see cref="KvStore"/>), carried as a transaction's payload.
/// Values are integers; a key never written reads as nil. Its text form is part of the transaction's hash.
/// </summary>
public abstract record KvCommand(string Key)
{
    /// <summary>What the store answers for a key with no value.</summary>
    public const string Nil = "nil";
}

/// <summary>Reads the key: the answer is its value, or <see cref="KvCommand.Nil"/>.</summary>
public sealed record KvGet(string Key) : KvCommand(Key)
{
    public override string ToString() => $"get {Key}";
}

/// <summary>Writes the value: the answer is "ok".</summary>
public sealed record KvPut(string Key, long Value) : KvCommand(Key)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"put {Key} {Value}");
}

/// <summary>Compare-and-set: writes <paramref name="Value"/> if the key holds <paramref name="Expected"/> ("ok"), else
/// changes nothing (rejected, "cas failed").</summary>
public sealed record KvCas(string Key, long Expected, long Value) : KvCommand(Key)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"cas {Key} {Expected} {Value}");
}
