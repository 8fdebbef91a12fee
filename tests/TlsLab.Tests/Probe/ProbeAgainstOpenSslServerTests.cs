using TlsLab.Cli.Probe;
using TlsLab.Pki;
using TlsLab.Tests.Interop;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

// Test strategy: each fault the probe had is shown on a real `openssl s_server` set up to have it, and where openssl s_client can see
// the same fact it is asked too: a DHE-only server with a 1024-bit group (made by `openssl dhparam 1024`), which the probe must read
// from the ServerKeyExchange and cap at B, and which a default OpenSSL 3 client refuses ("dh key too small"); the same server with
// RFC 7919's ffdhe2048, which the probe must name; a server with an ECDSA and an RSA certificate (-cert plus -dcert), both of which
// must be found and judged; TLS_FALLBACK_SCSV, secure renegotiation and compression, checked against s_client's own view; SSL 3.0,
// which Debian's OpenSSL cannot serve, so the probe must find it refused; and a complete chain to a root the probe is not told to
// trust, which is an untrusted root (T), not a missing intermediate. Skipped without openssl.

/// <summary>The probe reads DH groups, every certificate and the legacy checks the way openssl sees them.</summary>
public sealed class ProbeAgainstOpenSslServerTests(ProbePki pki) : IClassFixture<ProbePki>
{
    [Fact]
    public async Task A_DHE_only_server_with_a_1024_bit_group_is_read_per_suite_and_capped_at_B()
    {
        var dhparam = await DhParamsAsync("dh1024.pem", ["dhparam", "-out", "{0}", "1024"]);
        await using var server = await OpenSslServer.StartAsync(pki.Rsa, pki.Chain, "-no_tls1_3", "-dhparam", dhparam,
            "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0");

        var result = await ProbeAsync(server);

        var suites = result.CipherSuites[TlsVersion.Tls12];
        Assert.True(suites.Count == 2, $"{server.CommandLine}: the probe found {string.Join(", ", suites.Select(TlsNames.CipherSuite))}.");
        Assert.All(suites, s => Assert.Equal(new KeyExchangeInfo("DH", 1024, null), result.KeyExchange[(TlsVersion.Tls12, s)]));
        var verdict = ServerRating.Compute(result);
        Assert.True(verdict.Grade == "B", $"A 1024-bit DH group caps at B (rating guide, key exchange); got {verdict.Grade}: " +
            string.Join(" | ", verdict.Findings.Where(f => f.Severity != Finding.Ok).Select(f => f.Text)));
        Assert.Contains(verdict.Findings, f => f.Id == "keyExchange.dh" && f.Severity == Finding.Bad && f.Text.Contains("1024", StringComparison.Ordinal));

        // What the issue saw: a default OpenSSL 3 client (security level 2) refuses the group.
        var client = await OpenSslClient.ConnectAsync(server.Port, ProbePki.Host, pki.RootFile, ["-tls1_2"]);
        Assert.False(client.Connected, $"openssl s_client at its default security level should refuse a 1024-bit DH group.\n{client.Run.Describe()}");
        Assert.Contains("dh key too small", client.Run.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_RFC_7919_group_is_named_and_not_capped()
    {
        var dhparam = await DhParamsAsync("ffdhe2048.pem", ["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", "{0}"]);
        await using var server = await OpenSslServer.StartAsync(pki.Rsa, pki.Chain, "-no_tls1_3", "-dhparam", dhparam,
            "-cipher", "DHE-RSA-AES128-GCM-SHA256");

        var result = await ProbeAsync(server);

        var suite = Assert.Single(result.CipherSuites[TlsVersion.Tls12]);
        Assert.Equal(new KeyExchangeInfo("DH", 2048, "ffdhe2048"), result.KeyExchange[(TlsVersion.Tls12, suite)]);
        Assert.DoesNotContain(ServerRating.Compute(result).Findings, f => f.Id == "keyExchange.weak");
        var client = await OpenSslClient.ConnectAsync(server.Port, ProbePki.Host, pki.RootFile, ["-tls1_2"]);
        Assert.True(client.Connected, $"openssl s_client should accept ffdhe2048.\n{client.Run.Describe()}");
    }

    [Fact]
    public async Task A_server_with_an_ECDSA_and_an_RSA_certificate_shows_both_and_each_is_judged()
    {
        var rsa = PemExport.Write(Path.Combine(pki.Folder, "dual"), "rsa", pki.Rsa, []);
        var intermediates = Path.Combine(pki.Folder, "dual", "intermediates.pem");
        await File.WriteAllTextAsync(intermediates, string.Concat(pki.Chain.Select(PemExport.Certificate)), TestContext.Current.CancellationToken);
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain, "-dcert", rsa.Certificate, "-dkey", rsa.Key,
            "-dcert_chain", intermediates);

        var result = await ProbeAsync(server);

        // Which one a broad hello gets is the server's choice; the other must be found by asking for its family alone.
        var other = Assert.Single(result.OtherCertificates);
        Assert.Equal(["ECDSA", "RSA"], new[] { result.Chain[0].KeyType, other.Chain[0].KeyType }.Order());
        Assert.Equal(other.Family, other.Chain[0].KeyType);
        Assert.True(other.Trusted == true && other.NameMatches == true && other.ChainComplete == true,
            $"The second certificate is as good as the first: trusted {other.Trusted}, name {other.NameMatches}, complete {other.ChainComplete}.");
        Assert.Contains(ServerRating.Compute(result).Findings, f => f.Id == $"certificate.{other.Family.ToLowerInvariant()}.presented");

        // openssl sees the same two: each signature family gets its own certificate.
        var ecdsa = await OpenSslClient.ConnectAsync(server.Port, ProbePki.Host, pki.RootFile, ["-tls1_2", "-sigalgs", "ECDSA+SHA256"]);
        var rsaOnly = await OpenSslClient.ConnectAsync(server.Port, ProbePki.Host, pki.RootFile, ["-tls1_2", "-sigalgs", "RSA+SHA256:RSA-PSS+SHA256"]);
        Assert.True(ecdsa.Connected && rsaOnly.Connected, $"{ecdsa.Run.Describe()}\n{rsaOnly.Run.Describe()}");
    }

    [Fact]
    public async Task Fallback_SCSV_renegotiation_compression_and_SSL_3_agree_with_openssl()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);

