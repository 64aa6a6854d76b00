using System.Reflection;
using Lab.Experiments.Models;
using Lab.Reports.Charts;

namespace Lab.Experiments.Tests;

/// <summary><c>lab list metrics</c> and chart validation read <see cref="MetricCatalog"/>: it must hold every metric a run can produce.</summary>
public class MetricCatalogTests
{
    /// <summary>Every metric name defined as a constant: the public constants of the <c>*Metrics</c> classes of the lab's assemblies.</summary>
    public static IReadOnlyList<(string Class, string Field, string Name)> Constants()
    {
        Assembly[] assemblies =
        [
            typeof(Lab.Sim.Metrics.KernelMetrics).Assembly, typeof(Lab.Ledger.LedgerMetrics).Assembly,
            typeof(Lab.Consensus.Common.StandardMetrics).Assembly, typeof(Lab.Finance.Securities.SecuritiesMetrics).Assembly,
            typeof(MetricCatalog).Assembly, typeof(Lab.Reports.MetricLabels).Assembly,
        ];
        return [.. assemblies.Distinct().SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Metrics", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                // Finding kinds name notes of a run, not metrics.
                .Where(f => !f.Name.EndsWith("Finding", StringComparison.Ordinal))
                .Select(f => (t.Name, f.Name, (string)f.GetRawConstantValue()!)))];
    }

    /// <summary>Every name the catalog lists for the default registry, as <c>lab list metrics</c> prints them.</summary>
    public static IReadOnlyList<string> Listed() =>
        [.. MetricCatalog.EveryRun.Concat(MetricCatalog.EveryChainRun).Concat(ModelRegistry.Default.Models.SelectMany(m => m.Metrics)).Select(m => m.Name)];

    [Fact]
    public void Every_metric_constant_is_listed()
    {
        var listed = Listed();
        var vocabulary = ChartVocabulary.Declared(listed, [], []);
        // A prefix constant (commits.) is listed as its family (commits.<node>).
        bool IsListed(string name) => name.EndsWith('.') || name.EndsWith('_')
            ? listed.Any(l => l.StartsWith(name + "<", StringComparison.Ordinal))
            // A money stem (exposure_peak) is listed as its currency family (exposure_peak_<ccy>).
            : vocabulary.Has(name, MetricShape.Value) || listed.Contains(name + "_<ccy>");
        var missing = Constants().Where(c => !IsListed(c.Name)).Select(c => $"{c.Class}.{c.Field} ({c.Name})").ToList();
        Assert.True(missing.Count == 0, "not in MetricCatalog (lab list metrics): " + string.Join(", ", missing));
    }

    [Fact]
    public void The_check_finds_the_bft_counters_and_would_miss_a_constant_nobody_listed()
    {
        var names = Constants().Select(c => c.Name).ToList();
        Assert.Contains("pbft_invalid_view_changes", names);
        Assert.Contains("pbft_invalid_new_views", names);
        Assert.Contains("hotstuff_invalid_certificates", names);
        Assert.Contains("hotstuff_unsafe_proposals", names);
        Assert.Contains("pbft_invalid_new_views", Listed());
        Assert.DoesNotContain("pbft_invalid_new_view", Listed());
    }

    [Fact]
    public void The_supply_chain_metrics_are_constants_the_check_sees_and_the_catalog_lists()
    {
        var constants = Constants().Where(c => c.Class == nameof(Lab.Finance.SupplyChain.SupplyChainMetrics)).Select(c => c.Name).ToList();
        Assert.Equal(
            ["scf_seekers.", "scf_financed_share.", "scf_financed_amount_share.", "scf_financed_amount.", "scf_time_to_cash_median_s.", "scf_financing_cost.",
             "scf_time_to_cash_s", "scf_double_financing_attempts", "scf_double_financed", "scf_double_financing_stopped", "scf_on_chain", "voucher_start_s", "voucher_end_s",
             "journey_payable", "journey_stage", "journey_who", "journey_at_s", "journey_detail"],
            constants);
        var listed = Listed();
        Assert.Contains("scf_financed_share.<tier>", listed);
        Assert.Contains("scf_double_financing_stopped", listed);
    }

    [Fact]
    public void Chain_models_get_the_chain_words_and_gossip_its_own()
    {
        var raft = ModelRegistry.Default.Find(ModelKind.Protocol, "raft")!;
        var gossip = ModelRegistry.Default.Find(ModelKind.Protocol, "gossip")!;
        Assert.Equal("commit_latency_s", MetricCatalog.WordsOf(raft).Single(w => w.Word == "latency").Metric);
        Assert.Equal("rumour_latency_s", MetricCatalog.WordsOf(gossip).Single(w => w.Word == "latency").Metric);
        // Every word names a metric its model lists.
        foreach (var model in ModelRegistry.Default.Models)
            foreach (var word in MetricCatalog.WordsOf(model))
                Assert.True(ChartVocabulary.Declared(MetricCatalog.Of(model).Select(m => m.Name), [], []).Has(word.Metric, MetricShape.Value),
                    $"{model.Name}: word '{word.Word}' means {word.Metric}, which its metrics do not list");
    }
}
