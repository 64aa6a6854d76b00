using Lab.Experiments.Models;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Tests;

/// <summary>The committed JSON Schema and key reference must be what the key definitions generate.</summary>
public class SchemaDocumentTests
{
    private static readonly ExperimentSchema Schema = ExperimentSchema.For(ModelRegistry.Default);

    [Fact]
    public void Committed_json_schema_is_the_generated_one()
    {
        var committed = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), "scenarios", "experiment.schema.json"));
        Assert.True(committed == Schema.ToJsonSchema(), "scenarios/experiment.schema.json is stale: run ./lab schema --write");
    }

    [Fact]
    public void Committed_key_reference_is_the_generated_one()
    {
        var readme = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), "scenarios", "README.md"));
        var spliced = ExperimentSchema.SpliceReference(readme, Schema.ToMarkdownReference(ModelRegistry.Default));
        Assert.True(readme == spliced, "the key reference in scenarios/README.md is stale: run ./lab schema --write");
    }

    [Fact]
    public void Every_common_key_appears_in_the_reference_and_the_json_schema()
    {
        var md = Schema.ToMarkdownReference(ModelRegistry.Default);
        var json = Schema.ToJsonSchema();
        foreach (var k in Schema.Keys)
        {
            Assert.Contains($"`{k.Path}`", md);
            Assert.Contains($"\"{k.Name.Replace("[]", "")}\"", json);
        }
    }

    [Fact]
    public void A_model_key_clashing_with_a_common_key_is_refused()
    {
        var clash = new SchemaKey("chain.nodes", KeyType.Integer, "again");
        Assert.Throws<ArgumentException>(() => new ExperimentSchema([.. CommonKeys.Build(ModelRegistry.Default), clash]));
    }
}
