using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Grading;

/// <summary>
/// A loopback HTTPS server that asks every client for a certificate and notes what each presented (or that it presented none), then
/// answers 200. It is an observer, not a gate: it serves a client whatever it presents, so that "what did the handler send?" has an
/// answer on every connection. Its own certificate chains to the lab root.
/// </summary>
public sealed class CertificateAskingServer : IAsyncDisposable
{
    private static readonly byte[] Answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task> _connections = new();
    private readonly ConcurrentQueue<string?> _presented = new();
    private readonly Task _acceptLoop;

    /// <summary>Starts listening on 127.0.0.1 and a free port, serving <paramref name="certificate"/>.</summary>
    public CertificateAskingServer(SslStreamCertificateContext certificate)
    {
        _certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Where to connect.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Per completed handshake, in order: the thumbprint of the certificate the client presented, or null for none.</summary>
    public IReadOnlyList<string?> Presented => [.. _presented];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_acceptLoop, .. _connections]);
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
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections.Enqueue(Task.Run(() => ServeAsync(client, stop), CancellationToken.None));
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(TimeSpan.FromSeconds(10));
                await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate,
                    ClientCertificateRequired = true,

                    // Observes, never judges: whatever the client presents (or not) is noted and the client is served.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                }, deadline.Token);
                _presented.Enqueue(tls.RemoteCertificate is { } presented ? presented.GetCertHashString() : null);
                var head = new byte[4096];
                var read = 0;
                while (read < head.Length && head.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
                {
                    var n = await tls.ReadAsync(head.AsMemory(read), deadline.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                await tls.WriteAsync(Answer, deadline.Token);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                or SocketException or ObjectDisposedException)
            {
                // A client that gave up is the check's business, not the server's.
            }
        }
    }
}
