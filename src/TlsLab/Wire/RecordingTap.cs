using System.Net;
using System.Net.Sockets;

namespace TlsLab.Wire;

/// <summary>
/// A TCP proxy on 127.0.0.1 that forwards every connection to a target and records both directions:
/// the "person in the middle who only watches". Point a client at <see cref="Port"/> instead of the server
/// and the transcript shows exactly what a network observer would see.
/// </summary>
public sealed class RecordingTap : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly long _maxRecordedBytesPerConnection;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<TapConnection> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _handlers = [];
    private TaskCompletionSource _connectionAccepted = NewSignal();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private RecordingTap(IPEndPoint target, long maxRecordedBytesPerConnection)
    {
        Target = target;
        _maxRecordedBytesPerConnection = maxRecordedBytesPerConnection;
        _listener = new TcpListener(IPAddress.Loopback, 0);
    }

    /// <summary>Where the tap forwards connections to.</summary>
    public IPEndPoint Target { get; }

    /// <summary>Where clients should connect instead of the target.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Port => EndPoint.Port;

    /// <summary>The connections accepted so far, oldest first.</summary>
    public IReadOnlyList<TapConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    public static Task<RecordingTap> StartAsync(IPEndPoint target, CancellationToken ct = default) =>
        StartAsync(target, RecordingStream.DefaultMaxRecordedBytes, ct);

    /// <param name="target">The real server.</param>
    /// <param name="maxRecordedBytesPerConnection">Cap on bytes kept per connection; the rest is forwarded but not kept.</param>
    /// <param name="ct">Cancels starting only; stop the tap by disposing it.</param>
    public static Task<RecordingTap> StartAsync(IPEndPoint target, long maxRecordedBytesPerConnection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecordedBytesPerConnection);
        ct.ThrowIfCancellationRequested();

        var tap = new RecordingTap(target, maxRecordedBytesPerConnection);
        tap._listener.Start();
        tap._acceptLoop = tap.AcceptLoopAsync();
        return Task.FromResult(tap);
    }

    /// <summary>Waits until the tap has accepted connection number <paramref name="id"/> (1-based) and returns it.</summary>
    public async Task<TapConnection> WaitForConnectionAsync(int id = 1, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id, 1);
        while (true)
        {
            Task accepted;
            lock (_lock)
            {
                if (_connections.Count >= id)
                {
                    return _connections[id - 1];
                }

                accepted = _connectionAccepted.Task;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            await accepted.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening, closes every connection and waits for the forwarding to stop. The port is free afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();

        Task[] handlers;
        lock (_lock)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            handlers = [.. _handlers];
            _connectionAccepted.TrySetResult();
        }

        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(handlers).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stopping.Token;
        var nextId = 0;
        while (!ct.IsCancellationRequested)
        {
            if (await Accept.NextAsync(_listener, ct).ConfigureAwait(false) is not { } client)
            {
                return;
            }

            var connection = new TapConnection(++nextId, Accept.RemoteOf(client), _maxRecordedBytesPerConnection);
            lock (_lock)
            {
                if (ct.IsCancellationRequested)
                {
                    client.Dispose();
                    return;
                }

                _connections.Add(connection);
                _sockets.Add(client);
                _handlers.Add(Task.Run(() => ForwardAsync(connection, client, ct), CancellationToken.None));
                _connectionAccepted.TrySetResult();
                _connectionAccepted = NewSignal();
            }
        }
    }

    /// <summary>Runs one connection to the end. Never throws: whatever goes wrong stays inside this connection.</summary>
    private async Task ForwardAsync(TapConnection connection, Socket client, CancellationToken ct)
    {
        Socket? upstream = null;
        try
        {
            upstream = new Socket(Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            lock (_lock)
            {
                // Disposal may have run between accepting and getting here; it closes only what it can see.
                ct.ThrowIfCancellationRequested();
                _sockets.Add(upstream);
            }

            client.NoDelay = true;
            upstream.NoDelay = true;
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connectTimeout.CancelAfter(ConnectTimeout);
                try
                {
                    await upstream.ConnectAsync(Target, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    connection.Fail($"Could not connect to {Target}: {e.Message}");
                    return;
                }
            }

            var toServer = PumpAsync(client, upstream, WireDirection.ClientToServer, connection, ct);
            var toClient = PumpAsync(upstream, client, WireDirection.ServerToClient, connection, ct);

            // If one direction breaks (a reset), the connection is over: close both sockets so the other
            // direction stops waiting instead of holding the connection open forever.
            var first = await Task.WhenAny(toServer, toClient).ConfigureAwait(false);
            if (!await first.ConfigureAwait(false))
            {
                client.Dispose();
                upstream.Dispose();
            }

            await Task.WhenAll(toServer, toClient).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Deliberately broad: this runs unobserved on the thread pool, and the promise is that one
            // connection's trouble, whatever it is, ends that connection and nothing else.
            connection.Fail(ct.IsCancellationRequested ? "The tap was stopped." : e.Message);
        }
        finally
        {
            client.Dispose();
            upstream?.Dispose();
            lock (_lock)
            {
                _sockets.Remove(client);
                if (upstream is not null)
                {
                    _sockets.Remove(upstream);
                }
            }

            connection.MarkClosed();
        }
    }

    /// <summary>Copies one direction until end of stream. Returns false (never throws) when the copy broke off.</summary>
    private static async Task<bool> PumpAsync(Socket from, Socket to, WireDirection direction, TapConnection connection, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    // Pass the half-close on, so a peer waiting for end of stream sees it.
                    to.Shutdown(SocketShutdown.Send);
                    return true;
                }

                // Record before forwarding: once the receiving peer has a byte, the transcript has it too.
                connection.Recorder.Record(direction, buffer.AsSpan(0, read));
                for (var sent = 0; sent < read;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var side = direction == WireDirection.ClientToServer ? "client -> server" : "server -> client";
            connection.Fail($"{side} stopped: {e.Message}");
            return false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
