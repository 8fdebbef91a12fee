using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace TlsLab.Exercises;

/// <summary>Exercise 5, part 2: a TLS server on loopback that one bad client cannot take down.</summary>
public sealed class TlsServer : IAsyncDisposable
{
    // A client gets this long to finish its handshake. Without a deadline, a client that connects
    // and says nothing holds a connection (and its memory) for ever.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    // And this long to send its request once the handshake is done.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly SslServerAuthenticationOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _acceptLoop;

    private TlsServer(TcpListener listener, SslServerAuthenticationOptions options)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _options = options;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>The TLS settings every connection gets: the certificate context, TLS 1.2 and 1.3 only, no client certificate.</summary>
    /// <param name="certificate">What the server presents (see <see cref="ServerCredentials.Load"/>).</param>
    public static SslServerAuthenticationOptions CreateOptions(SslStreamCertificateContext certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new SslServerAuthenticationOptions
        {
            // The leaf, its key and the intermediates, built once (exercise 5, part 1). Sending the
            // intermediates is what lets a client that trusts only the root build the chain.
            ServerCertificateContext = certificate,

            // The talk's "OP_NO_TLSv1 | OP_NO_TLSv1_1", stated positively. Written down rather than
            // left to the platform (None), which still allows TLS 1.0 on some Windows and OpenSSL setups.
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,

            // This server does not ask clients for certificates (that is mutual TLS), so it needs no
            // RemoteCertificateValidationCallback either.
            ClientCertificateRequired = false,
        };
    }

    /// <summary>Where the server listens; with the default <c>listenOn</c>, 127.0.0.1 and a port the OS chose.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Starts listening and serving; returns at once.</summary>
    /// <param name="certificate">What the server presents (see <see cref="ServerCredentials.Load"/>).</param>
    /// <param name="listenOn">Address and port; null for 127.0.0.1 and a free port.</param>
    public static TlsServer Start(SslStreamCertificateContext certificate, IPEndPoint? listenOn = null)
    {
        // One options object for every connection: it holds nothing per-connection. Built first, so
        // that a null certificate is refused (by CreateOptions) before anything is bound.
        var options = CreateOptions(certificate);

        // Loopback by default: a practice server should not be reachable from the meetup Wi-Fi.
        // Port 0 asks the OS for any free port, so two runs never collide.
        var listener = new TcpListener(listenOn ?? new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        return new TlsServer(listener, options);
    }

    /// <summary>Stops accepting, closes every connection and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.Keys);
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
                return; // DisposeAsync stopped the listener
            }
            catch (SocketException)
            {
                continue; // a client that gave up while waiting in the queue; the next one is fine
            }

            // The talk's server handled one connection at a time inside its accept loop, so a client
            // that stalls mid-handshake blocks everyone behind it. Each connection gets its own task;
            // the loop goes straight back to accepting.
            var connection = Task.Run(() => ServeAsync(client, stop), CancellationToken.None);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);

                // The talk's context.wrap_socket(sock, server_side=True), with a deadline.
                using (var handshakeDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    handshakeDeadline.CancelAfter(HandshakeTimeout);
                    await tls.AuthenticateAsServerAsync(_options, handshakeDeadline.Token);
                }

                using var requestDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                requestDeadline.CancelAfter(RequestTimeout);
                await ReadRequestHeadAsync(tls, requestDeadline.Token);

                var body = $"Hello {client.RemoteEndPoint}, you reached this server over {tls.SslProtocol} with {tls.NegotiatedCipherSuite}.\n";
                var bodyBytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(head), requestDeadline.Token);
                await tls.WriteAsync(bodyBytes, requestDeadline.Token);

                // close_notify: tells the client the answer is complete rather than cut off.
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The talk's "except ssl.SSLError": garbage instead of a ClientHello, a client that
                // refused our certificate, a client that hung up or stalled past the deadline. It ends
                // this connection only. A real server would log it; the loop keeps accepting either way.
            }
        }
    }

    // Reads lines until the empty line that ends an HTTP head (or the client stops sending).
    private static async Task ReadRequestHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        for (var lines = 0; lines < 100; lines++)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(line))
            {
                return;
            }
        }
    }
}
