using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Probe;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Tests.Interop;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Tests.Probe;

// Test strategy: a scanner is only as good as its agreement with a client everyone trusts. For every TLS
// endpoint of the zoo and for `openssl s_server` variants the test starts (TLS 1.2 only; TLS 1.0-1.3 at
// security level 0; a CBC-only list on an RSA key, with DHE; a leaf sent without its intermediate; an
// expired certificate), the probe runs first, then `openssl s_client` checks it, one version flag and
// one cipher list per run: every version the probe accepts, openssl connects with, and no other; every
// suite the probe lists, openssl negotiates when offered alone; offered everything else it knows,
// openssl finds nothing; openssl's verify verdict (-CAfile, -verify_hostname) matches the probe's
// trust and name verdicts, and the grade follows (T/M when openssl refuses the certificate, B or worse
// when it connects with TLS 1.0/1.1). A stapled OCSP response (made by `openssl ocsp`) is seen where
// `s_client -status` sees one. Skipped without openssl.

/// <summary>The probe and openssl s_client see the same server.</summary>
public sealed class ProbeAgreesWithOpenSslTests(LabFixture fixture, LabTrustFiles files, ProbePki pki)
    : IClassFixture<LabTrustFiles>, IClassFixture<ProbePki>
{
    public static TheoryData<string> ZooScenarios => [.. ScenarioCatalog.All.Where(s => s.Tls).Select(s => s.Name)];

    public static TheoryData<string> ServerVariants => ["tls12-only", "seclevel0", "cbc-only-rsa", "leaf-only", "expired", "everything"];

    [Theory]
    [MemberData(nameof(ZooScenarios))]
    public async Task On_a_zoo_endpoint(string name)
    {
        OpenSslServer.FindOrSkip();
        var endpoint = fixture.Lab[name];
        string[] clientCertificate = endpoint.Scenario.RequiresClientCertificate ? ["-cert", files.Client.Certificate, "-key", files.Client.Key] : [];

        // The probe asks revocation online, as SSL Labs does; openssl does only when told to (and then fetches the CRL the certificate names).
        string[] revocation = endpoint.Scenario.Rejection?.Problem == TlsProblem.Revoked ? ["-crl_check", "-crl_download"] : [];
        var settings = new ProbeSettings(name, endpoint.EndPoint, endpoint.Host, [fixture.Lab.RootCertificate], TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);

        await AgreeAsync(name, result, endpoint.Port, endpoint.Host, files.Root, [.. clientCertificate, .. revocation]);
    }

    [Theory]
    [MemberData(nameof(ServerVariants))]
    public async Task On_an_openssl_server(string variant)
    {
        OpenSslServer.FindOrSkip();
        var (leaf, chain, options) = variant switch
        {
            "tls12-only" => (pki.Ecdsa, pki.Chain, new[] { "-tls1_2" }),
            "seclevel0" => (pki.Ecdsa, pki.Chain, new[] { "-cipher", "DEFAULT@SECLEVEL=0" }),
            "cbc-only-rsa" => (pki.Rsa, pki.Chain, new[] { "-no_tls1_3", "-cipher", "AES128-SHA:AES256-SHA256:ECDHE-RSA-AES128-SHA:DHE-RSA-AES256-SHA" }),
            "leaf-only" => (pki.Ecdsa, System.Array.Empty<X509Certificate2>(), System.Array.Empty<string>()),
            "everything" => (pki.Rsa, pki.Chain, new[] { "-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0" }),
            _ => (pki.Expired, pki.Chain, System.Array.Empty<string>()),
        };
        await using var server = await OpenSslServer.StartAsync(leaf, chain, options);
        var settings = new ProbeSettings(variant, server.EndPoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);

        await AgreeAsync($"{variant} ({server.CommandLine})", result, server.Port, ProbePki.Host, pki.RootFile, []);
        switch (variant)
        {
            case "tls12-only":
                Assert.Equal([TlsVersion.Tls12], result.Protocols.Where(p => p.Value).Select(p => p.Key));
                break;
            case "seclevel0":
                Assert.True(result.Accepts(TlsVersion.Tls10) && result.Accepts(TlsVersion.Tls11), "At security level 0 s_server takes TLS 1.0 and 1.1.");
                break;
            case "cbc-only-rsa":
                Assert.All(result.CipherSuites[TlsVersion.Tls12], s => Assert.True(TlsNames.IsCbc(s), TlsNames.CipherSuite(s)));
                Assert.Equal("B", ServerRating.Compute(result).Grade);
                break;
            case "leaf-only":
                Assert.True(result.ChainComplete == false && result.Chain.Count == 1, "s_server without -cert_chain sends the leaf alone.");
                break;
            case "expired":
                Assert.True(result.Expired == true && ServerRating.Compute(result).Grade == "T", "An expired leaf is grade T.");
                break;
            case "everything":
                // Anonymous Camellia and ECDH_anon NULL suites are what a server that enables everything answers; each must have its
                // IANA name (the whole registry is in TlsNames), and the grade fails.
                var names = result.CipherSuites.Values.SelectMany(l => l).Select(TlsNames.CipherSuite).ToList();
                Assert.DoesNotContain(names, n => n.StartsWith("0x", StringComparison.Ordinal));
                Assert.Contains(names, n => n.Contains("_anon_", StringComparison.Ordinal) && n.Contains("CAMELLIA", StringComparison.Ordinal));
                Assert.Contains("TLS_ECDH_anon_WITH_NULL_SHA", names);
                Assert.Equal("F", ServerRating.Compute(result).GradeIfTrusted ?? ServerRating.Compute(result).Grade);
                break;
        }
    }

    [Fact]
    public async Task A_stapled_OCSP_response_is_seen_where_openssl_sees_one()
    {
        var openssl = OpenSslServer.FindOrSkip();
        // An OCSP response signed by the intermediate, made by `openssl ocsp` (its status is "unknown": stapling is about delivery).
        var folder = Path.Combine(pki.Folder, "ocsp");
        var issuer = PemExport.Write(folder, "issuer", pki.Pki.Intermediate.Certificate, []);
        var leaf = PemExport.Write(folder, "leaf", pki.Ecdsa, []);
        var index = Path.Combine(folder, "index.txt");
        await File.WriteAllTextAsync(index, "", TestContext.Current.CancellationToken);
        var response = Path.Combine(folder, "response.der");
        var made = await ExternalTool.RunAsync(openssl, ["ocsp", "-index", index, "-rsigner", issuer.Certificate, "-rkey", issuer.Key, "-CA",
            issuer.Certificate, "-issuer", issuer.Certificate, "-cert", leaf.Certificate, "-respout", response, "-ndays", "1"],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(File.Exists(response), $"openssl ocsp made no response:\n{made.Describe()}");
        await using var stapling = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain, "-status_file", response);
        await using var plain = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);

        foreach (var (server, staples) in new[] { (stapling, true), (plain, false) })
        {
            var settings = new ProbeSettings("ocsp", server.EndPoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));
            var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
            var run = await ExternalTool.RunAsync(openssl, ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", ProbePki.Host,
                "-tls1_2", "-status"], standardInput: "", cancellationToken: TestContext.Current.CancellationToken);

            var opensslSaw = run.Output.Contains("OCSP Response Status: successful", StringComparison.Ordinal);
            Assert.True(opensslSaw == staples, $"'{server.CommandLine}': openssl s_client -status should {(staples ? "" : "not ")}see a " +
                $"staple.\n{run.Describe()}");
            Assert.True(result.OcspStapled == staples, $"'{server.CommandLine}': openssl {(staples ? "sees" : "sees no")} staple, the probe " +
                $"says ocspStapled={result.OcspStapled}.");
        }
    }

    internal static async Task AgreeAsync(string what, ProbeResult result, int port, string host, string caFile, string[] extra)
    {
        Assert.True(result.StoppedEarly is null, $"{what}: {result.StoppedEarly}");
        foreach (var (version, flag) in OpenSslClient.Versions)
        {
            // OpenSSL's own client offers TLS 1.0/1.1 only at security level 0, whatever the server does.
            string[] level0 = version <= TlsVersion.Tls11 ? ["-cipher", "DEFAULT@SECLEVEL=0"] : [];
            var run = await OpenSslClient.ConnectAsync(port, host, caFile, [flag, .. level0, .. extra]);
            Assert.True(run.Connected == result.Accepts(version), $"{what}: the probe says {TlsNames.Version(version)} is " +
                $"{(result.Accepts(version) ? "accepted" : "refused")}, but openssl s_client {flag} {(run.Connected ? "connected" : "did not")}.\n" +
                run.Run.Describe());
            if (!run.Connected)
            {
                continue;
            }

            Assert.Equal(OpenSslClient.ProtocolName(version), run.Protocol);
            await AgreeOnSuitesAsync(what, result, version, port, host, caFile, extra);
            if (version == TlsVersion.Tls12 || (version == TlsVersion.Tls13 && !result.Accepts(TlsVersion.Tls12)))
            {
                // A named exception: openssl s_client falls back to the CN; the probe reads the SAN only, as SSL Labs and browsers do
                // (PeerVerdicts.CommonNameOnly). Revocation needs none: for a revoked scenario openssl is told to check (-crl_check).
                var opensslIsLenient = PeerVerdicts.CommonNameOnly.Any(s => s.Name == what);
                var verified = run.Verification == "OK" && !opensslIsLenient;
                var probeSays = result.Trusted == true && result.NameMatches == true;
                Assert.True(!opensslIsLenient || run.Verification == "OK", $"{what}: openssl s_client at its defaults should accept this certificate " +
                    $"(the probe does not), but says '{run.Verification}'.\n{run.Run.Describe()}");
                Assert.True(verified == probeSays, $"{what}: openssl's verification says '{run.Verification}', but the probe says trusted " +
                    $"{result.Trusted}, name {result.NameMatches}.\n{run.Run.Describe()}");
                var grade = ServerRating.Compute(result).Grade;
                Assert.True(verified || grade is "T" or "M", $"{what}: openssl refuses the certificate ('{run.Verification}'), so the grade must be " +
                    $"T or M, not {grade}.");
            }
        }

        if (result.Accepts(TlsVersion.Tls10) || result.Accepts(TlsVersion.Tls11))
        {
            var grade = ServerRating.Compute(result);
            Assert.True(grade.Grade is not ("A+" or "A" or "A-") && grade.GradeIfTrusted is not ("A+" or "A" or "A-"),
                $"{what}: openssl connects with TLS 1.0/1.1, which caps the grade at B; the probe graded {grade.Grade}.");
        }
    }

    private static async Task AgreeOnSuitesAsync(string what, ProbeResult result, ushort version, int port, string host, string caFile, string[] extra)
    {
        var flag = OpenSslClient.Flag(version);
        var found = result.CipherSuites[version];
        var tls13 = version == TlsVersion.Tls13;
        var names = new List<string>();
        foreach (var suite in found)
        {
            var name = tls13 ? TlsNames.CipherSuite(suite) : await OpenSslClient.NameOfAsync(suite);
            Assert.True(name is not null, $"{what}: the probe found {TlsNames.CipherSuite(suite)}, which this openssl cannot name.");
            names.Add(name);
            string[] offer = tls13 ? ["-ciphersuites", name] : ["-cipher", name + ":@SECLEVEL=0"];
            var run = await OpenSslClient.ConnectAsync(port, host, caFile, [flag, .. offer, .. extra]);
            Assert.True(run.Connected && run.Cipher == name, $"{what}: the probe found {TlsNames.CipherSuite(suite)} for " +
                $"{TlsNames.Version(version)}, but openssl offering only {name} got '{run.Cipher}'.\n{run.Run.Describe()}");
        }

        // Everything else openssl knows for the version: the server must accept none of it.
        var others = tls13
            ? ClientHelloWriter.Tls13Suites.Select(TlsNames.CipherSuite).Except(names).ToArray()
            : (await OpenSslClient.LegacyNamesAsync()).Except(names).ToArray();
        if (others.Length == 0)
        {
            return;
        }

        string[] rest = tls13 ? ["-ciphersuites", string.Join(':', others)] : ["-cipher", string.Join(':', others) + ":@SECLEVEL=0"];
        var leftover = await OpenSslClient.ConnectAsync(port, host, caFile, [flag, .. rest, .. extra]);
        Assert.False(leftover.Connected, $"{what}: openssl, offering every {TlsNames.Version(version)} suite the probe did not find, still got " +
            $"'{leftover.Cipher}': the probe missed it.\n{leftover.Run.Describe()}");
    }
}
