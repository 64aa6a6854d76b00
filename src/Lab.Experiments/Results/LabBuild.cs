using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Lab.Experiments.Results;

/// <summary>Which lab produced a result: its version, the exact build of the code that computes results, and the git commit.</summary>
public static class LabBuild
{
    public static string Version => typeof(LabBuild).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// A fingerprint of the compiled code that computes results: the module version ids of Lab.Experiments
    /// and every Lab assembly it uses (kernel, protocols, finance, reports). Builds are deterministic, so
    /// the same sources give the same ids and any change to them gives new ones; the version number alone
    /// would not notice an edit. A resumed sweep must run on the same build to be byte-identical.
    /// </summary>
    public static string Id { get; } = Fingerprint();

    private static string Fingerprint()
    {
        var seen = new SortedDictionary<string, Guid>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(LabBuild).Assembly]);
        while (pending.TryPop(out var a))
        {
            var name = a.GetName().Name!;
            if (!seen.TryAdd(name, a.ManifestModule.ModuleVersionId)) continue;
            foreach (var r in a.GetReferencedAssemblies())
                if (r.Name is { } n && n.StartsWith("Lab.", StringComparison.Ordinal) && !seen.ContainsKey(n))
                    pending.Push(Assembly.Load(r));
        }
        var text = string.Join("\n", seen.Select(kv => $"{kv.Key} {kv.Value:N}"));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The commit of the lab's source tree, if it is a git checkout and git is installed.</summary>
    public static string? GitCommit => Commit.Value;

    private static readonly Lazy<string?> Commit = new(ReadCommit);

    private static string? ReadCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", AppContext.BaseDirectory, "rev-parse", "HEAD"])
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && output.Length == 40 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return null; }
    }
}
