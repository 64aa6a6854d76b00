using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Sim.Tests;

public class MetricRecorderTests
{
    /// <summary>
    /// The recorder finds recently used names by reference; a name spelled by another string instance, and more names
    /// than it remembers, must still add up to the same totals as plain sums.
    /// </summary>
    [Fact]
    public void Totals_do_not_depend_on_which_string_instance_names_a_metric_or_how_many_names_alternate()
    {
        var now = SimTime.Zero;
        var r = new MetricRecorder(() => now, Duration.FromSeconds(1));
        string[] names = ["a_total", "b_total", "c_total", "d_total", "e_total", "f_total"];
        var expected = new Dictionary<string, double>();
        var calls = new Dictionary<string, int>();
        for (int i = 0; i < 1000; i++)
        {
            // Mostly three names (found among the four remembered), now and then one of three others (evicting one);
            // every fifth call spells its name anew (same text, another string).
            var name = names[i % 10 < 7 ? i % 3 : 3 + i % 3];
            var spelled = i % 5 == 0 ? new string(name.AsSpan()) : name;
            if (i % 5 == 0) Assert.NotSame(name, spelled);
            r.Add(spelled, i);
            r.Sample(spelled, i);
            now = SimTime.Zero + Duration.FromSeconds(i % 5);
            r.Series(spelled, 1);
            expected[name] = expected.GetValueOrDefault(name) + i;
            calls[name] = calls.GetValueOrDefault(name) + 1;
        }
        var m = RunMetrics.Merge(Duration.FromSeconds(1), [r]);
        Assert.Equal(names.Order(StringComparer.Ordinal), m.Counters.Keys);
        foreach (var n in names)
        {
            Assert.Equal(expected[n], m.Counters[n]);
            Assert.Equal(expected[n], m.Samples[n].Sum());
            Assert.Equal(calls[n], m.Series[n].Sum());
        }
    }
}
