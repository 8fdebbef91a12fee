using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

/// <summary>
/// ClientHellos from real clients on this machine, read the moment they arrive. Each test skips, saying why,
/// when its client is not installed (openssl, curl and python3 are often missing on Windows and macOS).
/// </summary>
public class LiveClientHelloTests
{
    private const int TestTimeout = 30_000;

    [Fact(Timeout = TestTimeout)]
    public async Task DotNet_SslStream_limited_to_tls13_offers_only_tls13()
    {
        var hello = await CatchFromSslStreamAsync(SslProtocols.Tls13, alpn: null, TestContext.Current.CancellationToken);

        Assert.Equal("good.localhost", hello.ServerName);
        Assert.Equal([TlsVersion.Tls13], hello.SupportedVersions.Where(v => !TlsNames.IsGrease(v)));
        Assert.Equal(TlsVersion.Tls13, hello.HighestOfferedVersion());
        Assert.Empty(hello.Alpn);
        Assert.All(
            hello.CipherSuites.Where(s => !TlsNames.IsGrease(s) && s != 0x00FF),
            suite => Assert.True(TlsNames.IsTls13Suite(suite), $"A TLS 1.3-only client offered {TlsNames.CipherSuite(suite)}."));
        AssertLooksLikeARealClient(hello);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task DotNet_SslStream_with_tls12_and_tls13_offers_both_and_its_alpn_list()
    {
        var hello = await CatchFromSslStreamAsync(
            SslProtocols.Tls12 | SslProtocols.Tls13,
            [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            TestContext.Current.CancellationToken);

        Assert.Equal("good.localhost", hello.ServerName);
        var versions = hello.SupportedVersions.Where(v => !TlsNames.IsGrease(v)).ToArray();
        Assert.Contains(TlsVersion.Tls13, versions);
        Assert.Contains(TlsVersion.Tls12, versions);
        Assert.DoesNotContain(TlsVersion.Tls11, versions);
        Assert.Equal(["h2", "http/1.1"], hello.Alpn);
        Assert.Contains(hello.CipherSuites, TlsNames.IsTls13Suite);
        Assert.Contains(hello.CipherSuites, s => !TlsNames.IsTls13Suite(s) && TlsNames.IsAead(s));
        AssertLooksLikeARealClient(hello);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Openssl_s_client_sends_the_server_name_and_alpn_it_was_given()
    {
        var openssl = PeerProcess.FindOrSkip("openssl");
        PeerProcess? tool = null;
        try
        {
            var hello = await HelloCatcher.CatchAsync(
                "openssl s_client",
                port =>
                {
                    tool = PeerProcess.Start(openssl, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "x.localhost", "-alpn", "http/1.1");
                    return tool.Exited;
                },
                () => tool?.Describe() ?? "not started",
                TestContext.Current.CancellationToken);

            Assert.Equal("x.localhost", hello.ServerName);
            Assert.Equal(["http/1.1"], hello.Alpn);
            AssertLooksLikeARealClient(hello);
        }
        finally
        {
            if (tool is not null)
            {
                await tool.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Curl_sends_the_host_from_the_url_as_server_name()
    {
        var curl = PeerProcess.FindOrSkip("curl");
        PeerProcess? tool = null;
        try
        {
            var hello = await HelloCatcher.CatchAsync(
                "curl",
                port =>
                {
                    // --noproxy: an https_proxy in the environment must not carry this request off the machine.
                    tool = PeerProcess.Start(
                        curl, "-sS", "--max-time", "10", "--noproxy", "*",
                        "--resolve", $"x.localhost:{port}:127.0.0.1", $"https://x.localhost:{port}/");
                    return tool.Exited;
                },
                () => tool?.Describe() ?? "not started",
                TestContext.Current.CancellationToken);

            Assert.Equal("x.localhost", hello.ServerName);
            Assert.Contains("http/1.1", hello.Alpn);
            AssertLooksLikeARealClient(hello);
        }
        finally
        {
            if (tool is not null)
            {
                await tool.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Python_ssl_default_context_sends_server_hostname_and_alpn()
    {
        var python = PeerProcess.FindOrSkip("python3", "python");
        const string script = """
            import socket, ssl, sys
            context = ssl.create_default_context()
            context.set_alpn_protocols(['h2', 'http/1.1'])
            with socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10) as sock:
                with context.wrap_socket(sock, server_hostname='py.localhost'):
                    pass
            """;
        PeerProcess? tool = null;
        try
        {
            var hello = await HelloCatcher.CatchAsync(
                "python ssl",
                port =>
                {
                    tool = PeerProcess.Start(python, "-c", script, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return tool.Exited;
                },
                () => tool?.Describe() ?? "not started",
                TestContext.Current.CancellationToken);

            Assert.Equal("py.localhost", hello.ServerName);
            Assert.Equal(["h2", "http/1.1"], hello.Alpn);
            Assert.True(hello.HighestOfferedVersion() >= TlsVersion.Tls12, $"Python's default context should offer at least TLS 1.2:\n{hello}");
            AssertLooksLikeARealClient(hello);
        }
        finally
        {
            if (tool is not null)
            {
                await tool.DisposeAsync();
            }
        }
    }

    private static async Task<ClientHello> CatchFromSslStreamAsync(SslProtocols protocols, List<SslApplicationProtocol>? alpn, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        Task? client = null;
        try
        {
            return await HelloCatcher.CatchAsync(
                $".NET SslStream ({protocols})",
                port => client = Task.Run(async () =>
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                    await using var ssl = new SslStream(tcp.GetStream());

                    // No certificate callback: the catcher hangs up before any certificate is sent,
                    // so the handshake fails either way, and default validation is the right default.
                    await ssl.AuthenticateAsClientAsync(
                        new SslClientAuthenticationOptions
                        {
                            TargetHost = "good.localhost",
                            EnabledSslProtocols = protocols,
                            ApplicationProtocols = alpn,
                        },
                        stop.Token);
                }),
                () => client?.Exception?.GetBaseException().Message ?? "no error reported",
                stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            if (client is not null)
            {
                // The client's handshake always fails (the catcher hangs up). Reading its exception marks it
                // observed; otherwise the finalizer reports it later, as an unobserved task exception, in
                // whichever test happens to be watching for those (LoadTests and HandshakeEdgeTests do).
                await client.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
        }
    }

    /// <summary>What every real client's hello has in common, whatever its TLS library.</summary>
    private static void AssertLooksLikeARealClient(ClientHello hello)
    {
        Assert.Equal(32, hello.Random.Length);
        Assert.Equal([(byte)0], hello.CompressionMethods);
        Assert.NotEmpty(hello.SupportedGroups);
        Assert.NotEmpty(hello.SignatureAlgorithms);
        Assert.All(hello.KeyShareGroups, group => Assert.Contains(group, hello.SupportedGroups));
        Assert.All(
            hello.CipherSuites.Where(s => !TlsNames.IsGrease(s)),
            suite => Assert.False(TlsNames.CipherSuite(suite).StartsWith("0x", StringComparison.Ordinal), "A real client offered suite " +
                $"{TlsNames.CipherSuite(suite)}, which TlsNames cannot name."));
        Assert.All(
            hello.ExtensionNames.Where(n => n != "GREASE"),
            name => Assert.False(name.StartsWith("0x", StringComparison.Ordinal), $"A real client sent extension {name}, which TlsNames cannot name."));
        Assert.Contains(hello.ServerName!, hello.Describe(), StringComparison.Ordinal);
    }
}
