using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class RecordingTapTests
{
    private const int TestTimeout = 30_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact(Timeout = TestTimeout)]
    public async Task Plaintext_through_the_tap_is_readable_in_the_transcript()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = StartListener();
        var server = ServePlaintextOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nwelcome back", ct);
        await using var tap = await RecordingTap.StartAsync((IPEndPoint)listener.LocalEndpoint, ct);

        var response = await SendPlaintextAsync(tap.EndPoint, "GET /login?password=hunter2 HTTP/1.1\r\nHost: x\r\n\r\n", ct);
        await server;
        var connection = await tap.WaitForConnectionAsync(1, ct);
        await connection.Closed.WaitAsync(Patience, ct);

        var transcript = connection.Transcript;
        Assert.EndsWith("welcome back", response, StringComparison.Ordinal);
        Assert.Contains("GET /login?password=hunter2 HTTP/1.1", transcript.Printable(WireDirection.ClientToServer), StringComparison.Ordinal);
        Assert.Contains("welcome back", transcript.Printable(WireDirection.ServerToClient), StringComparison.Ordinal);
        Assert.Equal(Encoding.ASCII.GetByteCount(response), transcript.TotalBytes(WireDirection.ServerToClient));
        Assert.False(transcript.TryGetClientHello(out _));
        Assert.Empty(transcript.Records(WireDirection.ClientToServer));
        Assert.Equal(TlsParseErrorKind.NotTls, transcript.ScanRecords(WireDirection.ClientToServer).Error!.Kind);
        Assert.Null(connection.Failure);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_tls_handshake_through_the_tap_shows_the_client_hello_but_not_the_payload()
    {
        var ct = TestContext.Current.CancellationToken;
        const string secret = "secret-payload-8d1f3c";
        const string secretReply = "secret-reply-5a0e77";
        using var certificate = TestTls.CreateServerCertificate();
        using var listener = StartListener();
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(ct);
            await using var ssl = new SslStream(socket.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
            await TestTls.ReadUntilAsync(ssl, "\r\n\r\n", ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {secretReply.Length}\r\n\r\n{secretReply}"), ct);
            await ssl.ShutdownAsync();
        }, ct);
        await using var tap = await RecordingTap.StartAsync((IPEndPoint)listener.LocalEndpoint, ct);

        string response;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(tap.EndPoint, ct);
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsClientAsync(TestTls.PinnedClientOptions(certificate), ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"GET /{secret} HTTP/1.1\r\nHost: {TestTls.HostName}\r\n\r\n"), ct);
            response = await TestTls.ReadUntilAsync(ssl, secretReply, ct);
        }

        await server;
        var connection = await tap.WaitForConnectionAsync(1, ct);
        await connection.Closed.WaitAsync(Patience, ct);
        var transcript = connection.Transcript;

        Assert.EndsWith(secretReply, response, StringComparison.Ordinal);
        Assert.True(transcript.TryGetClientHello(out var hello), "The client's first bytes through the tap should be a " +
            $"ClientHello:\n{transcript.HexDump(WireDirection.ClientToServer, 64)}");
        Assert.Equal(TestTls.HostName, hello.ServerName);
        var clientRecords = transcript.Records(WireDirection.ClientToServer);
        var serverRecords = transcript.Records(WireDirection.ServerToClient);
        Assert.Equal(TlsContentType.Handshake, clientRecords[0].ContentType);
        Assert.Equal(TlsContentType.Handshake, serverRecords[0].ContentType);
        Assert.Contains(clientRecords, r => r.ContentType == TlsContentType.ApplicationData);
        Assert.Contains(serverRecords, r => r.ContentType == TlsContentType.ApplicationData);
        foreach (var direction in new[] { WireDirection.ClientToServer, WireDirection.ServerToClient })
        {
            var bytes = transcript.Bytes(direction);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(secret)) < 0, $"The request path must not be readable on the wire ({direction}).");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(secretReply)) < 0, $"The response body must not be readable on the wire ({direction}).");
            Assert.DoesNotContain("secret", transcript.Printable(direction), StringComparison.Ordinal);
            Assert.Null(transcript.ScanRecords(direction).Error);
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Disposing_closes_connections_and_frees_the_port()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = StartListener();
        var target = (IPEndPoint)listener.LocalEndpoint;
        var tap = await RecordingTap.StartAsync(target, ct);
        var port = tap.Port;
        using var client = new TcpClient();
        await client.ConnectAsync(tap.EndPoint, ct);
        using var upstream = await listener.AcceptTcpClientAsync(ct);
        var connection = await tap.WaitForConnectionAsync(1, ct);

        await tap.DisposeAsync().AsTask().WaitAsync(Patience, ct);

        Assert.True(connection.Closed.IsCompleted, "After DisposeAsync every connection should be closed.");
        var read = await ReadOrResetAsync(client.GetStream(), ct);
        Assert.Equal(0, read);
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        Assert.Equal(port, ((IPEndPoint)again.LocalEndpoint).Port);
        await tap.DisposeAsync();
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Bad_connections_do_not_break_the_tap()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = StartListener();
        await using var tap = await RecordingTap.StartAsync((IPEndPoint)listener.LocalEndpoint, ct);

        // 1. A client that connects and resets at once.
        using (var rude = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await rude.ConnectAsync(tap.EndPoint, ct);
            rude.LingerState = new LingerOption(true, 0);
        }

        using (var upstream = await listener.AcceptTcpClientAsync(ct))
        {
            var first = await tap.WaitForConnectionAsync(1, ct);
            await first.Closed.WaitAsync(Patience, ct);
        }

        // 2. A good exchange afterwards still goes through and is recorded.
        var server = ServePlaintextOnceAsync(listener, "pong", ct);
        var reply = await SendPlaintextAsync(tap.EndPoint, "ping", ct);
        await server;

        var second = await tap.WaitForConnectionAsync(2, ct);
        await second.Closed.WaitAsync(Patience, ct);
        Assert.Equal("pong", reply);
        Assert.Equal("ping", second.Transcript.Printable(WireDirection.ClientToServer));
        Assert.Equal(2, tap.Connections.Count);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task An_unreachable_target_fails_that_connection_only()
    {
        var ct = TestContext.Current.CancellationToken;
        IPEndPoint deadTarget;
        using (var reserved = StartListener())
        {
            deadTarget = (IPEndPoint)reserved.LocalEndpoint;
        }

        await using var tap = await RecordingTap.StartAsync(deadTarget, ct);
        using var client = new TcpClient();
        await client.ConnectAsync(tap.EndPoint, ct);
        var connection = await tap.WaitForConnectionAsync(1, ct);
        await connection.Closed.WaitAsync(Patience, ct);

        Assert.Equal(0, await ReadOrResetAsync(client.GetStream(), ct));
        Assert.Contains("Could not connect", connection.Failure, StringComparison.Ordinal);

        using var another = new TcpClient();
        await another.ConnectAsync(tap.EndPoint, ct);
        var next = await tap.WaitForConnectionAsync(2, ct);
        await next.Closed.WaitAsync(Patience, ct);
        Assert.Equal(2, next.Id);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Disposing_in_the_middle_of_busy_connections_finishes_promptly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = StartListener();
        using var stopEcho = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var echo = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptTcpClientAsync(stopEcho.Token);
                    echoes.Add(Task.Run(async () =>
                    {
                        using (socket)
                        {
                            try
                            {
                                await socket.GetStream().CopyToAsync(socket.GetStream(), stopEcho.Token);
                            }
                            catch (Exception e) when (e is IOException or OperationCanceledException)
                            {
                            }
                        }
                    }, CancellationToken.None));
                }
            }
            catch (OperationCanceledException)
            {
            }

            await Task.WhenAll(echoes);
        }, CancellationToken.None);

        var tap = await RecordingTap.StartAsync((IPEndPoint)listener.LocalEndpoint, maxRecordedBytesPerConnection: 64 * 1024, ct);
        var clients = new List<TcpClient>();
        var traffic = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var client = new TcpClient();
            clients.Add(client);
            await client.ConnectAsync(tap.EndPoint, ct);
            traffic.Add(Task.Run(async () =>
            {
                var stream = client.GetStream();
                var chunk = new byte[8192];
                try
                {
                    for (var n = 0; n < 10_000; n++)
                    {
                        await stream.WriteAsync(chunk, ct);
                        await stream.ReadExactlyAsync(chunk, ct);
                    }
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
                {
                    // Expected: the tap goes away under us.
                }
            }, CancellationToken.None));
        }

        await tap.WaitForConnectionAsync(20, ct);
        using (var busy = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            busy.CancelAfter(Patience);
            while (!tap.Connections.Any(c => c.Transcript.Truncated))
            {
                await Task.Delay(20, busy.Token);
            }
        }

        await tap.DisposeAsync().AsTask().WaitAsync(Patience, ct);
        await Task.WhenAll(traffic).WaitAsync(Patience, ct);
        await stopEcho.CancelAsync();
        await echo.WaitAsync(Patience, ct);

        Assert.Equal(20, tap.Connections.Count);
        Assert.All(tap.Connections, c => Assert.True(c.Closed.IsCompleted, $"Connection {c.Id} was left open."));
        Assert.All(tap.Connections, c => Assert.True(c.Transcript.Bytes(WireDirection.ClientToServer).Length <= 64 * 1024, "The per-connection cap " +
            "was exceeded."));
        Assert.Contains(tap.Connections, c => c.Transcript.Truncated);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static TcpListener StartListener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    /// <summary>Accepts one connection, reads the request until the client stops sending, answers, and closes.</summary>
    private static Task ServePlaintextOnceAsync(TcpListener listener, string response, CancellationToken ct) => Task.Run(async () =>
    {
        using var socket = await listener.AcceptTcpClientAsync(ct);
        var stream = socket.GetStream();
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, ct) > 0)
        {
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), ct);
    }, ct);

    /// <summary>Sends a request, half-closes so the server knows it is complete, and reads the reply to the end.</summary>
    private static async Task<string> SendPlaintextAsync(IPEndPoint endPoint, string request, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reply = new MemoryStream();
        await stream.CopyToAsync(reply, ct);
        return Encoding.ASCII.GetString(reply.ToArray());
    }

    /// <summary>0 when the peer closed the connection, whether politely (FIN) or not (RST).</summary>
    private static async Task<int> ReadOrResetAsync(Stream stream, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(new byte[16], ct).AsTask().WaitAsync(Patience, ct);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
