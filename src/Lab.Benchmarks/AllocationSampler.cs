using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Lab.Benchmarks;

/// <summary>
/// An allocation profile by type, in process: listens to the runtime's <c>GCAllocationTick</c> events (the
/// same sampled events <c>dotnet-trace --profile gc-verbose</c> records: one per ~100 KB allocated, naming
/// the type of the allocation that crossed the threshold), so the bytes per type are estimates whose
/// error shrinks with the run's length. Types only, no stacks: enough to find the per-transaction objects.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() { _bytes.Clear(); _recording = true; }
    public void Stop() => _recording = false;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var type = "?";
        long amount = 0;
        for (int i = 0; i < e.PayloadNames.Count; i++)
        {
            switch (e.PayloadNames[i])
            {
                case "TypeName": type = e.Payload![i] as string ?? "?"; break;
                case "AllocationAmount64": amount = Convert.ToInt64(e.Payload![i], CultureInfo.InvariantCulture); break;
                case "AllocationAmount" when amount == 0: amount = Convert.ToInt64(e.Payload![i], CultureInfo.InvariantCulture); break;
            }
        }
        _bytes.AddOrUpdate(type, amount, (_, b) => b + amount);
    }

    /// <summary>The top <paramref name="n"/> types by sampled bytes, each with its bytes per <paramref name="unit"/> (of <paramref name="units"/>).</summary>
    public void Print(int n, long units, string unit)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine($"allocation profile (GCAllocationTick samples, ≈ {total / Math.Max(1, units):N0} B per {unit} in all):");
        foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(n).Select(kv => (kv.Key, kv.Value)))
            Console.WriteLine($"  {bytes / (double)Math.Max(1, units),8:N1} B/{unit}  {100.0 * bytes / Math.Max(1, total),5:N1} %  {type}{Owners(type)}");
    }

    // Closures and nested types are named without their declaring type: list the project's candidates.
    private static string Owners(string type)
    {
        if (type.Contains('.', StringComparison.Ordinal)) return "";
        var owners = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("Lab.", StringComparison.Ordinal) == true)
            .SelectMany(a => { try { return a.GetTypes(); } catch (System.Reflection.ReflectionTypeLoadException e) { return e.Types.OfType<Type>().ToArray(); } })
            .Where(t => t.IsNested && t.Name == type && t.DeclaringType is not null)
            .Select(t => t.DeclaringType!.FullName)
            .Order(StringComparer.Ordinal).ToList();
        return owners.Count == 0 ? "" : $" (in {string.Join(" or ", owners)})";
    }
}
