using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab.Reports.Html;

namespace Lab.Reports.Tests;

/// <summary>
/// Opens a page in Debian's headless Chromium and reports what a reader's browser would see: how many
/// images loaded, which did not, and every script error, console message and security-policy
/// violation. A small checker script is injected into a copy of the page (the report itself has none
/// and forbids scripts, so the copy's policy is relaxed for that one inline script only).
/// </summary>
internal static class HeadlessChromium
{
    public static string? Executable { get; } = Find();

    /// <summary>Where Chromium is, or null: <c>LAB_CHROMIUM</c>, else chromium / chromium-browser / google-chrome on PATH.</summary>
    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("LAB_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private const string Checker = """
        <script>
        window.__labErrors = [];
        window.addEventListener('error', function (e) { window.__labErrors.push('error: ' + (e.message || ('failed to load ' + (e.target && e.target.tagName)))); }, true);
        document.addEventListener('securitypolicyviolation', function (e) { window.__labErrors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI); });
        console.error = function () { window.__labErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); };
        window.addEventListener('load', function () {
          var imgs = Array.prototype.slice.call(document.images);
          var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).map(function (i) { return i.alt; });
          var out = document.createElement('pre');
          out.id = 'lab-check';
          out.textContent = JSON.stringify({ images: imgs.length, broken: broken, errors: window.__labErrors });
          document.body.appendChild(out);
        });
        </script>
        """;

    public sealed record PageCheck(int Images, IReadOnlyList<string> Broken, IReadOnlyList<string> Errors, IReadOnlyList<string> Console);

    public static PageCheck Open(string htmlFile)
    {
        var exe = Executable ?? throw new InvalidOperationException("chromium not found");
        var work = Directory.CreateTempSubdirectory("lab-chromium-").FullName;
        try
        {
            var html = File.ReadAllText(htmlFile);
            Assert.Contains(HtmlReport.ContentSecurityPolicy, html, StringComparison.Ordinal);
            html = html.Replace("script-src 'none'", "script-src 'unsafe-inline'", StringComparison.Ordinal);
            var head = html.IndexOf("<meta charset=\"utf-8\">", StringComparison.Ordinal);
            Assert.True(head >= 0, "the page has no <meta charset> to put the checker after");
            html = html.Insert(head + "<meta charset=\"utf-8\">".Length, "\n" + Checker);
            var page = Path.Combine(work, "page.html");
            File.WriteAllText(page, html);

            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", $"--user-data-dir={Path.Combine(work, "profile")}",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri,
            }) start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {exe}");
            var stderr = process.StandardError.ReadToEndAsync();
            var dom = process.StandardOutput.ReadToEnd();
            // A guard against a hung browser, not a timing assertion: the page loads in about a second.
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 2 minutes");
            }
            var log = stderr.Result;
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{log}");

            var match = Regex.Match(dom, "<pre id=\"lab-check\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, $"the checker did not report (did the page load?). DOM starts: {dom[..Math.Min(500, dom.Length)]}\nstderr:\n{log}");
            using var json = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = json.RootElement;
            var console = log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            return new PageCheck(
                root.GetProperty("images").GetInt32(),
                root.GetProperty("broken").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                root.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                console);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>
/// A test that needs Chromium: skipped with a clear message when it is not installed on a developer
/// machine, but never in CI (CI=true), where a missing browser must fail the test.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null && !HeadlessChromium.InCi)
            Skip = "chromium not found on PATH (apt-get install -y chromium, or set LAB_CHROMIUM); in CI (CI=true) this test fails instead";
    }
}