        var result = await ProbeAsync(server);

        Assert.True(result.FallbackScsv == true, "OpenSSL refuses a TLS 1.2 hello with TLS_FALLBACK_SCSV when it has TLS 1.3; the probe says " +
            $"{result.FallbackScsv}.");
        var fallback = await OpenSslClient.ConnectAsync(server.Port, ProbePki.Host, pki.RootFile, ["-tls1_2", "-fallback_scsv"]);
        Assert.False(fallback.Connected, $"openssl s_client -fallback_scsv should be refused too.\n{fallback.Run.Describe()}");
        Assert.Contains("inappropriate fallback", fallback.Run.Output, StringComparison.OrdinalIgnoreCase);

        var openssl = OpenSslServer.FindOrSkip();
        var full = await ExternalTool.RunAsync(openssl, ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", ProbePki.Host, "-tls1_2"],
            standardInput: "", timeout: TimeSpan.FromSeconds(15), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(full.Output.Contains("Secure Renegotiation IS supported", StringComparison.Ordinal), result.SecureRenegotiation == true);
        Assert.Equal(!full.Output.Contains("Compression: NONE", StringComparison.Ordinal), result.Compression == true);
        Assert.True(result.SecureRenegotiation == true && result.Compression == false, $"renegotiation {result.SecureRenegotiation}, " +
            $"compression {result.Compression}\n{full.Describe()}");
        Assert.True(result.Ssl3 == false, "Debian's OpenSSL cannot serve SSL 3.0, so the probe must find it refused.");
    }

