using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Probe;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Tests.Probe;

// Test strategy: the engine is run, over real loopback sockets, against every TLS endpoint of the shared
// zoo, whose truth is known from ScenarioCatalog (the versions each serves, CBC-only suites, the
// certificate each presents): what the probe finds must be that truth. Its limits are checked against
// small servers written here: one that accepts and stays silent (time limit, concurrency cap, a clear
// "nothing answers"), and a closed port. Agreement with openssl s_client is ProbeAgreesWithOpenSslTests.

/// <summary>The probe finds in each zoo endpoint what the catalogue says it serves.</summary>
public sealed class ProbeEngineTests(LabFixture fixture)
{
    public static TheoryData<string> TlsScenarios => [.. ScenarioCatalog.All.Where(s => s.Tls).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(TlsScenarios))]
    public async Task The_probe_finds_the_versions_the_scenario_serves(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;

        var result = await ProbeAsync(name);

        foreach (var (version, protocol) in new[] { (TlsVersion.Tls10, SslProtocols.None), (TlsVersion.Tls11, SslProtocols.None),
            (TlsVersion.Tls12, SslProtocols.Tls12), (TlsVersion.Tls13, SslProtocols.Tls13) })
        {
            var serves = protocol != SslProtocols.None && scenario.Protocols.HasFlag(protocol);
            Assert.True(result.Accepts(version) == serves, $"'{name}' serves {scenario.Protocols}; the probe says {TlsNames.Version(version)} " +
                $"is {(result.Accepts(version) ? "accepted" : "refused")}.");
            Assert.True(result.CipherSuites.ContainsKey(version) == serves && (!serves || result.CipherSuites[version].Count > 0),
                $"'{name}': every accepted version needs at least one suite, refused ones none; found {Describe(result)}.");
        }

        if (scenario.CbcOnly)
        {
            Assert.All(result.CipherSuites[TlsVersion.Tls12], s => Assert.True(TlsNames.IsCbc(s), $"'{name}' serves CBC only, but the probe " +
                $"found {TlsNames.CipherSuite(s)}."));
        }

        if (scenario.Protocols.HasFlag(SslProtocols.Tls13))
        {
            Assert.Contains(ClientHelloWriter.X25519, result.Groups);
            Assert.Equal(ClientHelloWriter.X25519, result.GroupPicked);
        }

        Assert.True(result.StoppedEarly is null, $"'{name}' should be probed well within the limits: {result.StoppedEarly}");
        Assert.True(result.Attempts <= 40, $"'{name}' took {result.Attempts} connections; a zoo endpoint needs about 30.");
        Assert.Equal(scenario.ApplicationProtocols?.Select(p => p.ToString()) ?? ["http/1.1"], result.Alpn);
    }

    [Theory]
    [MemberData(nameof(TlsScenarios))]
    public async Task The_probe_judges_the_chain_the_way_the_scenario_built_it(string name)
    {
        var result = await ProbeAsync(name);

        var (trusted, nameMatches, complete, sent) = name switch
        {
            "expired" or "not-yet-valid" => (false, true, true, 2),
            "wrong-host" => (true, false, true, 2),
            "self-signed" => (false, true, true, 1), // complete: nothing is missing; it is simply not trusted
            "untrusted-root" => (false, true, true, 2), // complete up to a root the trust store does not hold: T, not "incomplete"
            "incomplete-chain" => (false, true, false, 1),
            "revoked" => (false, true, true, 2), // the probe asks the lab's CRL and OCSP responder online
            "cn-only" => (true, false, true, 2), // the probe reads the SAN only, as browsers do
            _ => (true, true, true, 2),
        };
        var what = $"'{name}': trusted {result.Trusted}, name {result.NameMatches}, complete {result.ChainComplete}, {result.Chain.Count} sent";
        Assert.True(result.Trusted == trusted, what);
        Assert.True(result.NameMatches == nameMatches, what);
        Assert.True(result.ChainComplete == complete, what);
        Assert.True(result.Chain.Count == sent, what);
        Assert.True(result.ChainInOrder, what);
        Assert.Equal(name == "expired", result.Expired);
        Assert.Equal(name == "not-yet-valid", result.NotYetValid);
        Assert.Equal(name == "good-rsa" ? "RSA" : "ECDSA", result.Chain[0].KeyType);
        Assert.Equal(name == "good-rsa" ? 2048 : 256, result.Chain[0].KeyBits);
        Assert.Equal(name is "client-cert-required" or "client-cert-optional", result.ClientCertRequested);
        if (OperatingSystem.IsLinux())
        {
            // Only ocsp-stapled staples (a .NET server fetches its own OCSP answer on Linux); every other endpoint fetches nothing.
            Assert.True((result.OcspStapled == true) == (name == "ocsp-stapled"), $"'{name}': the probe says ocspStapled={result.OcspStapled}.");
        }
    }

    [Fact]
    public async Task A_silent_server_costs_one_timeout_per_connection_at_most_three_at_a_time()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var most = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);

                // Counted from the sockets themselves when a new one arrives: the probe closed an earlier connection before it opened
                // this one, so that close is already here, even if a reading task has not got round to seeing it yet.
                accepted.RemoveAll(ClosedByThePeer);
                accepted.Add(socket);
                most = Math.Max(most, accepted.Count);

                // Read (and ignore) until the probe gives up and closes, so the probe's side sees a server that stays silent.
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        var buffer = new byte[4096];
                        try
                        {
                            while (await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token) > 0)
                            {
                            }
                        }
                        catch (Exception e) when (e is SocketException or OperationCanceledException)
                        {
                        }
                    }
                }, stop.Token);
            }
        }, stop.Token);
        var settings = new ProbeSettings("silent", (IPEndPoint)listener.LocalEndpoint, null, null, TimeSpan.FromMilliseconds(300));

        var failure = await Assert.ThrowsAsync<ProbeNotTlsException>(() => ProbeEngine.RunAsync(settings, cancellationToken: stop.Token));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        Assert.Contains("answers a TLS ClientHello", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sent nothing within 0.3 s", failure.Message, StringComparison.Ordinal);
        Assert.True(most <= 3, $"The probe held {most} connections open at once; it must never hold more than 3.");
        accepted.ForEach(s => s.Dispose());
    }

    // Readable with nothing to read is the peer's FIN (or RST); a socket its reading task already closed was closed by the peer first.
    private static bool ClosedByThePeer(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            return true;
        }
    }

    [Fact]
    public async Task The_attempt_limit_stops_the_probe_and_the_result_says_so()
    {
        var endpoint = fixture.Lab["good"];
        var settings = new ProbeSettings("good", endpoint.EndPoint, endpoint.Host, [fixture.Lab.RootCertificate], TimeSpan.FromSeconds(5))
        {
            MaxAttempts = 6,
        };

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.Attempts <= 6, $"{result.Attempts} connections despite a limit of 6.");
        Assert.NotNull(result.StoppedEarly);
        Assert.Contains("limit of 6 connections", result.StoppedEarly, StringComparison.Ordinal);
        Assert.True(result.Accepts(TlsVersion.Tls13) && result.Accepts(TlsVersion.Tls12), "The versions come first and fit in the limit.");
    }

    [Fact]
    public async Task A_closed_port_is_a_connect_failure_that_says_nothing_listens()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var settings = new ProbeSettings("closed", new IPEndPoint(IPAddress.Loopback, port), null, null, TimeSpan.FromSeconds(2));

        var failure = await Assert.ThrowsAsync<ProbeConnectException>(() =>
            ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ConnectFailure.Refused, failure.Failure);
        Assert.Contains("nothing listens on that port", failure.Message, StringComparison.Ordinal);
    }

    private async Task<ProbeResult> ProbeAsync(string name)
    {
        var endpoint = fixture.Lab[name];
        X509Certificate2Collection trust = [fixture.Lab.RootCertificate];
        var settings = new ProbeSettings(name, endpoint.EndPoint, endpoint.Host, trust, TimeSpan.FromSeconds(5));
        return await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static string Describe(ProbeResult result) =>
        string.Join("; ", result.CipherSuites.Select(p => $"{TlsNames.Version(p.Key)}: {string.Join(' ', p.Value.Select(TlsNames.CipherSuite))}"));
}
