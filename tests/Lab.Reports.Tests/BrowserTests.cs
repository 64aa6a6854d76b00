using System.Text.RegularExpressions;
using Lab.Reports.Html;

namespace Lab.Reports.Tests;

public sealed class BrowserTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lab-browser-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void RequireChromium() =>
        Assert.True(HeadlessChromium.Executable is not null, "CI=true but chromium is not installed (.ci/run installs it with apt-get)");

    [ChromiumFact]
    public void Every_chart_of_the_report_loads_in_chromium_interactive_where_it_can_with_no_error_and_no_request()
    {
        RequireChromium();
        foreach (var (name, result) in new[] { ("gossip", Results.GossipSweep()), ("settlement", Results.Settlement(200)) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
            var outcome = ReportWriter.Write(result, folder, [new("lab version", "test"), new("results folder", new string('x', 300))]);
            var path = Path.Combine(folder, "report.html");
            var interactive = Regex.Matches(File.ReadAllText(path), "<figure id=\"chart-[^\"]*\" data-chart=").Count;
            var page = HeadlessChromium.Open(path);
            Assert.True(outcome.Charts.Count >= 4, $"only {outcome.Charts.Count} charts");
            Assert.True(interactive >= 2, $"only {interactive} interactive charts in {name}");
            Assert.Equal(outcome.Charts.Count, page.Images);
            Assert.Empty(page.Broken);
            Assert.Empty(page.Errors);
            Assert.Empty(page.Console);
            Assert.Empty(page.Requests);
            // Every interactive chart was drawn and its static image put aside; the others still show their image.
            Assert.Equal(interactive, page.Live);
            Assert.Equal(outcome.Charts.Count - interactive, page.Visible);
            // Tables and long provenance values stay inside a 1280-px window (they scroll or wrap in their box).
            Assert.True(page.PageWidth <= page.WindowWidth, $"{name}: the page is {page.PageWidth} px wide in a {page.WindowWidth} px window");
            // Hovering the first chart fills its legend with the values under the cursor.
            Assert.NotNull(page.Hover);
            Assert.NotEqual(page.Hover.Before, page.Hover.After);
            Assert.Matches(@"\d", page.Hover.After);
        }
    }

    [ChromiumFact]
    public void With_scripts_disabled_the_static_charts_show()
    {
        RequireChromium();
        var outcome = ReportWriter.Write(Results.Settlement(200), _folder, []);
        var path = Path.Combine(_folder, "report.html");
        Assert.Contains("data-chart=", File.ReadAllText(path), StringComparison.Ordinal);
        var page = HeadlessChromium.Open(path, pageScripts: false);
        // No script of the page ran: no figure switched to its interactive copy, every static image shows.
        Assert.Equal(0, page.Live);
        Assert.Equal(outcome.Charts.Count, page.Images);
        Assert.Equal(outcome.Charts.Count, page.Visible);
        Assert.Empty(page.Broken);
        Assert.Null(page.Hover);
        Assert.All(page.Errors, e => Assert.StartsWith("csp: script-src-elem inline", e, StringComparison.Ordinal));
        Assert.NotEmpty(page.Errors);
    }

    [ChromiumFact]
    public void The_browser_check_catches_a_corrupt_image_an_external_resource_and_a_script_error()
    {
        // The check above must be able to fail: a page with a corrupt image and a throwing script.
        RequireChromium();
        ReportWriter.WriteAll(Results.Counters("x", 1, 2), _folder, []);
        var path = Path.Combine(_folder, "report.html");
        // A script the policy names by hash runs (and throws); one it does not name is stopped.
        const string boom = "throw new Error('boom');";
        var html = File.ReadAllText(path).Replace("script-src 'none'", "script-src " + InteractiveCharts.Sha256Source(boom), StringComparison.Ordinal).Replace("</main>",
            $"<img alt=\"corrupt\" src=\"data:image/png;base64,AAAA\"><img alt=\"remote\" src=\"https://example.invalid/x.png\"><script>{boom}</script>"
            + "<script>document.title = 'injected';</script><div style=\"width: 3000px\">too wide</div></main>", StringComparison.Ordinal);
        File.WriteAllText(path, html);
        var page = HeadlessChromium.Open(path);
        Assert.Equal(["corrupt", "remote"], page.Broken.Order(StringComparer.Ordinal));
        Assert.Contains(page.Errors, e => e.StartsWith("csp: img-src https://example.invalid", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.StartsWith("csp: script-src-elem inline", StringComparison.Ordinal));
        Assert.Contains(page.Console, l => l.Contains("Uncaught Error: boom", StringComparison.Ordinal));
        Assert.True(page.PageWidth > page.WindowWidth, $"a 3000-px block went unnoticed ({page.PageWidth} px)");
    }

    [ChromiumFact]
    public void The_request_check_sees_a_request_the_policy_lets_through()
    {
        // The report's policy stops every request; with that policy gone, the check must see the page reach out.
        RequireChromium();
        ReportWriter.WriteAll(Results.Counters("x", 1, 2), _folder, []);
        var path = Path.Combine(_folder, "report.html");
        var html = File.ReadAllText(path).Replace("default-src 'none'; img-src data:;", "img-src *;", StringComparison.Ordinal)
            .Replace("</main>", "<img alt=\"remote\" src=\"http://127.0.0.1:9/x.png\"></main>", StringComparison.Ordinal);
        File.WriteAllText(path, html);
        var page = HeadlessChromium.Open(path);
        Assert.Contains("http://127.0.0.1:9/x.png", page.Requests);
    }

    [ChromiumFact]
    public void The_arrow_key_steps_through_a_followed_trade_with_no_error_and_no_request()
    {
        RequireChromium();
        ReportWriter.Write(Results.Settlement(50) with { Follow = Results.Journeys() }, _folder, []);
        var page = HeadlessChromium.Open(Path.Combine(_folder, "report.html"));
        Assert.Empty(page.Errors);
        Assert.Empty(page.Console);
        Assert.Empty(page.Requests);
        Assert.True(page.PageWidth <= page.WindowWidth, $"the page is {page.PageWidth} px wide in a {page.WindowWidth} px window");
        Assert.NotNull(page.Step);
        Assert.StartsWith("Step 1 of 5 · t+1: Executed", page.Step.Before, StringComparison.Ordinal);
        Assert.StartsWith("Step 2 of 5 · on-chain: Executed", page.Step.After, StringComparison.Ordinal);
    }
}
