using System.Globalization;

namespace Lab.Cli.Commands;

/// <summary>A small option parser: flags, options with a value (<c>--x v</c> or <c>--x=v</c>), positionals.</summary>
public sealed class Options
{
    public List<string> Positionals { get; } = [];
    public List<(string Name, string? Value)> Given { get; } = [];

    public static Options Parse(string[] args, IReadOnlySet<string> withValue, IReadOnlySet<string> flags)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") { o.Positionals.AddRange(args[(i + 1)..]); break; }
            if (!a.StartsWith('-') || a == "-") { o.Positionals.Add(a); continue; }
            var name = a;
            string? value = null;
            var eq = a.IndexOf('=');
            if (eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            if (flags.Contains(name))
            {
                if (value is not null) throw new UsageException($"{name} takes no value");
                o.Given.Add((name, null));
            }
            else if (withValue.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Length) throw new UsageException($"{name} needs a value");
                    value = args[++i];
                }
                o.Given.Add((name, value));
            }
            else
            {
                var hint = Experiments.Schema.Suggest.Closest(name, withValue.Concat(flags));
                throw new UsageException($"unknown option '{name}'" + (hint is null ? "" : $"; did you mean '{hint}'?"));
            }
        }
        return o;
    }

    public bool Has(string name) => Given.Any(g => g.Name == name);
    public IEnumerable<string> All(string name) => Given.Where(g => g.Name == name).Select(g => g.Value!);
    public string? Last(string name) => Given.LastOrDefault(g => g.Name == name).Value;

    public int? Int(string name, int min, int max)
    {
        var v = Last(name);
        if (v is null) return null;
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new UsageException($"{name}: expected a whole number from {min} to {max}, got '{v}'");
        return n;
    }
}
