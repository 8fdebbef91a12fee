using System.Diagnostics;
using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Tests.Robustness;

/// <summary>
/// Clients that are unusual rather than hostile: bytes that arrive one at a time, nothing in common
/// with the server, and the odd TargetHost values (none, an IP address, a trailing dot). Each test
/// asserts what .NET actually does, and that the lab is as healthy afterwards as before.
/// </summary>
[Collection(LabAloneCollection.Name)]
public sealed class HandshakeEdgeTests : IAsyncLifetime
{
    private const int History = 512;

    private static readonly IReadOnlyList<string> Scenarios = ["good", "cbc-only", "tls12-only", "tls13-only"];

    private readonly UnobservedTaskExceptions _unobserved = new();
    private Lab? _lab;

    private Lab Lab => _lab!;

    public async ValueTask InitializeAsync() =>
        _lab = await Lab.StartAsync(
            new LabOptions
            {
                Scenarios = [.. Scenarios.Where(n => PlatformSupport.Problem(ScenarioCatalog.Find(n)!) is null)],
                ConnectionHistory = History,

                // A dribbled handshake is hundreds of one-byte writes, each after a timer; on a loaded machine
                // each timer can fire tens of milliseconds late, which adds up to more than the default 10 s.
                HandshakeTimeout = TimeSpan.FromSeconds(60),
                RequestTimeout = TimeSpan.FromSeconds(60),
            },
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _unobserved.Dispose();
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    // tlsfuzzer and Go's crypto/tls tests split the ClientHello over many records and writes; here a
    // real client's bytes are cut to one per TCP segment, with a pause between them.
    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_client_whose_bytes_arrive_one_at_a_time_completes_its_handshake_and_request(SslProtocols protocol)
    {
        SkipUnlessTls13(protocol);
        var ct = TestContext.Current.CancellationToken;
        using var socket = await RawClient.ConnectAsync(Lab["good"].EndPoint, ct);
        var port = RawClient.PortOf(socket);
        var dribble = new DribbleStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false), TimeSpan.FromMilliseconds(1));
        var options = Lab.CreateClientOptions("good");
        options.EnabledSslProtocols = protocol;

        var clock = Stopwatch.StartNew();
        await using (var tls = new SslStream(dribble))
        {
            await tls.AuthenticateAsClientAsync(options, ct);
            var handshake = clock.Elapsed;
            var handshakeWrites = dribble.Writes;
            var (status, _) = await TlsClient.GetAsync(tls, "good.localhost", "/", ct);
            LabHealth.Report($"{protocol}: {handshakeWrites} one-byte writes in the handshake, {handshake.TotalMilliseconds:0} ms; {dribble.Writes} " +
                $"in all, {clock.Elapsed.TotalMilliseconds:0} ms");

            Assert.Equal("HTTP/1.1 200 OK", status);
            Assert.True(handshakeWrites > 100, $"Only {handshakeWrites} writes reached the socket; the ClientHello alone is a few hundred bytes, so " +
                "it was not dribbled.");
        }

