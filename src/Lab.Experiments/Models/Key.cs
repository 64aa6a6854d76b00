using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary>Short constructors for schema keys: <c>Key.Time("chain.raft.heartbeat", "…", "50ms", min: 0)</c>.</summary>
public static class Key
{
    public static SchemaKey Text(string path, string description, string? @default = null) => new(path, KeyType.Text, description) { Default = @default };
    public static SchemaKey Name(string path, string description, string? @default = null) => new(path, KeyType.Identifier, description) { Default = @default };
    public static SchemaKey Int(string path, string description, long? @default = null, long? min = null, long? max = null) =>
        new(path, KeyType.Integer, description) { Default = @default?.ToString(System.Globalization.CultureInfo.InvariantCulture), Min = min, Max = max };
    public static SchemaKey Number(string path, string description, string? @default = null, double? min = null, double? max = null) =>
        new(path, KeyType.Number, description) { Default = @default, Min = min, Max = max };
    public static SchemaKey Bool(string path, string description, bool @default) => new(path, KeyType.Boolean, description) { Default = @default ? "true" : "false" };
    /// <summary>
    /// Upper bound of one cryptographic operation's CPU cost (chain.cpu.*), in seconds. Real ones cost micro- to
    /// milliseconds; the bound keeps costs multiplied by message sizes and certificate counts within virtual time.
    /// </summary>
    public const double MaxCpuPerOperation = 1;

    /// <param name="min">In seconds.</param>
    public static SchemaKey Time(string path, string description, string? @default = null, double? min = 0, double? max = null) =>
        new(path, KeyType.Time, description) { Default = @default, Min = min, Max = max };
    /// <param name="min">In bytes.</param>
    public static SchemaKey Size(string path, string description, string? @default = null, double? min = 0) =>
        new(path, KeyType.SizeType, description) { Default = @default, Min = min };
    public static SchemaKey Bandwidth(string path, string description, string? @default = null) => new(path, KeyType.BandwidthType, description) { Default = @default };
    /// <param name="min">Per second.</param>
    public static SchemaKey Rate(string path, string description, string? @default = null, double? min = 0) => new(path, KeyType.RateType, description) { Default = @default, Min = min };
    public static SchemaKey Money(string path, string description, string? @default = null) => new(path, KeyType.MoneyType, description) { Default = @default, Min = 0 };
    public static SchemaKey Probability(string path, string description, string? @default = null) => new(path, KeyType.Probability, description) { Default = @default };
    public static SchemaKey Factor(string path, string description, string? @default = null, double? min = 1) => new(path, KeyType.Factor, description) { Default = @default, Min = min };
    public static SchemaKey TimeDistribution(string path, string description, string? @default = null) => new(path, KeyType.TimeDistribution, description) { Default = @default };
    public static SchemaKey NumberDistribution(string path, string description, string? @default = null) => new(path, KeyType.NumberDistribution, description) { Default = @default };
    public static SchemaKey Arrivals(string path, string description, string? @default = null) => new(path, KeyType.ArrivalsType, description) { Default = @default };
    public static SchemaKey Choice(string path, string description, IReadOnlyList<string> allowed, string? @default = null) =>
        new(path, KeyType.Choice, description) { Default = @default, Allowed = allowed };
    public static SchemaKey List(string path, KeyType item, string description, string? @default = null) => new(path, KeyType.ListOf(item), description) { Default = @default };
}
