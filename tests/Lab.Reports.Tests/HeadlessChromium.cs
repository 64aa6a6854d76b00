using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab.Reports.Html;

namespace Lab.Reports.Tests;

/// <summary>
/// Opens a page in Debian's headless Chromium (window 1280 × 900) and reports what a reader's browser
/// would see: how many images loaded and are visible, which did not load, every script error, console
/// message and security-policy violation (a request the policy stops never leaves), every request the page
/// made (its resource timings, failed ones included), whether the page is wider than the window, and how the first interactive
/// chart's legend reads before and after a synthetic hover. A small checker script is injected into a
/// copy of the page; the copy's policy is widened by that one script's hash only.
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
        window.addEventListener('load', function () { setTimeout(function () {
          var imgs = Array.prototype.slice.call(document.images);
          var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).map(function (i) { return i.alt; });
          var visible = imgs.filter(function (i) { return i.getBoundingClientRect().width > 0; }).length;
          var hover = null, over = document.querySelector('.u-over');
          if (over) {
            var figure = over.closest('figure');
            var legend = function () { return Array.prototype.map.call(figure.querySelectorAll('.u-legend .u-value'), function (v) { return v.textContent; }).join(' | '); };
            var before = legend(), r = over.getBoundingClientRect();
            var at = { clientX: r.left + r.width * 0.6, clientY: r.top + r.height / 2, bubbles: true };
            over.dispatchEvent(new MouseEvent('mouseenter', at));
            over.dispatchEvent(new MouseEvent('mousemove', at));
            hover = { chart: figure.id, before: before, after: legend() };
          }
          var step = null, now = document.querySelector('#follow .follow-now');
          if (now) {
            document.getElementById('follow').scrollIntoView();
            var first = now.textContent;
            document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
            step = { before: first, after: now.textContent };
          }
          var out = document.createElement('pre');
          out.id = 'lab-check';
          out.textContent = JSON.stringify({
            images: imgs.length, visible: visible, broken: broken, errors: window.__labErrors, hover: hover, step: step,
            live: document.querySelectorAll('figure.live').length,
            resources: performance.getEntriesByType('resource').map(function (e) { return e.name; }),
            pageWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth });
          document.body.appendChild(out);
        }, 200); });
        </script>
        """;

    /// <param name="Images">All img elements; <paramref name="Visible"/> of them take up space on the page.</param>
    /// <param name="Hover">The first interactive chart's legend values before and after a synthetic hover; null when the page has none.</param>
    /// <param name="Live">Charts redrawn interactively.</param>
    /// <param name="Requests">Every URL the page requested (resource timings), other than the page itself and data: URLs.</param>
    /// <param name="Step">The step-through's current step before and after a synthetic → key; null when the page has none.</param>
    public sealed record PageCheck(int Images, int Visible, IReadOnlyList<string> Broken, IReadOnlyList<string> Errors, IReadOnlyList<string> Console,
        HoverCheck? Hover, int Live, IReadOnlyList<string> Requests, int PageWidth, int WindowWidth, StepCheck? Step = null);

    public sealed record StepCheck(string Before, string After);

    public sealed record HoverCheck(string Chart, string Before, string After);

    /// <param name="pageScripts">False: the page's own scripts are kept from running (the policy names the checker
    /// only), as for a reader whose browser runs no script. (Chromium's own switch for that also stops
    /// <c>--dump-dom</c>, so the check could not report.)</param>
    public static PageCheck Open(string htmlFile, bool pageScripts = true)
    {
        var work = Directory.CreateTempSubdirectory("lab-chromium-").FullName;
        try
        {
            var html = File.ReadAllText(htmlFile);
            var checker = InteractiveCharts.Sha256Source(Checker[(Checker.IndexOf('>') + 1)..Checker.LastIndexOf("</script>", StringComparison.Ordinal)]);
            if (html.Contains("script-src 'none'", StringComparison.Ordinal))
                html = html.Replace("script-src 'none'", "script-src " + checker, StringComparison.Ordinal);
            else
            {
                Assert.Contains("script-src 'sha256-", html, StringComparison.Ordinal);
                html = pageScripts
                    ? html.Replace("script-src 'sha256-", "script-src " + checker + " 'sha256-", StringComparison.Ordinal)
                    : Regex.Replace(html, "script-src[^\"]*\"", "script-src " + checker + "\"");
            }
            var head = html.IndexOf("<meta charset=\"utf-8\">", StringComparison.Ordinal);
            Assert.True(head >= 0, "the page has no <meta charset> to put the checker after");
            html = html.Insert(head + "<meta charset=\"utf-8\">".Length, "\n" + Checker);
            var page = Path.Combine(work, "page.html");
            File.WriteAllText(page, html);
            var (dom, log) = Run(page, work, []);

            var match = Regex.Match(dom, "<pre id=\"lab-check\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, $"the checker did not report (did the page load?). DOM starts: {dom[..Math.Min(500, dom.Length)]}\nstderr:\n{log}");
            using var json = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = json.RootElement;
            var console = log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            var pageUri = new Uri(page).AbsoluteUri;
            var requests = root.GetProperty("resources").EnumerateArray().Select(e => e.GetString() ?? "")
                .Where(u => u != pageUri && !u.StartsWith("data:", StringComparison.Ordinal))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            var hover = root.GetProperty("hover");
            var step = root.GetProperty("step");
            return new PageCheck(
                root.GetProperty("images").GetInt32(),
                root.GetProperty("visible").GetInt32(),
                root.GetProperty("broken").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                root.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                console,
                hover.ValueKind == JsonValueKind.Null ? null
                    : new HoverCheck(hover.GetProperty("chart").GetString()!, hover.GetProperty("before").GetString()!, hover.GetProperty("after").GetString()!),
                root.GetProperty("live").GetInt32(),
                requests,
                root.GetProperty("pageWidth").GetInt32(),
                root.GetProperty("windowWidth").GetInt32(),
                step.ValueKind == JsonValueKind.Null ? null : new StepCheck(step.GetProperty("before").GetString()!, step.GetProperty("after").GetString()!));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (string Dom, string Log) Run(string page, string work, IReadOnlyList<string> extra)
    {
        var exe = Executable ?? throw new InvalidOperationException("chromium not found");
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={Path.Combine(work, "profile")}",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,900", "--virtual-time-budget=10000", .. extra,
            "--dump-dom", new Uri(page).AbsoluteUri,
        ];
        foreach (var a in arguments) start.ArgumentList.Add(a);
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
        return (dom, log);
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