        var record = await Lab.WaitForConnectionAsync(port);
        Assert.Equal(LabEventKind.Served, record.Outcome);
        Assert.Equal(protocol, record.Protocol);
        Assert.NotNull(record.ClientHello); // reassembled from one-byte reads
        Assert.Equal("good.localhost", record.ClientHello.ServerName);
        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, $"After a {protocol} client dribbled its bytes", ct);
    }

    public static TheoryData<string, SslProtocols, TlsCipherSuite[]> NoCommonSuite => new()
    {
        { "cbc-only", SslProtocols.Tls12, [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384] },
        { "good", SslProtocols.Tls12, [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] }, // an RSA suite for an ECDSA certificate
        { "good", SslProtocols.Tls13, [TlsCipherSuite.TLS_AES_128_CCM_SHA256] }, // a TLS 1.3 suite OpenSSL servers leave off by default
    };

    [Theory]
    [MemberData(nameof(NoCommonSuite))]
    public async Task A_client_with_no_cipher_suite_in_common_is_refused_and_its_offer_is_recorded(string scenario, SslProtocols protocol,
        TlsCipherSuite[] suites)
    {
        SkipUnlessTls13(protocol);
        if (!OperatingSystem.IsWindows() && PlatformSupport.CipherSuitesPolicy)
        {
            await NoCommonSuiteAsync(scenario, protocol, suites);
        }
        else
        {
            Assert.Skip($"A client cannot choose its cipher suites here: {PlatformSupport.CipherSuitesPolicyProblem}");
        }
    }

    [Theory]
    [InlineData("tls13-only", SslProtocols.Tls12)]
    [InlineData("tls12-only", SslProtocols.Tls13)]
    public async Task A_client_with_no_protocol_version_in_common_is_refused_and_its_offer_is_recorded(string scenario, SslProtocols protocol)
    {
        SkipUnlessTls13(SslProtocols.Tls13);
        var ct = TestContext.Current.CancellationToken;
        var options = Lab.CreateClientOptions(scenario);
        options.EnabledSslProtocols = protocol;

        var outcome = await TlsClient.ConnectAsync(Lab[scenario].EndPoint, options, cancellationToken: ct);
        var record = await Lab.WaitForConnectionAsync(outcome.LocalPort);

        Assert.False(outcome.Succeeded, $"A {protocol}-only client connected to '{scenario}'.");
        Assert.Equal(TlsProblem.NoCommonParameters, outcome.Problem);
        Assert.Equal(LabEventKind.HandshakeFailed, record.Outcome);
        Assert.NotNull(record.ClientHello);

        // A TLS 1.2-only client sends no supported_versions extension at all; a TLS 1.3-only client lists 1.3 alone.
        Assert.Equal(protocol == SslProtocols.Tls13 ? [(ushort)0x0304] : [], record.ClientHello.SupportedVersions);
        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, $"After a {protocol}-only client met '{scenario}'", ct);
    }

    [Fact]
    public async Task Without_a_target_host_no_SNI_is_sent_and_the_client_fails_closed_on_the_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Lab.CreateClientOptions("good");
        options.TargetHost = string.Empty;

        var outcome = await TlsClient.ConnectAsync(Lab["good"].EndPoint, options, cancellationToken: ct);
        var record = await Lab.WaitForConnectionAsync(outcome.LocalPort);
        LabHealth.Report($"TargetHost \"\": {outcome.Problem}, lab: {record.Outcome} ({record.Error})");

        Assert.False(outcome.Succeeded, "A client with an empty TargetHost accepted the certificate: with no name there is nothing to match it against.");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(TlsProblem.NameMismatch, outcome.Problem);
            Assert.True((outcome.Validation?.PolicyErrors ?? SslPolicyErrors.None).HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch),
                $"Expected RemoteCertificateNameMismatch, validation saw {outcome.Validation?.PolicyErrors}.");
        }

        Assert.NotNull(record.ClientHello);
        Assert.Null(record.ClientHello.ServerName);
        Assert.Null(record.ServerNameIndication);
        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, "After a client with an empty TargetHost", ct);
    }

    [Fact]
    public async Task An_IP_address_as_target_host_sends_no_SNI_and_is_matched_against_the_IP_SAN()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Lab.CreateClientOptions("good");
        options.TargetHost = "127.0.0.1";

        var outcome = await TlsClient.ConnectAsync(Lab["good"].EndPoint, options, cancellationToken: ct);
        var record = await Lab.WaitForConnectionAsync(outcome.LocalPort);

        Assert.True(outcome.Succeeded, $"The good certificate lists 127.0.0.1 as an IP SAN, yet: {outcome.Explanation}");
        Assert.Equal(LabEventKind.Served, record.Outcome);
        Assert.Null(record.ClientHello?.ServerName); // RFC 6066: SNI carries host names, never addresses
        Assert.Null(record.ServerNameIndication);
        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, "After a client used an IP address as TargetHost", ct);
    }

    [Fact]
    public async Task A_trailing_dot_in_the_target_host_is_what_NET_on_Linux_sends_as_SNI_and_the_name_still_matches()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Lab.CreateClientOptions("good");
        options.TargetHost = "good.localhost.";

        var outcome = await TlsClient.ConnectAsync(Lab["good"].EndPoint, options, cancellationToken: ct);
        var record = await Lab.WaitForConnectionAsync(outcome.LocalPort);
        LabHealth.Report($"TargetHost \"good.localhost.\": succeeded {outcome.Succeeded}; SNI as the lab saw it: '{record.ServerNameIndication}'");

        if (OperatingSystem.IsLinux())
        {
            // The fully qualified form matches the certificate's good.localhost, and .NET sends it as it
            // was given, dot included, although RFC 6066 says a server name carries no trailing dot.
            Assert.True(outcome.Succeeded, outcome.Explanation);
            Assert.Equal("good.localhost.", record.ServerNameIndication);
            Assert.Equal("good.localhost.", record.ClientHello?.ServerName);
        }

        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, "After a client used a trailing dot in TargetHost", ct);
    }

    [UnsupportedOSPlatform("windows")]
    private async Task NoCommonSuiteAsync(string scenario, SslProtocols protocol, TlsCipherSuite[] suites)
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Lab.CreateClientOptions(scenario);
        options.EnabledSslProtocols = protocol;
        options.CipherSuitesPolicy = new CipherSuitesPolicy(suites);

        var outcome = await TlsClient.ConnectAsync(Lab[scenario].EndPoint, options, cancellationToken: ct);
        var record = await Lab.WaitForConnectionAsync(outcome.LocalPort);

        Assert.False(outcome.Succeeded, $"A client offering only {string.Join(", ", suites)} connected to '{scenario}'.");
        Assert.Equal(TlsProblem.NoCommonParameters, outcome.Problem);
        Assert.Equal(LabEventKind.HandshakeFailed, record.Outcome);
        Assert.NotNull(record.ClientHello);

        const ushort renegotiationInfoScsv = 0x00FF; // a signal, not a suite; OpenSSL clients add it
        Assert.Equal(suites.Select(s => (ushort)s), record.ClientHello.CipherSuites.Where(s => s != renegotiationInfoScsv));
        await LabHealth.AssertHealthyAsync(Lab, _unobserved, History, $"After a client with no suite in common met '{scenario}'", ct);
    }

    private static void SkipUnlessTls13(SslProtocols protocol)
    {
        if (protocol == SslProtocols.Tls13 && !PlatformSupport.Tls13)
        {
            Assert.Skip(PlatformSupport.Tls13Problem!);
        }
    }
}
