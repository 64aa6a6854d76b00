using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;

namespace Lab.Experiments.Network;

/// <summary>
/// Network presets: YAML files holding the keys of a <c>network</c> section, found by name in
/// <c>scenarios/presets/networks/</c> (searched upwards from the experiment file, the working directory
/// and the lab's own folder) or by a path relative to the file that names them. A preset may name
/// another preset to start from; cycles are errors. Preset files are read within the file-size limit
/// and named in messages so that the name leads to them from the working directory.
/// </summary>
public sealed class NetworkPresets(IReadOnlyList<string> searchDirectories, InputFiles? files = null)
{
    private readonly InputFiles _files = files ?? new InputFiles(InputLimits.Default);

    private readonly Dictionary<string, Dictionary<string, ConfigValue>?> _cache = new(StringComparer.Ordinal);

    /// <summary>Preset folders above the experiment file, the working directory and the lab binary.</summary>
    public static NetworkPresets For(string experimentDirectory, InputFiles? files = null)
    {
        var dirs = new List<string>();
        foreach (var start in new[] { experimentDirectory, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(Path.GetFullPath(start)); d is not null; d = d.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(d.FullName, "scenarios", "presets", "networks"), Path.Combine(d.FullName, "presets", "networks") })
                    if (Directory.Exists(candidate) && !dirs.Contains(candidate)) dirs.Add(candidate);
            }
        }
        return new NetworkPresets(dirs, files);
    }

    public IReadOnlyList<string> SearchDirectories => searchDirectories;

    /// <summary>Preset names available, sorted.</summary>
    public IReadOnlyList<string> Names =>
        [.. searchDirectories.SelectMany(d => Directory.GetFiles(d, "*.yaml")).Select(f => Path.GetFileNameWithoutExtension(f)!).Distinct().Order(StringComparer.Ordinal)];

    public string? PathOf(string name) =>
        searchDirectories.Select(d => Path.Combine(d, name + ".yaml")).FirstOrDefault(File.Exists);

    /// <summary>The preset's network keys (as <c>network.*</c> paths), or null after reporting why not.</summary>
    public Dictionary<string, ConfigValue>? Load(string reference, SourceMark at, string baseDirectory, ExperimentSchema schema, Diagnostics diagnostics) =>
        Load(reference, _origin = at, baseDirectory, schema, diagnostics, []);

    private SourceMark _origin;

    private Dictionary<string, ConfigValue>? Load(string reference, SourceMark at, string baseDirectory, ExperimentSchema schema, Diagnostics diagnostics, List<string> chain)
    {
        string? path;
        var isPath = reference.Contains('/') || reference.EndsWith(".yaml", StringComparison.Ordinal) || reference.EndsWith(".yml", StringComparison.Ordinal);
        if (isPath)
        {
            path = Path.GetFullPath(Path.Combine(baseDirectory, reference));
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                diagnostics.Error(at, "network.preset", $"preset file '{reference}' not found");
                return null;
            }
        }
        else
        {
            path = PathOf(reference);
            if (path is null)
            {
                var names = Names;
                var hint = Schema.Suggest.Closest(reference, names);
                diagnostics.Error(at, "network.preset", $"unknown network preset '{reference}'" +
                    (hint is not null ? $"; did you mean '{hint}'?" : names.Count > 0 ? $" (known: {string.Join(", ", names)})" : ""));
                return null;
            }
        }
        if (chain.Contains(path))
        {
            var cycle = chain.Skip(chain.IndexOf(path)).Append(path).Select(Path.GetFileName);
            // Reported where the experiment names the first preset: that is the file the user is editing.
            diagnostics.Error(chain.Count > 0 ? _origin : at, "network.preset", "circular preset reference: " + string.Join(" → ", cycle));
            return null;
        }
        if (_cache.TryGetValue(path, out var cached)) return cached;

        var file = _files.Display(path);
        byte[] bytes;
        try { bytes = _files.ReadText(path); }
        catch (InputFileException e)
        {
            diagnostics.Error(at, "network.preset", $"preset file {file} {e.Message}");
            _cache[path] = null;
            return null;
        }
        var root = YamlReader.Read(file, bytes, diagnostics, _files.Limits);
        Dictionary<string, ConfigValue>? result = null;
        if (root is YMapping map)
        {
            var binder = new ConfigBinder(schema, diagnostics, Path.GetDirectoryName(path)!, _files);
            var own = binder.Bind(map, "preset " + Path.GetFileNameWithoutExtension(path), "network");
            result = [];
            if (own.TryGetValue("network.preset", out var parent) && parent.Value is string parentRef)
            {
                var inherited = Load(parentRef, parent.Node.Mark, Path.GetDirectoryName(path)!, schema, diagnostics, [.. chain, path]);
                if (inherited is null) { _cache[path] = null; return null; }
                foreach (var (k, v) in inherited) result[k] = v;
            }
            foreach (var (k, v) in own) if (k != "network.preset") result[k] = v;
        }
        else if (root is not null) diagnostics.Error(root.Mark, "network.preset", $"preset '{reference}' must be a mapping of network keys");
        _cache[path] = result;
        return result;
    }
}
