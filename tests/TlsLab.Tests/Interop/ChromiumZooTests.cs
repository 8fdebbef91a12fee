using System.Text.RegularExpressions;

namespace TlsLab.Tests.Interop;

// Real headless Chromium opens the zoo's front page (the plaintext endpoint, asked for HTML) with a throwaway
// NSS database that trusts the lab root and nothing else, the same set-up `tlslab serve` prints. The page
// fetches every endpoint from the browser and writes the browser's verdict into the DOM, which --dump-dom
// returns. Each verdict must match the scenario's expectation, except where a browser legitimately differs
// (named below). Linux only: that is where Chromium reads a per-user NSS database; elsewhere it uses the
// system's trust store, which a test must not touch.

/// <summary>What a browser decides for each scenario of the zoo, tried from the zoo's own page.</summary>
public sealed partial class ChromiumZooTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>, IDisposable
{
    /// <summary>Scenarios a browser refuses although a careful .NET client connects, and why.</summary>
    private static readonly Dictionary<string, string> BrowserDiffers = new(StringComparer.Ordinal)
    {
        ["cbc-only"] = "Chromium offers no CBC suite with an ECDSA certificate, so there is no suite in common",
        ["client-cert-required"] = "the browser has no client certificate to send (a .NET client with the lab's client certificate connects)",
    };

    // Refused by a .NET client, connected by the browser.
    private static readonly Dictionary<string, string> BrowserDoesNotNotice = new(StringComparer.Ordinal)
    {
        ["revoked"] = "Chromium does not ask a CRL or OCSP responder online (it relies on the revocation lists it is pushed), so it never " +
            "learns of a revocation by the lab's intermediate",
    };

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("tlslab-chromium-home-");

    [Fact]
    public async Task A_browser_trusting_only_the_lab_root_decides_every_scenario_as_the_manifest_says()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Chromium reads a per-user NSS trust store only on Linux; elsewhere this test would need the system's.");
        var chromium = ExternalTool.Find("chromium") ?? ExternalTool.Find("chromium-browser");
        var certutil = ExternalTool.Find("certutil");
        Assert.SkipWhen(chromium is null, "chromium is not on PATH (Debian: apt install chromium); the zoo's browser page is not checked.");
        Assert.SkipWhen(certutil is null, "certutil is not on PATH (Debian: apt install libnss3-tools); no throwaway trust store can be made.");

        var nss = Path.Combine(_home.FullName, ".pki", "nssdb");
        Directory.CreateDirectory(nss);
        var made = await ExternalTool.RunAsync(certutil!, ["-d", $"sql:{nss}", "-N", "--empty-password"],
            cancellationToken: TestContext.Current.CancellationToken);
        var trusted = await ExternalTool.RunAsync(certutil!, ["-d", $"sql:{nss}", "-A", "-t", "C,,", "-n", "tlslab lab root", "-i", files.Root],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(made.ExitCode == 0 && trusted.ExitCode == 0, $"certutil could not make the throwaway trust store: {made.Describe()} {trusted.Describe()}");

        var zoo = fixture.Lab["plaintext"].Url;
        var run = await ExternalTool.RunAsync("/usr/bin/env",
            [$"HOME={_home.FullName}", chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                $"--user-data-dir={Path.Combine(_home.FullName, "profile")}", "--virtual-time-budget=20000", "--dump-dom", zoo.ToString()],
            timeout: TimeSpan.FromMinutes(2), cancellationToken: TestContext.Current.CancellationToken);
        var verdicts = Verdict().Matches(run.StandardOutput).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["verdict"].Value);
        Assert.True(verdicts.Count > 0, $"Chromium's DOM of {zoo} holds no verdicts. {run.Describe()}");

        var table = new List<string>();
        var wrong = new List<string>();
        foreach (var endpoint in fixture.Lab.Endpoints)
        {
            var expected = BrowserDoesNotNotice.ContainsKey(endpoint.Name)
                || (endpoint.ShouldConnect && !BrowserDiffers.ContainsKey(endpoint.Name)) ? "connected" : "refused";
            var seen = verdicts.GetValueOrDefault(endpoint.Name, "(no verdict)");
            var why = BrowserDiffers.TryGetValue(endpoint.Name, out var reason) || BrowserDoesNotNotice.TryGetValue(endpoint.Name, out reason)
                ? $" (a browser differs: {reason})" : "";
            table.Add($"{endpoint.Name,-22} manifest {(endpoint.ShouldConnect ? "ok" : "reject"),-7} browser {seen}{why}");
            if (seen != expected)
            {
                wrong.Add($"{endpoint.Name}: the browser {seen}, expected {expected}");
            }
        }

        // The same endpoints under other names (wildcard's near misses, sni-multi's second name), which the page tries too.
        var alsoSeen = AlsoVerdict().Matches(run.StandardOutput).ToDictionary(m => m.Groups["host"].Value, m => m.Groups["verdict"].Value);
        foreach (var endpoint in fixture.Lab.Endpoints)
        {
            foreach (var also in endpoint.Scenario.AlsoTry)
            {
                var expected = also.Accepted ? "connected" : "refused";
                var seen = alsoSeen.GetValueOrDefault(also.Host, "(no verdict)");
                table.Add($"{endpoint.Name + " as " + also.Host,-22} expected {expected,-9} browser {seen} ({also.Why})");
                if (seen != expected)
                {
                    wrong.Add($"{endpoint.Name} as {also.Host}: the browser {seen}, expected {expected} ({also.Why})");
                }
            }
        }

        // The page colours agreement with a correct client, not "connected": a browser connecting to revoked is not a success.
        var judged = Judged().Matches(run.StandardOutput).Select(m => (Probe: m.Groups["who"].Value, Agrees: m.Groups["agrees"].Value)).ToList();
        var cells = Regex.Count(run.StandardOutput, "class=\"verdict\"");
        if (judged.Count != cells)
        {
            wrong.Add($"The page judged {judged.Count} of its {cells} verdicts against a correct client (data-agrees).");
        }

        wrong.AddRange(judged.Where(j => j.Agrees == "no").Select(j => $"{j.Probe}: the page says the browser disagrees with a correct client"));
        if (judged.FirstOrDefault(j => j.Probe == "revoked").Agrees is { } revoked && revoked != "known")
        {
            wrong.Add($"revoked: the page should show the browser's connection as a known browser difference, not '{revoked}'.");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, table));
        Assert.True(wrong.Count == 0, $"Chromium, trusting only the lab root, decided differently from the manifest:{Environment.NewLine}" +
            string.Join(Environment.NewLine, wrong) + Environment.NewLine + "All verdicts:" + Environment.NewLine + string.Join(Environment.NewLine, table));
    }

    public void Dispose()
    {
        try
        {
            _home.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may hold its profile for a moment after exiting.
        }
    }

    [GeneratedRegex("data-scenario=\"(?<name>[a-z0-9-]+)\"[^>]*data-verdict=\"(?<verdict>connected|refused)\"")]
    private static partial Regex Verdict();

    [GeneratedRegex("data-(?:scenario|also)=\"(?<who>[a-z0-9.-]+)\"[^>]*data-agrees=\"(?<agrees>yes|no|known)\"")]
    private static partial Regex Judged();

    [GeneratedRegex("data-also=\"(?<host>[a-z0-9.-]+)\"[^>]*data-verdict=\"(?<verdict>connected|refused)\"")]
    private static partial Regex AlsoVerdict();
}
