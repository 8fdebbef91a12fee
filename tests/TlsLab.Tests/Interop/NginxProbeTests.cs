using System.Text.Json;
using TlsLab.Cli.Probe;
using TlsLab.Tests.Probe;
using TlsLab.Wire;

namespace TlsLab.Tests.Interop;

// Test strategy: the probe is graded against a server the kit did not make. nginx-light is started on loopback with its own temporary
// configuration for each of Mozilla's server-side TLS profiles (intermediate, modern, old), for h2 with a two-year HSTS header, and for
// an ECDSA and an RSA certificate side by side. The probe's facts are checked against openssl s_client (every version it accepts and no
// other, every suite alone, the verification verdict: ProbeAgreesWithOpenSslTests.AgreeAsync), against testssl.sh's protocol list when
// testssl is installed, and the grade of each profile is asserted: A for intermediate, A for TLS 1.3-only modern (not C), B for old
// (TLS 1.0 and 1.1), A+ for h2 with HSTS (the header read over http/1.1). Skipped, with the reason, when nginx is not installed.

/// <summary>The probe's verdict on nginx with the Mozilla profiles.</summary>
public sealed class NginxProbeTests(ProbePki pki) : IClassFixture<ProbePki>
{
    private const string IntermediateCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" +
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:" +
        "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

    // Mozilla's "old" list, with the security level lowered so that OpenSSL 3 serves TLS 1.0 and 1.1 (3DES is not in Debian's build).
    private const string OldCiphers = IntermediateCiphers + ":ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:" +
        "ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:" +
        "DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:" +
        "DES-CBC3-SHA:@SECLEVEL=0";

    public static TheoryData<string> Profiles => ["intermediate", "modern", "old", "h2-hsts"];

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_probe_grades_a_Mozilla_profile_on_nginx_and_agrees_with_openssl(string profile)
    {
        var (directives, listen, rsa, grade) = profile switch
        {
            "intermediate" => ($"ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers {IntermediateCiphers}; ssl_prefer_server_ciphers off; " +
                "ssl_dhparam {dhparam}; ssl_session_tickets off;", "ssl", false, "A"),
            "modern" => ("ssl_protocols TLSv1.3; ssl_prefer_server_ciphers off; ssl_session_tickets off;", "ssl", false, "A"),
            "old" => ($"ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; ssl_ciphers {OldCiphers}; ssl_prefer_server_ciphers on; " +
                "ssl_dhparam {dhparam};", "ssl", true, "B"),
            _ => ($"ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers {IntermediateCiphers}; ssl_prefer_server_ciphers off; ssl_dhparam {{dhparam}}; " +
                "add_header Strict-Transport-Security \"max-age=63072000\" always;", "ssl http2", false, "A+"),
        };
        await using var nginx = await NginxServer.StartAsync(directives, [(rsa ? pki.Rsa : pki.Ecdsa, pki.Chain)], listen);
        var settings = new ProbeSettings($"nginx {profile}", nginx.EndPoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
        var verdict = ServerRating.Compute(result);

        var what = $"nginx {profile} ({directives})";
        await ProbeAgreesWithOpenSslTests.AgreeAsync(what, result, nginx.Port, ProbePki.Host, pki.RootFile, []);
        await AgreeWithTestsslAsync(what, result, nginx.Port);
        Assert.True(verdict.Grade == grade, $"{what}: expected grade {grade}, the probe gave {verdict.Grade}: " +
            string.Join(" | ", verdict.Findings.Where(f => f.Severity != Finding.Ok).Select(f => f.Text)));
        switch (profile)
        {
            case "modern":
                Assert.Equal([TlsVersion.Tls13], result.Protocols.Where(p => p.Value).Select(p => p.Key));
                // ssl_prefer_server_ciphers off: in TLS 1.3 following the client is no weakness, so no warning either.
                Assert.DoesNotContain(verdict.Findings, f => f.Id == "cipher.order.tls13" && f.Severity != Finding.Ok);
                break;
            case "h2-hsts":
                Assert.Equal(["h2", "http/1.1"], result.Alpn);
                Assert.Equal(63_072_000, result.HstsMaxAge);
                break;
            case "old":
                Assert.True(result.Accepts(TlsVersion.Tls10) && result.Accepts(TlsVersion.Tls11), $"{what}: TLS 1.0 and 1.1 should be accepted.");
                Assert.True(result.FallbackScsv == true, $"{what}: nginx on OpenSSL refuses a fallback hello below its best version.");
                break;
        }

        Assert.True(result.SecureRenegotiation is true or null && result.Compression is false or null && result.Ssl3 == false,
            $"{what}: renegotiation {result.SecureRenegotiation}, compression {result.Compression}, SSL 3.0 {result.Ssl3}.");
    }

    [Fact]
    public async Task Nginx_with_an_ECDSA_and_an_RSA_certificate_shows_both()
    {
        await using var nginx = await NginxServer.StartAsync($"ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers {IntermediateCiphers};",
            [(pki.Ecdsa, pki.Chain), (pki.Rsa, pki.Chain)]);
        var settings = new ProbeSettings("nginx dual", nginx.EndPoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);

        var other = Assert.Single(result.OtherCertificates);
        Assert.Equal(["ECDSA", "RSA"], new[] { result.Chain[0].KeyType, other.Chain[0].KeyType }.Order());
        Assert.True(result.Trusted == true && other.Trusted == true, $"Both certificates are trusted: {result.Trusted}, {other.Trusted}.");
        Assert.Equal("A", ServerRating.Compute(result).Grade);
    }

    /// <summary>testssl.sh's protocol list (-p), when it is installed, must be the probe's.</summary>
    private static async Task AgreeWithTestsslAsync(string what, ProbeResult result, int port)
    {
        var testssl = ExternalTool.Find("testssl") ?? ExternalTool.Find("testssl.sh");
        if (testssl is null)
        {
            return;
        }

        var json = Path.Combine(Path.GetTempPath(), "tlslab-testssl-" + Guid.NewGuid().ToString("N")[..12] + ".json");
        try
        {
            var run = await ExternalTool.RunAsync(testssl, ["--quiet", "--warnings", "off", "--color", "0", "--jsonfile", json, "-p",
                $"127.0.0.1:{port}"], standardInput: "", timeout: TimeSpan.FromSeconds(120), cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(File.Exists(json), $"{what}: testssl wrote no JSON.\n{run.Describe()}");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
            // testssl may report an id more than once; the first line is the verdict.
            var findings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                findings.TryAdd(entry.GetProperty("id").GetString()!, entry.GetProperty("finding").GetString()!);
            }

            (string Id, ushort Version)[] versions = [("TLS1", TlsVersion.Tls10), ("TLS1_1", TlsVersion.Tls11), ("TLS1_2", TlsVersion.Tls12),
                ("TLS1_3", TlsVersion.Tls13)];
            foreach (var (id, version) in versions)
            {
                var offered = findings.TryGetValue(id, out var finding) && finding.StartsWith("offered", StringComparison.Ordinal);
                Assert.True(offered == result.Accepts(version), $"{what}: testssl says {id} '{finding}', the probe says " +
                    $"{(result.Accepts(version) ? "accepted" : "refused")}.");
            }

            Assert.True(findings.TryGetValue("SSLv3", out var ssl3) && ssl3.StartsWith("not offered", StringComparison.Ordinal) == (result.Ssl3 == false),
                $"{what}: testssl says SSLv3 '{ssl3}', the probe says {result.Ssl3}.");
        }
        finally
        {
            File.Delete(json);
        }
    }
}
