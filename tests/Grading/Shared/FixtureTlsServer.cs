using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace TlsLab.Grading;

/// <summary>
/// A small TLS server for grading fixtures the lab's zoo lacks: it serves one set of server options
/// (a look-alike certificate, or the attendee's own exercise-6 options) to any number of clients at
/// once, each connection on its own task with a deadline. With no options it is a silent server: it
/// accepts and never says a word, the peer a client must be able to give up on.
/// </summary>
public sealed class FixtureTlsServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslServerAuthenticationOptions? _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly TaskCompletionSource _heard = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;

    private FixtureTlsServer(SslServerAuthenticationOptions? options)
    {
        _options = options;
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Where to connect: 127.0.0.1 and a port the OS chose.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>For a silent server: completes when a client has sent its first bytes (a ClientHello, usually) and is now waiting.</summary>
    public Task HeardFromClient => _heard.Task;

    /// <summary>Serves <paramref name="options"/> on 127.0.0.1: a handshake, then it waits for the client to leave.</summary>
    public static FixtureTlsServer Serve(SslServerAuthenticationOptions options) => new(options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>Accepts connections and never answers them (until disposed).</summary>
    public static FixtureTlsServer Silent() => new(null);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping is what ended the loop.
        }

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
            catch (SocketException)
            {
                continue;
            }

            _open.TryAdd(client, 0);
            _ = _options is null
                ? Task.Run(() => ListenSilentlyAsync(client, stop), CancellationToken.None)
                : Task.Run(() => ServeAsync(client, _options, stop), CancellationToken.None);
        }
    }

    // Reads whatever the client sends and never answers, until the client leaves or the server stops.
    private async Task ListenSilentlyAsync(Socket client, CancellationToken stop)
    {
        var buffer = new byte[4096];
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, stop) > 0)
            {
                _heard.TrySetResult();
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up (the point of the fixture) or the server is stopping.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
        }
    }

    private async Task ServeAsync(Socket client, SslServerAuthenticationOptions options, CancellationToken stop)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(Deadline);
            await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(options, deadline.Token);

            // The clients graders use either stop after the handshake or send one request; answer it,
            // then wait for the client to hang up.
            var buffer = new byte[4096];
            if (await tls.ReadAsync(buffer, deadline.Token) > 0)
            {
                await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), deadline.Token);
                await tls.ShutdownAsync();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // The client refused us (the point of most fixtures), left, or ran out of time.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
        }
    }
}
