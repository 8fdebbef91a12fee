using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>
/// The attacker in the middle, on loopback: it stands in front of one of the lab's endpoints on its own port, accepts the client's TLS with a
/// certificate of its choosing (<see cref="Forgery"/>), opens its own TLS connection to the real endpoint, passes everything on both ways
/// and keeps what it read. A client that accepts the forged certificate gets its answer as if nothing happened; the interceptor has read
/// the request (headers, passwords, tokens) and the answer.
/// <code>
/// await using var attacker = await Interceptor.StartAsync(lab, "good", Forgery.SelfSigned);
/// // connect to attacker.EndPoint instead of lab["good"].EndPoint; then:
/// var seen = await attacker.WaitForConnectionAsync();
/// </code>
/// It works on loopback only and only in front of the lab it is given: it refuses any other target, and says why.
/// </summary>
public sealed class Interceptor : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LingerAfterAnswer = TimeSpan.FromSeconds(2);
    private const long MaxRecordedBytes = 1024 * 1024;
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly ForgedCredentials _forged;
    private readonly byte[] _realCertificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<InterceptedConnection> _connections = [];
    private readonly List<IDisposable> _open = [];
    private readonly List<Task> _handlers = [];
    private TaskCompletionSource _connectionAccepted = NewSignal();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private Interceptor(LabEndpoint target, Forgery forgery, ForgedCredentials forged, byte[] realCertificate)
    {
        Target = target;
        Forgery = forgery;
        _forged = forged;
        _realCertificate = realCertificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
    }

    /// <summary>The lab endpoint the interceptor passes connections on to.</summary>
    public LabEndpoint Target { get; }

    /// <summary>The certificate it presents to clients.</summary>
    public Forgery Forgery { get; }

    /// <summary>What it presents, in one line: the certificate's names and who signed it.</summary>
    public string Presents => _forged.Description;

    /// <summary>Where a client connects to be intercepted (always 127.0.0.1), instead of <see cref="Target"/>'s endpoint.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The connections accepted so far, oldest first.</summary>
    public IReadOnlyList<InterceptedConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Called once per connection when it is over, for a log (<c>tlslab serve --attacker</c>); exceptions it throws are ignored.</summary>
    internal Action<InterceptedConnection>? OnClosed { get; set; }

    /// <summary>Puts an interceptor in front of the lab's endpoint for <paramref name="scenario"/>.</summary>
    /// <exception cref="KeyNotFoundException">The lab runs no such scenario; the message lists those it runs.</exception>
    /// <exception cref="ArgumentException">The endpoint serves plain HTTP, or the lab does not listen on loopback.</exception>
    public static Task<Interceptor> StartAsync(Lab lab, string scenario, Forgery forgery)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentException.ThrowIfNullOrEmpty(scenario);
        return StartAsync(lab, lab.Endpoint(scenario), forgery);
    }

    /// <summary>Puts an interceptor in front of <paramref name="target"/>, which must be one of <paramref name="lab"/>'s own endpoints.</summary>
    /// <exception cref="ArgumentException">The target is not one of the lab's endpoints, is not on loopback, or serves plain HTTP.</exception>
    public static Task<Interceptor> StartAsync(Lab lab, IPEndPoint target, Forgery forgery)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(target);
        var endpoint = lab.Endpoints.FirstOrDefault(e => e.EndPoint.Equals(target))
            ?? throw new ArgumentException($"The interceptor stands only in front of the lab's own endpoints, and {target} is not one of them. " +
                $"Give it a lab endpoint (lab[\"good\"].EndPoint) or a scenario name: {string.Join(", ", lab.Endpoints.Select(e => e.Name))}.",
                nameof(target));
        return StartAsync(lab, endpoint, forgery);
    }

    private static Task<Interceptor> StartAsync(Lab lab, LabEndpoint endpoint, Forgery forgery)
    {
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"The lab listens on {endpoint.Address}, not on loopback. The interceptor works on loopback only, so that " +
                "what it reads never leaves this machine: start the lab on 127.0.0.1 (the default).", nameof(endpoint));
        }

        var real = lab.CredentialsOf(endpoint.Name)
            ?? throw new ArgumentException($"'{endpoint.Name}' serves plain HTTP: there is no certificate to forge, and anyone on the path reads it " +
                "as it is (RecordingTap shows that). Choose a TLS endpoint such as 'good'.", nameof(endpoint));
        if (!Enum.IsDefined(forgery))
        {
            throw new ArgumentOutOfRangeException(nameof(forgery), forgery, $"Choose one of: {string.Join(", ", Enum.GetNames<Forgery>())}.");
        }

        var interceptor = new Interceptor(endpoint, forgery, ForgedCredentials.Mint(forgery, real.Leaf, lab.Pki), real.Leaf.RawData);
        interceptor._listener.Start();
        interceptor._acceptLoop = interceptor.AcceptLoopAsync();
        return Task.FromResult(interceptor);
    }

    /// <summary>Waits until connection number <paramref name="id"/> (1-based) is over, and returns it with all it read.</summary>
    public async Task<InterceptedConnection> WaitForConnectionAsync(int id = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id, 1);
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            var connection = await AcceptedAsync(id, cancellationToken).WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            await connection.Closed.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The interceptor in front of '{Target.Name}' saw no finished connection number {id} within " +
                $"{wait.TotalSeconds:0.#} s. Did the client connect to {EndPoint} (the interceptor) rather than to {Target.EndPoint}?");
        }
    }

    /// <summary>Stops listening, closes every connection and waits for them to end. The port is free afterwards.</summary>
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
            foreach (var open in _open)
            {
                open.Dispose();
            }

            handlers = [.. _handlers];
            _connectionAccepted.TrySetResult();
        }

        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(handlers).ConfigureAwait(false);
        _forged.Dispose();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"interceptor on {EndPoint} in front of {Target.Name} ({Target.EndPoint}), presenting {Presents}";

    private async Task<InterceptedConnection> AcceptedAsync(int id, CancellationToken cancellationToken)
    {
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
            await accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
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

            var connection = new InterceptedConnection(++nextId, Accept.RemoteOf(client), Forgery, MaxRecordedBytes);
            lock (_lock)
            {
                if (ct.IsCancellationRequested)
                {
                    client.Dispose();
                    return;
                }

                _connections.Add(connection);
                _open.Add(client);
                _handlers.Add(Task.Run(() => InterceptAsync(connection, client, ct), CancellationToken.None));
                _connectionAccepted.TrySetResult();
                _connectionAccepted = NewSignal();
            }
        }
    }

    /// <summary>Runs one connection to the end. Never throws: whatever goes wrong stays inside this connection.</summary>
    private async Task InterceptAsync(InterceptedConnection connection, Socket client, CancellationToken ct)
    {
        Socket? upstream = null;
        var toClient = new SslStream(new NetworkStream(client, ownsSocket: true));
        SslStream? toServer = null;
        try
        {
            client.NoDelay = true;
            if (!await AcceptClientAsync(connection, toClient, ct).ConfigureAwait(false))
            {
                return;
            }

            var buffer = new byte[BufferSize];
            var first = await FirstWordsAsync(connection, toClient, buffer, ct).ConfigureAwait(false);
            if (first == 0)
            {
                return;
            }

            upstream = new Socket(Target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            lock (_lock)
            {
                // Disposal may have run since the accept; it closes only what it can see.
                ct.ThrowIfCancellationRequested();
                _open.Add(upstream);
            }

            toServer = await ConnectToServerAsync(connection, upstream, ct).ConfigureAwait(false);
            if (toServer is null)
            {
                return;
            }

            await toServer.WriteAsync(buffer.AsMemory(0, first), ct).ConfigureAwait(false);
            var requests = PumpAsync(toClient, toServer, WireDirection.ClientToServer, connection, ct);
            var answers = PumpAsync(toServer, toClient, WireDirection.ServerToClient, connection, ct);

            // The lab answers once and closes; after that the client has nothing more to say, so it gets a moment to close, not for ever.
            var ended = await Task.WhenAny(requests, answers).ConfigureAwait(false);
            var other = ended == answers ? requests : answers;
            await Task.WhenAny(other, Task.Delay(ended == answers ? LingerAfterAnswer : AnswerTimeout, ct)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Deliberately broad: this runs unobserved on the thread pool, and one connection's trouble must end that connection only.
            connection.Fail(ct.IsCancellationRequested ? "The interceptor was stopped." : e.Message);
        }
        finally
        {
            await toClient.DisposeAsync().ConfigureAwait(false);
            if (toServer is not null)
            {
                await toServer.DisposeAsync().ConfigureAwait(false);
            }

            upstream?.Dispose();
            lock (_lock)
            {
                _open.Remove(client);
                if (upstream is not null)
                {
                    _open.Remove(upstream);
                }
            }

            connection.MarkClosed();
            try
            {
                OnClosed?.Invoke(connection);
            }
#pragma warning disable CA1031 // A logging callback that throws must not take the interceptor down with it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>The handshake with the client, as the server it pretends to be. False when the client refused (or it could not be done).</summary>
    private async Task<bool> AcceptClientAsync(InterceptedConnection connection, SslStream toClient, CancellationToken ct)
    {
        // http/1.1 by ALPN, as the lab's endpoints answer, so nothing in the handshake looks different from the real server's.
        var options = _forged.Context is { } context
            ? new SslServerAuthenticationOptions { ServerCertificateContext = context, ApplicationProtocols = [SslApplicationProtocol.Http11] }
            // The honest failure: TLS makes the server sign the handshake with the certificate's key, and a copy of a certificate has none.
            : new SslServerAuthenticationOptions { ServerCertificate = _forged.Presented, ApplicationProtocols = [SslApplicationProtocol.Http11] };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await toClient.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            connection.Refuse(_forged.Context is null
                ? $"the interceptor cannot use the real certificate: it has no private key to sign the handshake with ({Innermost(e)})"
                : e is OperationCanceledException
                    ? $"the client did not finish the handshake within {HandshakeTimeout.TotalSeconds:0} s"
                    : $"the client refused the handshake ({ClientSaid(e)})");
            return false;
        }
    }

    /// <summary>
    /// Waits for the client's first bytes and keeps them: the moment the client shows it was fooled. A finished handshake proves nothing yet:
    /// a client may check the certificate only once its TLS library is done (.NET on Linux does), and then close without a word. Returns the
    /// number of bytes read, 0 when the client refused.
    /// </summary>
    private static async Task<int> FirstWordsAsync(InterceptedConnection connection, SslStream toClient, byte[] buffer, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            var read = await toClient.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                connection.Refuse("the client closed the connection after the handshake without sending a request: it did not accept the certificate");
                return 0;
            }

            connection.MarkFooled();
            connection.Recorder.Record(WireDirection.ClientToServer, buffer.AsSpan(0, read));
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            connection.Refuse(e is OperationCanceledException
                ? $"the client sent nothing within {AnswerTimeout.TotalSeconds:0} s of the handshake"
                : $"the client refused the certificate after the handshake ({ClientSaid(e)})");
            return 0;
        }
    }

    /// <summary>The interceptor's own connection to the real endpoint, or null (with the reason on the connection) when it cannot be had.</summary>
    private async Task<SslStream?> ConnectToServerAsync(InterceptedConnection connection, Socket upstream, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        SslStream? tls = null;
        try
        {
            await upstream.ConnectAsync(Target.EndPoint, timeout.Token).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(upstream, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = Target.Host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                // The lab's endpoints are broken on purpose (expired, self-signed, ...), so the usual checks would refuse most of them. The
                // interceptor knows the exact certificate the endpoint serves, and the handshake proves the server holds its key: nothing
                // else can pass this check.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan()
                    .SequenceEqual(_realCertificate),
            }, timeout.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            connection.Fail($"the interceptor could not reach the real '{Target.Name}' at {Target.EndPoint}: {Innermost(e)}");
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
    }

    /// <summary>Copies one direction until its end, keeping what it read. Returns false (never throws) when the copy broke off.</summary>
    private static async Task<bool> PumpAsync(SslStream from, SslStream to, WireDirection direction, InterceptedConnection connection,
        CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    // Pass the end on (close_notify), so a peer reading to the end sees it.
                    await to.ShutdownAsync().ConfigureAwait(false);
                    return true;
                }

                // Kept before it is passed on: once the receiving side has a byte, the record has it too.
                connection.Recorder.Record(direction, buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            return false;
        }
    }

    // The client's alert in TLS's own name (unknown_ca, bad_certificate...), which every client and book uses, rather than the TLS
    // library's message around it; the message itself when it names no alert.
    private static string ClientSaid(Exception e) =>
        HandshakeFailureSentence.ClientAlertOf(e) is { } alert ? $"its alert: {alert}" : Innermost(e);

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
