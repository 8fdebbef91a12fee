using TlsLab.Cli.Probe;
using TlsLab.Tests.Interop;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

// Test strategy: a hand-made ClientHello is only useful if real servers take it for a real client. So
// each hello the writer makes goes over a real loopback socket to a real `openssl s_server` that the
// test starts (certificate minted by the kit's PKI), and the answer is read with ServerHelloReader:
// TLS 1.2/1.3 offers, including many generated ones, must get a ServerHello (or a HelloRetryRequest
// when no usable key share was sent) for exactly what was offered; TLS 1.0/1.1 must get one at
// security level 0 and an alert at OpenSSL's default level. Skipped without openssl.

/// <summary>openssl s_server answers what the writer writes.</summary>
public sealed class ClientHelloWriterOpenSslTests(ProbePki pki) : IClassFixture<ProbePki>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(TlsVersion.Tls12)]
    [InlineData(TlsVersion.Tls13)]
    public async Task A_modern_hello_gets_a_server_hello_for_its_version(ushort version)
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);
        var spec = Broad(version);

        var answer = await SendAsync(server, spec);

        Assert.True(answer.Kind == ServerAnswerKind.ServerHello && answer.Version == version,
            $"'{server.CommandLine}' answered a {TlsNames.Version(version)} hello with {answer.Describe()}.\n{server.Log}");
        Assert.Contains(answer.CipherSuite, spec.CipherSuites);
        if (version == TlsVersion.Tls13)
        {
            Assert.Equal(ClientHelloWriter.X25519, answer.Group);
        }
        else
        {
            Assert.True(answer.FlightComplete, $"The TLS 1.2 flight should end in ServerHelloDone: {answer.Describe()}");
            Assert.Equal(2, answer.Certificates.Count);
            Assert.NotNull(answer.KeyExchangeGroup);
            Assert.False(answer.CertificateRequested);
        }
    }

    [Theory]
    [InlineData(TlsVersion.Tls10)]
    [InlineData(TlsVersion.Tls11)]
    public async Task A_legacy_hello_gets_a_server_hello_at_security_level_0_and_an_alert_at_the_default(ushort version)
    {
        await using var legacy = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain, "-cipher", "DEFAULT@SECLEVEL=0");
        await using var modern = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);

        var accepted = await SendAsync(legacy, Broad(version));
        var refused = await SendAsync(modern, Broad(version));

        Assert.True(accepted.Kind == ServerAnswerKind.ServerHello && accepted.Version == version,
            $"'{legacy.CommandLine}' answered a {TlsNames.Version(version)} hello with {accepted.Describe()}.\n{legacy.Log}");
        // OpenSSL 3.0 at its default level refuses with internal_error (80) rather than protocol_version (70): any alert is a refusal.
        Assert.True(refused.Kind == ServerAnswerKind.Alert,
            $"'{modern.CommandLine}' should refuse {TlsNames.Version(version)} with an alert; it answered {refused.Describe()}.");
    }

    [Fact]
    public async Task Generated_modern_hellos_are_all_answered_for_what_they_offered()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);
        var random = new Random(20261202);
        for (var i = 0; i < 40; i++)
        {
            var spec = Servable(ClientHelloWriterTests.RandomSpec(random));

            var answer = await SendAsync(server, spec);

            var what = $"hello #{i} ({TlsNames.Version(spec.Version)}, suites {string.Join(' ', spec.CipherSuites.Select(TlsNames.CipherSuite))}, " +
                $"groups {string.Join(' ', spec.Groups.Select(TlsNames.Group))}, shares {string.Join(' ', spec.KeyShares.Select(TlsNames.Group))}, " +
                $"schemes {string.Join(' ', spec.SignatureAlgorithms.Select(TlsNames.SignatureScheme))}, ALPN {string.Join(' ', spec.Alpn)}, " +
                $"SNI {spec.ServerName}, status_request {spec.StatusRequest}, ticket {spec.SessionTicket})";
            Assert.True(answer.Accepted, $"'{server.CommandLine}' refused {what}: {answer.Describe()}");
            Assert.Equal(spec.Version, answer.Version);
            Assert.Contains(answer.CipherSuite, spec.CipherSuites);
            if (spec.Version == TlsVersion.Tls13)
            {
                Assert.True(answer.Group is { } g && spec.Groups.Contains(g), $"{what} got {answer.Describe()}: a group it did not offer.");
                Assert.True(answer.Kind == ServerAnswerKind.HelloRetryRequest || spec.KeyShares.Contains(answer.Group!.Value),
                    $"{what} got a ServerHello for a group it sent no key share for: {answer.Describe()}");
            }
        }
    }

    [Fact]
    public async Task No_key_share_gets_a_hello_retry_request_and_a_real_P256_share_a_server_hello()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain);

        var retry = await SendAsync(server, Broad(TlsVersion.Tls13) with { Groups = [ClientHelloWriter.Secp384r1], KeyShares = [] });
        var p256 = await SendAsync(server, Broad(TlsVersion.Tls13) with { Groups = [ClientHelloWriter.Secp256r1], KeyShares = [ClientHelloWriter.Secp256r1] });

        Assert.True(retry.Kind == ServerAnswerKind.HelloRetryRequest && retry.Group == ClientHelloWriter.Secp384r1, retry.Describe());
        Assert.True(p256.Kind == ServerAnswerKind.ServerHello && p256.Group == ClientHelloWriter.Secp256r1, p256.Describe());
    }

    [Fact]
    public async Task ALPN_and_a_client_certificate_request_are_visible_in_a_TLS12_answer()
    {
        await using var server = await OpenSslServer.StartAsync(pki.Ecdsa, pki.Chain, "-alpn", "http/1.1", "-verify", "1");

        var answer = await SendAsync(server, Broad(TlsVersion.Tls12) with { Alpn = ["h2", "http/1.1"] });

        Assert.True(answer.Alpn == "http/1.1", $"ALPN should be http/1.1: {answer.Describe()}");
        Assert.True(answer.CertificateRequested, $"'-verify 1' makes s_server ask for a client certificate: {answer.Describe()}");
    }

    /// <summary>Every suite for the version, every default group and scheme, an x25519 share, SNI.</summary>
    internal static ClientHelloSpec Broad(ushort version) => new()
    {
        Version = version,
        CipherSuites = version == TlsVersion.Tls13 ? ClientHelloWriter.Tls13Suites : ClientHelloWriter.LegacySuites,
        ServerName = ProbePki.Host,
    };

    /// <summary>Makes a generated offer one that an ECDSA s_server can accept: a suite, a curve and a signature scheme it can use.</summary>
    private static ClientHelloSpec Servable(ClientHelloSpec spec)
    {
        var version = spec.Version is TlsVersion.Tls13 ? TlsVersion.Tls13 : TlsVersion.Tls12;
        var suites = spec.Version == version ? spec.CipherSuites : ClientHelloWriter.LegacySuites.Take(20).ToArray();
        ushort must = version == TlsVersion.Tls13 ? (ushort)0x1301 : (ushort)0xC02B;
        return spec with
        {
            Version = version,
            CipherSuites = suites.Contains(must) ? suites : [.. suites, must],
            // TLS 1.2 also needs the certificate's own curve (P-256) among the groups: its ECDSA key is only usable on curves the client names.
            Groups = [.. spec.Groups, .. new[] { ClientHelloWriter.X25519, ClientHelloWriter.Secp256r1 }.Except(spec.Groups)],
            KeyShares = version == TlsVersion.Tls13 ? spec.KeyShares : [],
            SignatureAlgorithms = spec.SignatureAlgorithms.Contains((ushort)0x0403) ? spec.SignatureAlgorithms : [.. spec.SignatureAlgorithms, 0x0403],
        };
    }

    private static Task<ServerAnswer> SendAsync(OpenSslServer server, ClientHelloSpec spec) =>
        HelloExchange.SendAsync(server.EndPoint, ClientHelloWriter.Write(spec), Patience, TestContext.Current.CancellationToken);
}
