using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace TlsLab.Grading;

/// <summary>
/// What an attacker in the middle does to make a client retry: the first connection is reset (TCP RST) as
/// soon as the client's first bytes arrive; every later connection is served, with TLS 1.2 allowed, and
/// answered 200. A client makes exactly one connection per call, so the first reset must reach its caller;
/// a client that retries (worse: on a copy of the options with an older protocol) shows up here.
/// </summary>
public sealed class ResetFirstServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    /// <summary>Starts listening on 127.0.0.1 and a free port.</summary>
    /// <param name="certificate">What the second and later connections are served with.</param>
    public ResetFirstServer(SslStreamCertificateContext certificate)
    {
        _certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Where to connect.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>How many TCP connections the server has accepted so far.</summary>
    public int Connections => Volatile.Read(ref _accepted);

    /// <summary>The protocol the first served (second) connection negotiated, once one was served.</summary>
    public SslProtocols? ServedProtocol { get; private set; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping is what ended the loop.
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _accepted);
            var connection = Task.Run(() => number == 1 ? ResetAsync(client, stop) : ServeAsync(client, stop), CancellationToken.None);
            lock (_connections)
            {
                _connections.Add(connection);
            }
        }
    }

    // Waits for the ClientHello, then closes with linger 0: the kernel sends RST, the client reads "connection reset".
    private static async Task ResetAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(Deadline);
                _ = await client.ReceiveAsync(new byte[4096], SocketFlags.None, deadline.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Reset it anyway.
            }

            client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(Deadline);
                await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate,
                    // The attacker's server offers TLS 1.2 too: a client that retries with an older protocol gets it.
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, deadline.Token);
                ServedProtocol ??= tls.SslProtocol;
                if (await tls.ReadAsync(new byte[4096], deadline.Token) > 0)
                {
                    await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), deadline.Token);
                    await tls.ShutdownAsync();
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                or AuthenticationException)
            {
                // The client left or refused us.
            }
        }
    }
}
