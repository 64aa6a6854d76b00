namespace Lab.Reports.Tests;

public sealed class BrowserTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lab-browser-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void RequireChromium() =>
        Assert.True(HeadlessChromium.Executable is not null, "CI=true but chromium is not installed (.ci/run installs it with apt-get)");

    [ChromiumFact]
    public void Every_chart_of_the_report_loads_in_chromium_without_console_errors()
    {
        RequireChromium();
        foreach (var (name, result) in new[] { ("gossip", Results.GossipSweep()), ("settlement", Results.Settlement(200)) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
            var outcome = ReportWriter.Write(result, folder, [new("lab version", "test")]);
            var page = HeadlessChromium.Open(Path.Combine(folder, "report.html"));
            Assert.True(outcome.Charts.Count >= 4, $"only {outcome.Charts.Count} charts");
            Assert.Equal(outcome.Charts.Count, page.Images);
            Assert.Empty(page.Broken);
            Assert.Empty(page.Errors);
            Assert.Empty(page.Console);
        }
    }

    [ChromiumFact]
    public void The_browser_check_catches_a_corrupt_image_an_external_resource_and_a_script_error()
    {
        // The check above must be able to fail: a page with a corrupt image and a throwing script.
        RequireChromium();
        ReportWriter.WriteAll(Results.Counters("x", 1, 2), _folder, []);
        var path = Path.Combine(_folder, "report.html");
        var html = File.ReadAllText(path).Replace("</main>",
            "<img alt=\"corrupt\" src=\"data:image/png;base64,AAAA\"><img alt=\"remote\" src=\"https://example.invalid/x.png\"><script>throw new Error('boom');</script></main>", StringComparison.Ordinal);
        File.WriteAllText(path, html);
        var page = HeadlessChromium.Open(path);
        Assert.Equal(["corrupt", "remote"], page.Broken.Order(StringComparer.Ordinal));
        Assert.Contains(page.Errors, e => e.StartsWith("csp: img-src https://example.invalid", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(page.Console, l => l.Contains("Uncaught Error: boom", StringComparison.Ordinal));
    }
}
