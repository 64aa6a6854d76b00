using System.Globalization;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// One fault of a generated schedule, in the words of the experiment file's <c>faults:</c> list. Times are
/// whole milliseconds so that the file says exactly what ran.
/// </summary>
/// <param name="Action">A <c>faults:</c> action (crash, pause, partition, cut, loss, latency, slow), or
/// <see cref="Amnesia"/>: a crash then a restart that wipes the disk (two entries in the file).</param>
/// <param name="Targets">One group of node names (or one word such as <c>leader</c>); several for a partition.</param>
/// <param name="Value">Loss probability (<c>loss</c>) or multiplier (<c>latency</c>, <c>slow</c>), as written.</param>
public sealed record FuzzFault(long AtMs, long ForMs, string Action, IReadOnlyList<IReadOnlyList<string>> Targets, string? Value = null)
{
    /// <summary>Crash, then restart with the disk wiped (<c>lose-disk: true</c>) after <see cref="ForMs"/>.</summary>
    public const string Amnesia = "amnesia";

    /// <summary>When the fault is over (for amnesia: when the node is back, with an empty disk).</summary>
    public long EndMs => AtMs + ForMs;

    /// <summary>Every node name the fault names.</summary>
    public IEnumerable<string> Nodes => Targets.SelectMany(t => t);

    /// <summary>The entries of <c>faults:</c> this fault writes (one, or two for amnesia), in flow style.</summary>
    public IEnumerable<string> YamlEntries()
    {
        static string List(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : "[" + string.Join(", ", names) + "]";
        switch (Action)
        {
            case Amnesia:
                yield return $"{{ at: {Ms(AtMs)}, crash: {List(Targets[0])} }}";
                yield return $"{{ at: {Ms(EndMs)}, restart: {List(Targets[0])}, lose-disk: true }}";
                yield break;
            case "partition":
                yield return $"{{ at: {Ms(AtMs)}, partition: [{string.Join(", ", Targets.Select(g => "[" + string.Join(", ", g) + "]"))}], for: {Ms(ForMs)} }}";
                yield break;
            case "loss":
            case "latency":
                yield return $"{{ at: {Ms(AtMs)}, {Action}: {Value}, for: {Ms(ForMs)} }}";
                yield break;
            case "slow":
                yield return $"{{ at: {Ms(AtMs)}, slow: {List(Targets[0])}, factor: {Value}, for: {Ms(ForMs)} }}";
                yield break;
            default:
                yield return $"{{ at: {Ms(AtMs)}, {Action}: {List(Targets[0])}, for: {Ms(ForMs)} }}";
                yield break;
        }
    }

    /// <summary>Milliseconds as the file writes them.</summary>
    public static string Ms(long ms) => ms.ToString(CultureInfo.InvariantCulture) + "ms";
}
