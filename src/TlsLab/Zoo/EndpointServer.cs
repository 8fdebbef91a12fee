using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>
/// One scenario's listener and its connections. Every connection runs on its own task with its
/// own deadlines, so a client that stalls, resets or sends garbage only ever costs itself.
/// </summary>
internal sealed class EndpointServer : IAsyncDisposable
{
    private static readonly List<SslApplicationProtocol> ServerAlpn = [SslApplicationProtocol.Http11];

    private readonly TcpListener _listener;
    private readonly Task<EndpointCredentials>? _credentials;
    private readonly Func<IReadOnlyList<LabEndpoint>> _zoo;
    private readonly LabOptions _options;
    private readonly X509ChainPolicy? _clientCertificatePolicy;
    private readonly Action<ConnectionRecord> _completed;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Socket> _open = new();
    private readonly ConcurrentDictionary<long, int> _clientPorts = new();
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private Task _acceptLoop = Task.CompletedTask;
    // Unique across every lab in the process, so a record can be matched to the connection it describes.
    private static long s_nextId;

    /// <param name="credentials">
    /// What the endpoint serves, possibly still being minted (an RSA key takes up to half a second): the listener
    /// accepts at once and the first handshake waits for it. Null for plain HTTP. Owned by the server from here on.
    /// </param>
    public EndpointServer(Scenario scenario, TcpListener listener, Task<EndpointCredentials>? credentials, X509ChainPolicy? clientCertificatePolicy,
        LabOptions options, Action<ConnectionRecord> completed, Func<IReadOnlyList<LabEndpoint>>? zoo = null)
    {
        _zoo = zoo ?? (() => []);
        Scenario = scenario;
        _listener = listener;
        _credentials = credentials;
        _clientCertificatePolicy = clientCertificatePolicy;
        _options = options;
        _completed = completed;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Scenario Scenario { get; }

    public int Port { get; }

    public int OpenConnections => _open.Count;

    /// <summary>The id of a connection from this client port that is being served right now, if any.</summary>
    public long? ServingId(int clientPort)
    {
        foreach (var (id, port) in _clientPorts)
        {
            if (port == clientPort)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Connection tasks not yet finished; like <see cref="OpenConnections"/>, zero when idle.</summary>
    public int TrackedTasks => _tasks.Count;

    /// <summary>The certificate, chain and key this endpoint serves (waiting for them if still minted); null for plaintext.</summary>
    public EndpointCredentials? Credentials => _credentials?.GetAwaiter().GetResult();

    public void Start() => _acceptLoop = AcceptLoopAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var socket in _open.Values)
        {
            socket.Dispose();
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
            await Task.WhenAll(_tasks.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A connection task that ignores cancellation would be a bug; never let it hold up shutdown.
        }

        _stop.Dispose();
        _credentials?.DisposeWhenMinted();
    }

    private async Task AcceptLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await Accept.NextAsync(_listener, stop).ConfigureAwait(false) is not { } socket)
            {
                return;
            }

            // Registered before it starts: a connection that is over at once (a client that resets
            // straight away) removes its own entry, which it could not do if it ended before being added.
            var id = Interlocked.Increment(ref s_nextId);
            _open[id] = socket;
            var serve = new Task<Task>(() => ServeAsync(id, socket, stop));
            _tasks[id] = serve.Unwrap();
            serve.Start(TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(long id, Socket socket, CancellationToken stop)
    {
        // What is known so far, so that a client that resets late still leaves its ClientHello and handshake on record.
        var latest = new LatestRecord(new ConnectionRecord
        {
            Id = id,
            Scenario = Scenario.Name,
            Client = RemoteEndPointOf(socket),
            AcceptedAt = DateTimeOffset.UtcNow,
        });
        if (latest.Record.Client is { } client)
        {
            _clientPorts[id] = client.Port;
        }

        ConnectionRecord record;
        try
        {
            socket.NoDelay = true;
            record = await ServeConnectionAsync(socket, latest, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            record = latest.Record with { Outcome = LabEventKind.BadRequest, Error = "The lab was shutting down." };
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            record = latest.Record with { Outcome = LabEventKind.BadRequest, Error = $"The client went away: {e.Message}" };
        }
        catch (Exception e)
        {
            // Anything unexpected is a lab bug, but it must stay this connection's problem.
            record = latest.Record with { Outcome = LabEventKind.BadRequest, Error = $"Internal error: {e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            CloseGracefully(socket);
        }

        try
        {
            // Into the history before the in-flight mark goes, so Lab.WaitForConnectionAsync never misses it.
            _completed(record);
        }
        finally
        {
            _clientPorts.TryRemove(id, out _);
            _open.TryRemove(id, out _);
            _tasks.TryRemove(id, out _);
        }
    }

    private async Task<ConnectionRecord> ServeConnectionAsync(Socket socket, LatestRecord latest, CancellationToken stop)
    {
        var record = latest.Record;
        var network = new SocketStream(socket);
        await using (network.ConfigureAwait(false))
        {
            if (_credentials is null)
            {
                return await AnswerAsync(network, record, stop).ConfigureAwait(false);
            }

            var credentials = await _credentials.WaitAsync(stop).ConfigureAwait(false);

            var recorder = new ClientHelloRecorder(network);
            var tls = new SslStream(recorder, leaveInnerStreamOpen: true);
            await using (tls.ConfigureAwait(false))
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(_options.HandshakeTimeout);
                Exception? failure = null;
                var seen = new HandshakeChoices();
                try
                {
                    if (credentials.ByName is null)
                    {
                        seen.Certificate = credentials.Name;
                        await tls.AuthenticateAsServerAsync(CreateServerOptions(credentials, seen), deadline.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        // The ClientHello is read first; the options, and the certificate in them, are chosen from what it says.
                        await tls.AuthenticateAsServerAsync(
                            (_, hello, _, _) => ValueTask.FromResult(CreateServerOptions(Choose(credentials, hello, seen), seen)),
                            null, deadline.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
                {
                    failure = e;
                }
                finally
                {
                    recorder.StopRecording();
                }

                record = latest.Record = WithClientHello(record, recorder.Recorded) with
                {
                    ServerCertificate = seen.Certificate,
                    ServerCertificateReason = seen.Reason,
                    ClientCertificateValid = seen.ClientCertificateValid,
                    ClientCertificateProblem = seen.ClientCertificateProblem,
                };
                if (failure is not null)
                {
                    return await HandshakeFailedAsync(network, recorder, record, failure, stop).ConfigureAwait(false);
                }

                record = latest.Record = record with
                {
                    Protocol = tls.SslProtocol,
                    CipherSuite = tls.NegotiatedCipherSuite,
                    ServerNameIndication = string.IsNullOrEmpty(tls.TargetHostName) ? null : tls.TargetHostName,
                    Alpn = tls.NegotiatedApplicationProtocol == default ? null : tls.NegotiatedApplicationProtocol.ToString(),
                    ClientCertificateSubject = tls.RemoteCertificate?.Subject,
                };
                try
                {
                    record = tls.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2
                        ? await RefuseHttp2Async(tls, record, stop).ConfigureAwait(false)
                        : await AnswerAsync(tls, record, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (!stop.IsCancellationRequested && e is IOException or SocketException)
                {
                    // Keep what the handshake showed. A TLS 1.3 client checks the certificate after its
                    // side of the handshake is done, so one that rejects it hangs up right here.
                    return record with { Outcome = LabEventKind.BadRequest, Error = HandshakeFailureSentence.WentAway(record) };
                }

                await CloseNotifyAsync(tls, stop).ConfigureAwait(false);
                return record;
            }
        }
    }

    // TLS says each side ends with a close_notify alert. Without it, OpenSSL clients report the
    // close as "unexpected eof while reading" (s_client exits 1), as they would for a cut connection.
    private static async Task CloseNotifyAsync(SslStream tls, CancellationToken stop)
    {
        try
        {
            await tls.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(2), stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException
            or OperationCanceledException or TimeoutException or SocketException)
        {
            // The client is already gone; there is no one left to tell.
        }
    }

    private async Task<ConnectionRecord> HandshakeFailedAsync(Stream network, ClientHelloRecorder recorder, ConnectionRecord record,
        Exception failure, CancellationToken stop)
    {
        if (failure is OperationCanceledException && !stop.IsCancellationRequested)
        {
            return record with
            {
                Outcome = LabEventKind.TimedOut,
                Error = $"No complete handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s; connection dropped."
            };
        }

        if (MiniHttp.LooksLikeHttp(recorder.Recorded))
        {
            // Like a well-behaved HTTPS server, tell a plain-HTTP client what it did wrong, in plain HTTP.
            using var writeDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            writeDeadline.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await MiniHttp.WriteResponseAsync(network, 400, "Bad Request", "text/plain; charset=utf-8", EndpointPages.PlainHttpToTlsPort,
                    Scenario.Name, false, writeDeadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client did not wait for the answer; nothing more to do.
            }

            return record with { Outcome = LabEventKind.HandshakeFailed, Error = "Plain HTTP sent to a TLS port; answered 400 in plaintext." };
        }

        return record with { Outcome = LabEventKind.HandshakeFailed, Error = HandshakeFailureSentence.For(failure, record, Scenario) };
    }

    // The lab answers in HTTP/1.1 only; a client that negotiated h2 is told so in HTTP/2, and curl and browsers retry over HTTP/1.1.
    private async Task<ConnectionRecord> RefuseHttp2Async(Stream stream, ConnectionRecord record, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            var what = await Http2Refusal.RefuseAsync(stream, deadline.Token).ConfigureAwait(false);
            return record with { Outcome = LabEventKind.Served, Error = what };
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is OperationCanceledException or EndOfStreamException)
        {
            return record with { Outcome = LabEventKind.BadRequest, Error = "h2 was negotiated, but no HTTP/2 request came." };
        }
    }

    private async Task<ConnectionRecord> AnswerAsync(Stream stream, ConnectionRecord record, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_options.RequestTimeout);
        HttpReadResult result;
        try
        {
            result = await MiniHttp.ReadHeadAsync(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            await RespondAsync(stream, 408, "Request Timeout", EndpointPages.HeadTimedOut, head: false, stop).ConfigureAwait(false);
            return record with { Outcome = LabEventKind.TimedOut, Error = "The request head never ended; answered 408." };
        }

        switch (result.Status)
        {
            case HttpReadStatus.ClosedBeforeRequest when record.Protocol is not null:
                return record with { Outcome = LabEventKind.Served, Error = HandshakeFailureSentence.ClosedAfterHandshake() };
            case HttpReadStatus.ClosedBeforeRequest:
            case HttpReadStatus.IncompleteHead:
                return record with { Outcome = record.HandshakeCompleted ? LabEventKind.Served : LabEventKind.BadRequest, Error = result.Problem };
            case HttpReadStatus.TooLarge:
                await RespondAsync(stream, 431, "Request Header Fields Too Large", EndpointPages.TooLarge, false, stop).ConfigureAwait(false);
                return record with { Outcome = LabEventKind.BadRequest, Error = result.Problem };
            case HttpReadStatus.Malformed:
                await RespondAsync(stream, 400, "Bad Request", EndpointPages.Malformed(result.Problem!), false, stop).ConfigureAwait(false);
                return record with { Outcome = LabEventKind.BadRequest, Error = result.Problem };
        }

        var request = result.Head!;
        var headOnly = request.Method == "HEAD";
        if (request.Method is not ("GET" or "HEAD"))
        {
            await RespondAsync(stream, 405, "Method Not Allowed", EndpointPages.MethodNotAllowed, false, stop).ConfigureAwait(false);
            return record with { Outcome = LabEventKind.BadRequest, Error = $"Method {request.Method} not allowed." };
        }

        if (request.Version == "HTTP/1.1" && string.IsNullOrWhiteSpace(request.Host))
        {
            await RespondAsync(stream, 400, "Bad Request", EndpointPages.MissingHost, headOnly, stop).ConfigureAwait(false);
            return record with { Outcome = LabEventKind.BadRequest, Error = "HTTP/1.1 request without a Host header; answered 400." };
        }

        var path = request.Target.Split('?')[0];
        switch (path)
        {
            case "/" when EndpointHtml.Wanted(request):
                var page = Scenario.Tls ? EndpointHtml.Endpoint(Scenario, record) : EndpointHtml.Zoo(_zoo());
                await MiniHttp.WriteResponseAsync(stream, 200, "OK", "text/html; charset=utf-8", page, Scenario.Name, headOnly, stop)
                    .ConfigureAwait(false);
                break;
            case "/":
                await RespondAsync(stream, 200, "OK", EndpointPages.Home(Scenario, record, request), headOnly, stop).ConfigureAwait(false);
                break;
            case "/handshake.json":
                await MiniHttp.WriteResponseAsync(stream, 200, "OK", "application/json", HandshakeReport.From(record, Scenario.Tls).ToJson() + "\n",
                    Scenario.Name, headOnly, stop).ConfigureAwait(false);
                break;
            default:
                await RespondAsync(stream, 404, "Not Found", EndpointPages.NotFound, headOnly, stop).ConfigureAwait(false);
                break;
        }

        return record with { Outcome = LabEventKind.Served };
    }

    private Task RespondAsync(Stream stream, int status, string reason, string body, bool head, CancellationToken stop) =>
        MiniHttp.WriteResponseAsync(stream, status, reason, "text/plain; charset=utf-8", body, Scenario.Name, head, stop);

    private SslServerAuthenticationOptions CreateServerOptions(EndpointCredentials credentials, HandshakeChoices seen)
    {
        var asks = Scenario.RequiresClientCertificate || Scenario.RequestsClientCertificate;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = credentials.Context,
            EnabledSslProtocols = Scenario.Protocols,
            ApplicationProtocols = Scenario.ApplicationProtocols?.ToList() ?? ServerAlpn,
            AllowRenegotiation = false,

            // Asking is the CertificateRequest message; whether a client without a certificate is served is the callback's answer.
            ClientCertificateRequired = asks,

            // A resumed TLS 1.3 session skips client authentication and carries the identity of the
            // earlier connection; mutual TLS lessons want every connection to prove itself.
            AllowTlsResume = !asks,
        };

        if (Scenario.CbcOnly && !OperatingSystem.IsWindows())
        {
            options.CipherSuitesPolicy = CipherPolicies.CbcOnly;
        }

        if (Scenario.RequiresClientCertificate)
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) => ValidateClientCertificate(certificate, seen);
        }
        else if (Scenario.RequestsClientCertificate)
        {
            // Requested, not required: a client that sends no certificate is served (anonymous); one that sends a certificate
            // that does not chain to the lab root is refused, as nginx's "ssl_verify_client optional" does. A server never
            // accepts a certificate it could not validate.
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is null || ValidateClientCertificate(certificate, seen);
        }

        return options;
    }

    // sni-multi: the certificate for the name the client asked for, or the default one, and why.
    private static EndpointCredentials Choose(EndpointCredentials credentials, SslClientHelloInfo hello, HandshakeChoices seen)
    {
        var name = hello.ServerName;
        var chosen = string.IsNullOrEmpty(name) ? credentials
            : credentials.ByName!.TryGetValue(name, out var other) ? other
            : credentials;
        seen.Certificate = chosen.Name;
        seen.Reason = string.IsNullOrEmpty(name)
            ? $"the ClientHello carried no SNI, so the server sent its default certificate, for {credentials.Name}"
            : string.Equals(name, chosen.Name, StringComparison.OrdinalIgnoreCase)
                ? $"the ClientHello asked for {name} (SNI), and the server has a certificate for that name"
                : $"the ClientHello asked for {name} (SNI), a name the server has no certificate for, so it sent its default, for {credentials.Name}";
        return chosen;
    }

    // Mutual TLS: the client's certificate must chain to the lab root and be meant for clients.
    private bool ValidateClientCertificate(X509Certificate? certificate, HandshakeChoices seen)
    {
        if (certificate is null || _clientCertificatePolicy is null)
        {
            return false;
        }

        using var chain = new X509Chain { ChainPolicy = _clientCertificatePolicy.Clone() };
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var valid = chain.Build(presented);
        seen.ClientCertificateValid = valid;
        seen.ClientCertificateProblem = valid ? null
            : string.Join("; ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct()) is { Length: > 0 } status
                ? $"it does not chain to the lab root as a client certificate ({status})"
                : "it does not chain to the lab root as a client certificate";
        return valid;
    }

    /// <summary>What the server decided during one handshake, for the connection's record.</summary>
    private sealed class HandshakeChoices
    {
        public string? Certificate { get; set; }

        public string? Reason { get; set; }

        public bool? ClientCertificateValid { get; set; }

        public string? ClientCertificateProblem { get; set; }
    }

    private static ConnectionRecord WithClientHello(ConnectionRecord record, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return record with { ClientHelloError = "The client sent nothing." };
        }

        return ClientHelloReader.TryRead(bytes, out var hello, out var error, out _) switch
        {
            ClientHelloReadStatus.Complete => record with { ClientHello = hello },
            ClientHelloReadStatus.NeedMoreData => record with { ClientHelloError = "The client stopped in the middle of its ClientHello." },
            _ => record with { ClientHelloError = error?.Message ?? "The first bytes were not a ClientHello." },
        };
    }

    // Send FIN before closing. A read that timed out may still be pending on the socket, and closing
    // a socket with a pending read aborts it with a reset, which would destroy an answer (a 408) the
    // client has not read yet.
    private static void CloseGracefully(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or closed by the client: nothing left to deliver.
        }

        socket.Dispose();
    }

    // A client that reset before we looked has no remote end point any more; that must not escape the task.
    private static IPEndPoint? RemoteEndPointOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint as IPEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>The record of a connection as far as it got, shared with the code that handles its failure.</summary>
    private sealed class LatestRecord(ConnectionRecord initial)
    {
        public ConnectionRecord Record { get; set; } = initial;
    }
}