    [Fact]
    public async Task A_complete_chain_to_a_root_not_trusted_is_an_untrusted_root_not_a_missing_intermediate()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);
        // No --ca: the system store, which does not hold this run's workshop root.
        var settings = new ProbeSettings("private-root", server.EndPoint, ProbePki.Host, null, TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
        var verdict = ServerRating.Compute(result);

        Assert.True(result.Trusted == false && result.Primary.RootNotTrusted && result.ChainComplete == true,
            $"trusted {result.Trusted}, root not trusted {result.Primary.RootNotTrusted}, complete {result.ChainComplete}: " +
            string.Join(" ", result.TrustProblems));
        Assert.Equal("T", verdict.Grade);
        Assert.DoesNotContain(verdict.Findings, f => f.Text.Contains("missing", StringComparison.Ordinal) ||
            f.Text.Contains("incomplete", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.Id == "certificate.trust" && f.Text.Contains("TlsLab Workshop Root CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revocation_service_that_never_answers_leaves_trust_as_it_is_and_says_so()
    {
        // The certificate names a CRL and an OCSP responder on a port that accepts and never answers: the answer is "late" for ever.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(16);
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var stalling = new WorkshopPki(TimeProvider.System, KeyKind.EcdsaP256, new Uri($"http://127.0.0.1:{port}/pki/"));
        using var leaf = stalling.Intermediate.Issue(new LeafSpec(ProbePki.Host, [ProbePki.Host], [System.Net.IPAddress.Loopback]));
        await using var server = await OpenSslServer.StartAsync(leaf, [stalling.Intermediate.PublicCertificate]);
        var settings = new ProbeSettings("stalling-revocation", server.EndPoint, ProbePki.Host, [stalling.Root.PublicCertificate], TimeSpan.FromSeconds(1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.Trusted == true, $"A revocation answer that does not come must not turn trust: {string.Join(" ", result.TrustProblems)}");
        Assert.NotNull(result.Primary.RevocationUnknown);
        Assert.Null(result.Primary.Revoked);
        Assert.Equal("A", ServerRating.Compute(result).Grade);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"The probe waited {clock.Elapsed.TotalSeconds:0.#} s for a silent revocation service; " +
            "each fetch must give up after --timeout (1 s here), not after .NET's default 15 s.");
    }

    [Fact]
    public async Task An_expired_certificate_is_said_expired_once()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Expired, pki.Chain);

        var verdict = ServerRating.Compute(await ProbeAsync(server));

        Assert.Equal("T", verdict.Grade);
        var said = verdict.Findings.Where(f => f.Text.Contains("expired", StringComparison.OrdinalIgnoreCase) ||
            f.Text.Contains("validity period", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(said.Count == 1, $"The expiry should be said once: {string.Join(" | ", said.Select(f => f.Text))}");
        Assert.DoesNotContain(verdict.Findings, f => f.Text.Contains("revocation", StringComparison.OrdinalIgnoreCase) &&
            f.Id.StartsWith("certificate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ffdhe2048")]
    [InlineData("ffdhe3072")]
    [InlineData("ffdhe4096")]
    [InlineData("ffdhe6144")]
    [InlineData("ffdhe8192")]
    [InlineData("modp_1536")]
    [InlineData("modp_2048")]
    [InlineData("modp_3072")]
    [InlineData("modp_4096")]
    [InlineData("modp_6144")]
    [InlineData("modp_8192")]
    public async Task The_well_known_groups_computed_from_their_formula_are_OpenSSLs(string group)
    {
        var pem = await DhParamsAsync($"{group}.pem", ["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", $"group:{group}", "-out", "{0}"]);
        var der = System.Security.Cryptography.PemEncoding.Find(await File.ReadAllTextAsync(pem, TestContext.Current.CancellationToken));
        var text = await File.ReadAllTextAsync(pem, TestContext.Current.CancellationToken);
        var sequence = new System.Formats.Asn1.AsnReader(Convert.FromBase64String(text[der.Base64Data]), System.Formats.Asn1.AsnEncodingRules.DER)
            .ReadSequence();
        var prime = sequence.ReadIntegerBytes().ToArray().SkipWhile(b => b == 0).ToArray();

        Assert.Equal(group.Replace("_", "", StringComparison.Ordinal), FfdheGroups.Name(prime));
    }

    private async Task<ProbeResult> ProbeAsync(OpenSslServer server)
    {
        var settings = new ProbeSettings(server.CommandLine, server.EndPoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));
        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.StoppedEarly is null, $"{server.CommandLine}: {result.StoppedEarly}");
        return result;
    }

    /// <summary>Runs openssl to write DH parameters into the test's folder ({0} in <paramref name="arguments"/> is the file).</summary>
    private async Task<string> DhParamsAsync(string name, string[] arguments)
    {
        var openssl = OpenSslServer.FindOrSkip();
        var path = Path.Combine(pki.Folder, name);
        var run = await ExternalTool.RunAsync(openssl, [.. arguments.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, path))],
            timeout: TimeSpan.FromSeconds(60), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0 && File.Exists(path), $"openssl {string.Join(' ', arguments)} failed.\n{run.Describe()}");
        return path;
    }
}
