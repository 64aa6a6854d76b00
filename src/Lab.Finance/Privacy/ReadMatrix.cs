using System.Globalization;

namespace Lab.Finance.Privacy;

/// <summary>What a party gets when it tries to read an item from the state it has access to.</summary>
public enum ReadLevel
{
    /// <summary>The item is not in any state the party can reach.</summary>
    Nothing = 0,
    /// <summary>The party's state holds the item only as ciphertext and digest (it cannot open it).</summary>
    HashOnly = 1,
    /// <summary>The party reads the content.</summary>
    Read = 2,
}

/// <summary>
/// A who-can-read matrix: party classes (rows) × item kinds (columns), filled from actual read attempts. A cell holds
/// the level every attempt of that class on that kind reached; attempts that disagree make the cell mixed
/// (<see cref="Mixed"/>), which a rule check reports — a privacy rule holds for a class or it does not.
/// </summary>
public sealed class ReadMatrix
{
    /// <summary>The matrix's metrics, the same in every scenario: <c>can_read.&lt;party&gt;.&lt;item&gt;</c> and the count of cells that break the rules.</summary>
    public const string MetricPrefix = "can_read";
    public const string BreachesMetric = "privacy_rule_breaches";

    private readonly SortedDictionary<(string Party, string Item), SortedSet<ReadLevel>> _seen = [];

    public ReadMatrix(IReadOnlyList<string> parties, IReadOnlyList<string> items)
    {
        Parties = parties;
        Items = items;
    }

    public IReadOnlyList<string> Parties { get; }
    public IReadOnlyList<string> Items { get; }

    public void Record(string party, string item, ReadLevel level)
    {
        if (!Parties.Contains(party) || !Items.Contains(item)) throw new ArgumentException($"no cell ({party}, {item}) in the matrix");
        if (!_seen.TryGetValue((party, item), out var s)) _seen[(party, item)] = s = [];
        s.Add(level);
    }

    /// <summary>The level of a cell; null when no attempt was made or attempts disagreed.</summary>
    public ReadLevel? Cell(string party, string item) =>
        _seen.TryGetValue((party, item), out var s) && s.Count == 1 ? s.Min : null;

    public bool Mixed(string party, string item) => _seen.TryGetValue((party, item), out var s) && s.Count > 1;

    /// <summary>Whether some party of that class tried the item at all.</summary>
    public bool Attempted(string party, string item) => _seen.ContainsKey((party, item));

    /// <summary>Cells that differ from <paramref name="expected"/>, in words (empty: the ledger keeps the rules).</summary>
    /// <param name="attemptedOnly">Skip the cells no attempt reached (a run without such an item): they are not measured, not breaches.</param>
    public IReadOnlyList<string> Differences(Func<string, string, ReadLevel> expected, bool attemptedOnly = false)
    {
        var wrong = new List<string>();
        foreach (var p in Parties)
            foreach (var i in Items)
            {
                if (attemptedOnly && !Attempted(p, i)) continue;
                var want = expected(p, i);
                if (Cell(p, i) is { } got && got == want) continue;
                var seen = _seen.TryGetValue((p, i), out var s) ? string.Join("/", s.Select(Word)) : "no attempt";
                wrong.Add($"{p} on {i}: expected {Word(want)}, ledger gives {seen}");
            }
        return wrong;
    }

    public static string Word(ReadLevel l) => l switch { ReadLevel.Read => "read", ReadLevel.HashOnly => "hash only", _ => "nothing" };

    /// <summary>Metric name of a cell (value: the <see cref="ReadLevel"/> as 0, 1, 2).</summary>
    public static string MetricName(string prefix, string party, string item) => $"{prefix}.{party}.{item}";

    /// <summary>The cells as metrics; a mixed cell is −1.</summary>
    public IEnumerable<(string Name, double Value)> Metrics(string prefix, bool attemptedOnly = false)
    {
        foreach (var p in Parties)
            foreach (var i in Items)
                if (!attemptedOnly || Attempted(p, i))
                    yield return (MetricName(prefix, p, i), Cell(p, i) is { } l ? (int)l : -1);
    }

    /// <summary>
    /// What every scenario reports of its matrix: the cells (<c>can_read.&lt;party&gt;.&lt;item&gt;</c>) and the count of
    /// cells that break <paramref name="expected"/> (<see cref="BreachesMetric"/>) into the run's scalars; returns the breaches.
    /// </summary>
    public IReadOnlyList<string> Write(Lab.Sim.Metrics.RunMetrics metrics, Func<string, string, ReadLevel> expected, bool attemptedOnly = false)
    {
        foreach (var (name, value) in Metrics(MetricPrefix, attemptedOnly)) metrics.Scalars[name] = value;
        var breaches = Differences(expected, attemptedOnly);
        metrics.Scalars[BreachesMetric] = breaches.Count;
        return breaches;
    }

    /// <summary>A cell's text from its metric value (a mixed cell, −1, is "mixed").</summary>
    public static string Word(double metric) => metric switch
    {
        2 => Word(ReadLevel.Read),
        1 => Word(ReadLevel.HashOnly),
        0 => Word(ReadLevel.Nothing),
        _ => "mixed (" + metric.ToString(CultureInfo.InvariantCulture) + ")",
    };
}
