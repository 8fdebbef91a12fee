using System.Diagnostics;

namespace TlsLab.Slides.Tests;

/// <summary>
/// The deck renders to HTML and PDF with the pinned marp-cli, and in a real browser no slide's
/// content overflows its frame or shrinks below projector size. Needs Node.js, slides/node_modules
/// (npm ci) and an installed Chromium or Chrome; skips, saying which is missing, where they are absent.
/// </summary>
public sealed class DeckRenderTests
{
    private static readonly string[] BrowserCandidates =
    [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium",
        @"C:\Program Files\Google\Chrome\Application\chrome.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    ];

    [Fact]
    public async Task The_deck_renders_to_html_and_pdf_and_no_slide_overflows()
    {
        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        if (node is null)
        {
            Assert.Skip("Node.js is not installed, so the deck's rendering is not checked here. To check it: install Node.js 18 or later, run `npm " +
                "ci` in slides/, and install Chromium or Chrome.");
        }

        var slides = Repository.File("slides");
        foreach (var package in new[] { Path.Combine("@marp-team", "marp-cli"), "puppeteer-core" })
        {
            if (!Directory.Exists(Path.Combine(slides, "node_modules", package)))
            {
                Assert.Skip($"slides/node_modules has no {package.Replace('\\', '/')}: run `npm ci` in slides/ (once, online) to check the deck's rendering.");
            }
        }

        var browser = new[] { Environment.GetEnvironmentVariable("CHROME_PATH") }.Concat(BrowserCandidates)
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (browser is null)
        {
            Assert.Skip("No Chromium or Chrome is installed (or named by CHROME_PATH), so the deck's rendering is not checked. On Debian: apt-get " +
                "install -y chromium. The kit never downloads a browser.");
        }

        var output = Directory.CreateTempSubdirectory("tlslab-deck-").FullName;
        try
        {
            var start = new ProcessStartInfo(node, ["tools/render.mjs", "--out", output])
            {
                WorkingDirectory = slides,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["CHROME_PATH"] = browser;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("Rendering the deck took more than 5 minutes; is the browser hanging? Try `node tools/render.mjs` in slides/ by hand.");
            }

            var text = (await stdout) + (await stderr);
            TestContext.Current.TestOutputHelper?.WriteLine(text);
            Assert.True(process.ExitCode == 0, $"node tools/render.mjs (in slides/, browser {browser}) exited with {process.ExitCode}:\n{text}");
            Assert.True(File.Exists(Path.Combine(output, "deck.html")), $"No deck.html was written to {output}.\n{text}");
            Assert.True(File.Exists(Path.Combine(output, "deck.pdf")), $"No deck.pdf was written to {output}.\n{text}");
            Assert.Contains("none overflows", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, file))
            .FirstOrDefault(File.Exists);
}
