using System.Net;
using System.Net.NetworkInformation;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 5: load PEM credentials, serve TLS on loopback, send the chain, survive bad clients.</summary>
public static class ServerGrader
{
    private const int Exercise = 5;

    /// <summary>The name on the exercise server's certificate.</summary>
    public const string ServerName = "exercise5.localhost";

    // Property: Load returns the first certificate of the chain file, paired with the key file's key,
    // and every certificate after it as an intermediate to send.
    /// <summary>Load returns the leaf with its key and the intermediate from the PEM files.</summary>
    public static void LoadReadsKeyCertificateAndIntermediates(ServerApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var pki = new ExercisePki();
        CheckLoad(api, pki.Files, pki.Leaf, pki.Intermediate, pki.Contents());
    }

    // Property: the same holds whatever the key's algorithm: an RSA key loads as well as an ECDSA one.
    /// <summary>Load reads an RSA key and certificate (the lab's good-rsa credentials) as well as an ECDSA one.</summary>
    public static void LoadReadsAnRsaKey(Lab lab, ServerApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);

        // The lab's RSA credentials, rather than a fresh RSA key: generating one costs up to a
        // second on a busy laptop, and Load never touches the network, so no cache can interfere.
        var directory = Directory.CreateTempSubdirectory("tlslab-grading-");
        try
        {
            var files = lab.WriteServerCredentials("good-rsa", directory.FullName);
            using var leaf = X509CertificateLoader.LoadCertificateFromFile(files.Certificate);
            var intermediate = lab.Pki.Intermediate.PublicCertificate;
            var contents = $"{Path.GetFileName(files.Chain)} holds the lab's RSA-2048 certificate '{leaf.Subject}' then the intermediate; " +
                $"{Path.GetFileName(files.Key)} holds its RSA private key";
            try
            {
                CheckLoad(api, files, leaf, intermediate, contents);
            }
            catch (GradingFailure failure) when (!failure.NotStarted && failure.InnerException is CryptographicException or ArgumentException
                or InvalidCastException)
            {
                throw new GradingFailure(
                    "Load cannot read an RSA key: it only works for the ECDSA keys of the other checks.",
                    $"ServerCredentials.Load(\"{Path.GetFileName(files.Chain)}\", \"{Path.GetFileName(files.Key)}\"); {contents}",
                    Attempt.OneLine(failure.InnerException),
                    "the RSA certificate with its key: X509Certificate2.CreateFromPemFile(chain, key) reads RSA and ECDSA keys alike " +
                        "(ECDsa.Create().ImportFromPem only reads ECDSA)",
                    new Hint(Exercise, 2),
                    failure.InnerException);
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static void CheckLoad(ServerApi api, PemFiles files, X509Certificate2 expectedLeaf, X509Certificate2 intermediate, string contents)
    {
        var (call, context) = Load(api, files);
        var tried = $"{call}; {contents}";
        var leaf = context.TargetCertificate;
        if (leaf.Thumbprint != expectedLeaf.Thumbprint)
        {
            throw new GradingFailure(
                $"Load returned a context for '{leaf.Subject}', not for the server certificate (the first one in the file).",
                tried,
                $"TargetCertificate is '{leaf.Subject}' issued by '{leaf.Issuer}'",
                $"TargetCertificate is the leaf '{expectedLeaf.Subject}', with its private key",
                new Hint(Exercise, 2));
        }

        if (!leaf.HasPrivateKey)
        {
            throw new GradingFailure(
                "Load returned the server certificate without its private key.",
                tried,
                "TargetCertificate.HasPrivateKey is false: a server without its key cannot prove it owns the certificate",
                "the certificate paired with the key file",
                new Hint(Exercise, 2));
        }

        var sent = context.IntermediateCertificates.Select(c => c.Thumbprint).ToList();
        if (!sent.Contains(intermediate.Thumbprint))
        {
            throw new GradingFailure(
                $"Load kept {sent.Count} intermediate certificate(s) and not the one in the file, so the server would send its certificate alone.",
                tried,
                $"IntermediateCertificates holds {(sent.Count == 0 ? "nothing" : string.Join(", ", context.IntermediateCertificates.Select(c => c.Subject)))}",
                $"IntermediateCertificates holds '{intermediate.Subject}', read from the chain file after the leaf",
                new Hint(Exercise, 3));
        }
    }

    // Property: the key stays in memory. Load, a server, a client and DisposeAsync leave no file holding the key or the certificate
    // in the temp folder, the home folder or the current folder; and none, even for a moment, that others may read.
    /// <summary>Load and the server leave no copy of the key on disk (a cached .pfx, a PEM in temp), least of all one others can read.</summary>
    public static async Task LeavesNoKeyOnDiskAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var watch = KeyFilesOnDisk.Start(pki.Leaf, pki.Folder);
        var (call, context) = Load(api, pki.Files);
        var afterLoad = watch.Find();
        var server = Start(api, context);
        await WithServerAsync(server, async () =>
            await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5), cancellationToken));
        var left = watch.Find();
        var tried = $"{call}, TlsServer.Start(context), one client, then DisposeAsync; meanwhile the grader looked for new files holding the key or " +
            $"the certificate in {string.Join(", ", KeyFilesOnDisk.Roots)}";
        var readable = afterLoad.Concat(left).Where(f => f.ReadableByOthers).DistinctBy(f => f.Path).ToList();

        // The key is the grader's throwaway one: its copies are litter, so they go, whatever the verdict.
        KeyFilesOnDisk.Delete(left);
        if (readable.Count > 0)
        {
            throw new GradingFailure(
                $"Your code wrote the server's key to a file that other users of this machine can read: {readable[0].Path}.",
                tried,
                $"found {string.Join("; ", readable.Take(3))}" +
                (left.Count > 0
                    ? "; still there after DisposeAsync (the grader has deleted them: the key was its own throwaway one)"
                    : "; deleted later"),
                "no file at all: the key goes from the PEM file into memory (CreateFromPemFile) and nowhere else; README: readable by you only",
                new Hint(Exercise, 2));
        }

        if (left.Count > 0)
        {
            throw new GradingFailure(
                $"Your code left a copy of the server's key or certificate on disk: {left[0].Path}.",
                tried,
                $"after DisposeAsync these were still there: {string.Join("; ", left.Take(3))} (the grader has deleted them: the key was its own " +
                    "throwaway one)",
                "no file at all: a key cached on disk outlives the server, and every copy is one more place it can leak from",
                new Hint(Exercise, 2));
        }
    }

    // Property: Start returns at once, reports the end point it really listens on, and answers HTTP over TLS there.
    /// <summary>Start listens on loopback and answers HTTP over TLS (with credentials made by the grader).</summary>
    public static async Task ServesTlsOnLoopbackAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            if (!IPAddress.IsLoopback(server.EndPoint.Address) || server.EndPoint.Port == 0)
            {
                throw new GradingFailure(
                    $"TlsServer.EndPoint is {server.EndPoint}; it should be 127.0.0.1 and the port the server actually listens on.",
                    "TlsServer.Start(context), then reading EndPoint",
                    $"EndPoint is {server.EndPoint}",
                    "127.0.0.1 and a real port (use the listener's LocalEndpoint after Start, not the port 0 you asked for)",
                    new Hint(Exercise, 5));
            }

            // This client is forgiving about the chain (it already has the intermediate), so that this
            // task is about serving at all; the next task is about sending the chain.
            var outcome = await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5),
                cancellationToken);
            if (!outcome.Succeeded || outcome.StatusLine?.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) != true)
            {
                throw new GradingFailure(
                    outcome.Succeeded
                        ? $"The TLS handshake worked, but the answer to GET / was {(outcome.StatusLine is null ? "missing" : $"'{outcome.StatusLine}'")}."
                        : "A TLS client could not complete a handshake with your server.",
                    $"TlsServer.Start(a context made by the grader) at {server.EndPoint}, then a client for '{ServerName}' that trusts the root and " +
                        "already has the intermediate",
                    Describe.Outcome(outcome),
                    "the handshake completes and GET / is answered with 'HTTP/1.1 200 OK', then the server closes the connection",
                    new Hint(Exercise, OperatingSystem.IsWindows() && !outcome.Succeeded ? 4 : 5));
            }
        });
    }

    // Property: no state is shared between servers: two started at once with different certificates each present their own.
    /// <summary>Two servers running at once, each with its own credentials, each serve their own certificate.</summary>
    public static async Task TwoServersServeTheirOwnCertificatesAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var first = new ExercisePki();
        using var second = new ExercisePki();
        var a = Start(api, first.KitContext());
        RunningServer b;
        try
        {
            b = Start(api, second.KitContext());
        }
        catch
        {
            await TryStopAsync(a, TimeSpan.FromSeconds(5));
            throw;
        }

        await WithServerAsync(a, () => WithServerAsync(b, async () =>
        {
            foreach (var (server, pki, name, other) in new[] { (a, first, "first", "second"), (b, second, "second", "first") })
            {
                var outcome = await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5),
                    cancellationToken);
                if (outcome.Succeeded)
                {
                    continue;
                }

                var foreign = outcome.Validation is { } v && (v.ChainStatus & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0;
                throw new GradingFailure(
                    foreign
                        ? $"With two servers running, the {name} one presented a certificate from the {other} one's PKI: the servers share state (a " +
                            "static field for the certificate or the options?)."
                        : $"With two servers running, a client of the {name} one was not served.",
                    $"TlsServer.Start(context A) and TlsServer.Start(context B), two throwaway PKIs, then a client of each that trusts its own root",
                    Describe.Outcome(outcome),
                    "each server presents the certificate it was given: keep the context in an instance field, never a static one",
                    new Hint(Exercise, 5));
            }
        }));
    }

    // Property: the server answers once the request head is complete (the empty line), not before, and sends the whole answer it declares.
    /// <summary>A client that sends its head in three pieces, 300 ms apart, gets nothing before the empty line, then the whole answer.</summary>
    public static async Task AnswersTheWholeRequestWithTheWholeAnswerAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            const string tried = "TlsServer.Start(context), then a client that completes the handshake and sends 'GET / HTTP/1.1', then 'Host: " +
                ServerName + "', then the empty line, 300 ms apart, and reads the answer to its end";
            using var socket = await ConnectAsync(server.EndPoint, cancellationToken);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(pki.ClientOptions(knowsIntermediate: true), cancellationToken);
            var buffer = new byte[16384];
            var received = new MemoryStream();

            // One read stays pending throughout: cancelling a read would break the SslStream, so the grader only looks whether it finished.
            var pending = tls.ReadAsync(buffer, cancellationToken).AsTask();
            foreach (var piece in new[] { "GET / HTTP/1.1\r\n", $"Host: {ServerName}\r\nConnection: close\r\n" })
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes(piece), cancellationToken);
                await tls.FlushAsync(cancellationToken);
                if (await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken)) == pending)
                {
                    var early = await pending;
                    throw new GradingFailure(
                        "Your server answered before the request was complete: it does not read the request head to its empty line.",
                        tried,
                        early == 0
                            ? $"the server closed the connection after '{piece.TrimEnd()}' arrived"
                            : $"after '{piece.TrimEnd()}' it sent {Show(Encoding.ASCII.GetString(buffer, 0, Math.Min(early, 40)))}...",
                        "nothing until the empty line (\\r\\n\\r\\n) has arrived, then the answer: read the head line by line until an empty line",
                        new Hint(Exercise, 5));
                }
            }

            await tls.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                for (var n = await pending.WaitAsync(deadline.Token); n > 0; n = await tls.ReadAsync(buffer, deadline.Token))
                {
                    received.Write(buffer, 0, n);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Judged below by what did arrive.
            }

            var answer = Encoding.UTF8.GetString(received.ToArray());
            var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = split < 0 ? answer : answer[..split];
            var body = split < 0 ? string.Empty : answer[(split + 4)..];
            var declared = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length",
                StringComparison.OrdinalIgnoreCase)).Select(h => int.TryParse(h[1].Trim(), out var v) ? v : -1).FirstOrDefault(-1);
            var bodyBytes = Encoding.UTF8.GetByteCount(body);
            if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || (declared >= 0 && bodyBytes != declared))
            {
                throw new GradingFailure(
                    declared >= 0 && bodyBytes != declared
                        ? $"Your server declared Content-Length: {declared} and sent {bodyBytes} byte(s) of body."
                        : "Your server's answer to a complete request did not start with 'HTTP/1.1 200'.",
                    tried,
                    $"the answer was {Show(answer.Length > 120 ? answer[..120] + "..." : answer)}",
                    "'HTTP/1.1 200 OK', its headers, and exactly as many bytes of body as Content-Length says, then the close",
                    new Hint(Exercise, 5));
            }
        });
    }

    private static string Show(string text) =>
        $"\"{text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    // Property: on the wire, the server sends leaf + intermediate: a real client that trusts only the root connects.
    /// <summary>Load + Start serve the whole chain: a client trusting only the root connects.</summary>
    public static async Task SendsTheFullChainAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var (call, context) = Load(api, pki.Files);
        var server = Start(api, context);
        await WithServerAsync(server, async () =>
        {
            var outcome = await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: false), "/", TimeSpan.FromSeconds(5),
                cancellationToken);
            if (!outcome.Succeeded)
            {
                // Whether Load kept the intermediate tells a Load bug from a server that drops it.
                var loaded = context.IntermediateCertificates.Any(c => c.Thumbprint == pki.Intermediate.Thumbprint);
                var missing = outcome.Problem == TlsProblem.MissingIntermediate;
                throw new GradingFailure(
                    missing && loaded
                        ? "Load kept the intermediate, but your server does not send it: serve the context itself (ServerCertificateContext), not its " +
                            "TargetCertificate."
                        : missing
                            ? "Your server sends its certificate without the intermediate, so a client that trusts only the root refuses it."
                            : $"A client that trusts only the root refused your server: TlsProblem.{outcome.Problem}.",
                    $"{call}, TlsServer.Start(that context), then a client for '{ServerName}' that trusts only the root (it has never seen the intermediate)",
                    Describe.Outcome(outcome),
                    "the handshake completes: the server sends leaf + intermediate, the client links them to its root",
                    new Hint(Exercise, missing && !loaded ? 3 : 5));
            }
        });
    }

    // Property: a client that is not a TLS client costs only its own connection; the accept loop survives it.
    /// <summary>After clients that send plain HTTP, random bytes, or nothing at all, a careful client still connects.</summary>
    public static async Task SurvivesGarbageAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            await SendAndDrainAsync(server.EndPoint, Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {ServerName}\r\n\r\n"), cancellationToken);
            var noise = RandomNumberGenerator.GetBytes(300);
            noise[0] = 0x16; // looks like the start of a handshake record, then is nonsense
            noise[1] = 0x03;
            noise[2] = 0x01;
            await SendAndDrainAsync(server.EndPoint, noise, cancellationToken);
            await SendAndDrainAsync(server.EndPoint, [], cancellationToken);

            var outcome = await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5),
                cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    "After three clients that sent garbage, your server no longer serves a careful client.",
                    "TlsServer.Start(context); one client sent a plain-HTTP request, one 300 random bytes, one connected and hung up; then a normal " +
                        "TLS client connected",
                    Describe.Outcome(outcome),
                    "each bad client ends only its own connection; the accept loop keeps going (the talk's 'except ssl.SSLError')",
                    new Hint(Exercise, 6));
            }
        });
    }

    // Property: a client that stalls mid-handshake does not delay anyone else: connections are served concurrently.
    /// <summary>While clients stall mid-handshake, a careful client is served promptly.</summary>
    public static async Task KeepsServingWhileAClientStallsAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            // One client sends the first bytes of a ClientHello and stops; one sends nothing at all.
            using var halfHello = await ConnectAsync(server.EndPoint, cancellationToken);
            await halfHello.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC }, cancellationToken);
            using var silent = await ConnectAsync(server.EndPoint, cancellationToken);
            await Task.Delay(200, cancellationToken);

            var limit = TimeSpan.FromSeconds(3);
            var outcome = await TlsClient.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", limit, cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    $"While two clients stalled mid-handshake, your server did not serve a third within {limit.TotalSeconds:0} s.",
                    "TlsServer.Start(context); one client sent half a ClientHello and went quiet, one connected and said nothing; then a normal TLS " +
                        "client connected",
                    Describe.Outcome(outcome),
                    "the normal client is served at once: each connection is handled on its own task, with a handshake deadline",
                    new Hint(Exercise, 6));
            }
        });
    }

    // Property: the server listens where it says and nowhere else: the OS's own table of listeners
    // (not the EndPoint the server reports) shows only loopback addresses on its port.
    /// <summary>The OS sees the server listening on loopback only, on the port it reports.</summary>
    public static async Task ListensOnLoopbackOnlyAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            var port = server.EndPoint.Port;
            var tried = $"TlsServer.Start(context) reported EndPoint {server.EndPoint}; then the operating system's list of TCP listeners on port {port}";
            var (listeners, problem) = SocketView.ListenersOn(port);
            if (listeners is not null)
            {
                var shown = listeners.Count == 0 ? "no listener at all" : string.Join(", ", listeners);
                var wide = listeners.Where(l => !SocketView.IsLoopback(l.Address)).ToList();
                if (wide.Count > 0)
                {
                    throw new GradingFailure(
                        $"Your server reports {server.EndPoint} but really listens on {string.Join(", ", wide)}: reachable from the network, not just " +
                            "this machine.",
                        tried,
                        $"the OS lists {shown}",
                        "only 127.0.0.1 (or ::1): new TcpListener(listenOn ?? new IPEndPoint(IPAddress.Loopback, 0)), and EndPoint read back from " +
                            "listener.LocalEndpoint",
                        new Hint(Exercise, 5));
                }

                if (listeners.Count == 0)
                {
                    throw new GradingFailure(
                        $"Nothing listens on port {port}, the port your server reports: EndPoint is not where it listens.",
                        tried,
                        $"the OS lists {shown}",
                        "EndPoint = (IPEndPoint)listener.LocalEndpoint, read after listener.Start()",
                        new Hint(Exercise, 5));
                }

                return;
            }

            // The OS would not say: knock on this machine's own network addresses instead.
            var addresses = SocketView.NonLoopbackAddresses();
            if (addresses.Count == 0)
            {
                Assert.Skip($"Cannot check where your server really listens: {problem}, and this machine has no network address besides loopback to try.");
            }

            foreach (var address in addresses.Take(3))
            {
                var outside = new IPEndPoint(address, port);
                if (await SocketView.AcceptsConnectionsAsync(outside, TimeSpan.FromSeconds(1), cancellationToken))
                {
                    throw new GradingFailure(
                        $"Your server reports {server.EndPoint} but also accepts connections on {outside}: reachable from the network, not just this machine.",
                        $"TlsServer.Start(context), then a TCP connection to this machine's own address {outside}",
                        "the connection was accepted",
                        "refused: listen on IPAddress.Loopback, not IPAddress.Any",
                        new Hint(Exercise, 5));
                }
            }
        });
    }

    // Property: an input that already says where to listen is obeyed: Start(context, listenOn) listens
    // on exactly that address and port (IPv6 loopback where the machine has it) and reports them.
    /// <summary>Start with a listenOn argument listens on that address and port, and serves there.</summary>
    public static async Task ListensWhereListenOnSaysAsync(ServerApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var startOn = api.StartOn;
        if (startOn is null)
        {
            Assert.Skip("This implementation does not bind TlsServer.Start's listenOn argument, so it cannot be graded here.");
        }

        using var pki = new ExercisePki();
        var listenOn = FreeLoopbackEndPoint();
        var call = $"TlsServer.Start(context, listenOn: {listenOn})";
        var server = Attempt.Call(call, new Hint(Exercise, 5), () => startOn(pki.KitContext(), listenOn))
            ?? throw new GradingFailure("TlsServer.Start returned null.", call, "it returned null", "a running server", new Hint(Exercise, 5));
        await WithServerAsync(server, async () =>
        {
            if (!server.EndPoint.Equals(listenOn))
            {
                throw new GradingFailure(
                    $"Start was asked to listen on {listenOn} and reports {server.EndPoint}: listenOn was not used.",
                    call,
                    $"EndPoint is {server.EndPoint}",
                    $"EndPoint is {listenOn}: new TcpListener(listenOn ?? new IPEndPoint(IPAddress.Loopback, 0))",
                    new Hint(Exercise, 5));
            }

            var (listeners, _) = SocketView.ListenersOn(listenOn.Port);
            if (listeners is not null && !listeners.Contains(listenOn))
            {
                throw new GradingFailure(
                    $"Your server reports {listenOn}, but the operating system lists no listener there.",
                    $"{call}; then the operating system's list of TCP listeners on port {listenOn.Port}",
                    listeners.Count == 0 ? "no listener on that port" : $"the OS lists {string.Join(", ", listeners)}",
                    $"a listener on {listenOn}",
                    new Hint(Exercise, 5));
            }

            var outcome = await TlsClient.ConnectAsync(listenOn, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5), cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    $"A TLS client at {listenOn}, where your server was asked to listen, could not connect.",
                    $"{call}; then a client for '{ServerName}' that trusts the root, at {listenOn}",
                    Describe.Outcome(outcome),
                    "the handshake completes and GET / is answered",
                    new Hint(Exercise, 5));
            }
        });
    }

    // A loopback end point with a port nobody uses right now: ::1 where this machine has IPv6, else 127.0.0.1.
    private static IPEndPoint FreeLoopbackEndPoint()
    {
        foreach (var address in Socket.OSSupportsIPv6 ? new[] { IPAddress.IPv6Loopback, IPAddress.Loopback } : [IPAddress.Loopback])
        {
            try
            {
                var probe = new TcpListener(address, 0);
                probe.Start();
                var endPoint = (IPEndPoint)probe.LocalEndpoint;
                probe.Stop();
                return endPoint;
            }
            catch (SocketException)
            {
                // No IPv6 loopback here (a container, a machine with IPv6 switched off): try IPv4.
            }
        }

        throw new InvalidOperationException("This machine could not open a listening socket on loopback at all.");
    }

    // Property: a stalled client costs a connection only for a while: one that stops mid-handshake and one that completes the handshake
    // and sends nothing are both dropped by the server's deadlines (5 s in the hints; 10 s allowed), while the server keeps running.
    /// <summary>The handshake and the request each have a deadline: stalled clients are dropped.</summary>
    public static async Task DropsStalledClientsAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            const string tried = "TlsServer.Start(context); one client sent half a ClientHello and waited, another completed its handshake and " +
                "sent nothing (a third sent half a request head); the grader waited up to 10 s for the server to close each";
            await using (var held = await OpenHeldConnectionsAsync(server.EndPoint, pki, midRequests: 1, cancellationToken))
            {
                var limit = TimeSpan.FromSeconds(10);
                var stalledClosed = ClosedWithinAsync(held.Stalled, limit, cancellationToken);
                var idleClosed = ClosedWithinAsync(held.Idle, limit, cancellationToken);
                if (!await stalledClosed)
                {
                    throw new GradingFailure(
                        "Your server kept a connection open for a client stalled mid-handshake: the handshake has no deadline.",
                        tried,
                        $"{limit.TotalSeconds:0} s later the stalled client's connection was still open",
                        "closed after the handshake's deadline: a CancellationTokenSource linked to the server's token, with CancelAfter(5 s), " +
                            "passed to AuthenticateAsServerAsync",
                        new Hint(Exercise, 6));
                }

                if (!await idleClosed)
                {
                    throw new GradingFailure(
                        "Your server kept a connection open for a client that completed its handshake and never sent a request: reading the " +
                            "request has no deadline.",
                        tried,
                        $"{limit.TotalSeconds:0} s later the silent client's connection was still open",
                        "closed after the request's deadline: read the request head with a token that has CancelAfter(5 s)",
                        new Hint(Exercise, 6));
                }
            }
        });
    }

    // True when the peer closed (or reset) the connection within the limit.
    private static async Task<bool> ClosedWithinAsync(object connection, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = connection switch
                {
                    SslStream tls => await tls.ReadAsync(buffer, deadline.Token),
                    Socket socket => await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token),
                    _ => throw new ArgumentException("A socket or an SslStream.", nameof(connection)),
                };
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            return true;
        }
    }

    // Property: the answer ends with close_notify, so a client can tell a complete answer from one cut off (under TLS 1.2 the record
    // types are in clear: the last record before the end must be an alert).
    /// <summary>The server ends each answer with a TLS close_notify before it closes the connection.</summary>
    public static async Task EndsTheAnswerWithCloseNotifyAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        await WithServerAsync(server, async () =>
        {
            const string tried = "TlsServer.Start(context), then a client limited to TLS 1.2 (whose record types travel in clear) sends a " +
                "whole request and reads until the connection ends";
            using var socket = await ConnectAsync(server.EndPoint, cancellationToken);
            var tap = new TlsRecordTap(new NetworkStream(socket, ownsSocket: false));
            await using var tls = new SslStream(tap);
            var options = pki.ClientOptions(knowsIntermediate: true);
            options.EnabledSslProtocols = SslProtocols.Tls12;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            var buffer = new byte[16384];
            try
            {
                await tls.AuthenticateAsClientAsync(options, deadline.Token);
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {ServerName}\r\nConnection: close\r\n\r\n"), deadline.Token);
                while (await tls.ReadAsync(buffer, deadline.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Judged below by the records that did arrive.
            }

            var types = tap.RecordTypes();
            var afterData = types.SkipWhile(t => t != 23).ToList();
            if (afterData.Count > 0 && afterData[^1] == 21)
            {
                return;
            }

            throw new GradingFailure(
                afterData.Count == 0
                    ? "Your server sent no answer over TLS 1.2, so the end of its answer could not be checked."
                    : "Your server closed the connection without a TLS close_notify: a client cannot tell a complete answer from one cut off.",
                tried,
                $"the records received were, by content type, {string.Join(", ", types.Select(RecordName))}; the last one was " +
                    (types.Count == 0 ? "none" : RecordName(types[^1])),
                "the answer (application data), then an alert record (close_notify), then the close: await tls.ShutdownAsync() after writing the " +
                    "answer and before disposing the stream",
                new Hint(Exercise, 5));
        });
    }

    private static string RecordName(byte type) => type switch
    {
        20 => "change cipher spec",
        21 => "alert",
        22 => "handshake",
        23 => "application data",
        _ => $"type {type}",
    };

    // Property: CreateOptions, the options Start serves, presents the context it was given over TLS 1.2 and 1.3 only, written
    // down rather than left to the platform, and accepts no client certificate it cannot verify; Start's server speaks exactly
    // those versions on the wire. The wire alone cannot tell where the platform refuses TLS 1.0/1.1 whatever the options say
    // (OpenSSL 3 at its default security level), so the configuration is read as well.
    /// <summary>CreateOptions serves the given context over TLS 1.2 and 1.3 only, with no accept-all callback, and Start uses it.</summary>
    public static async Task OptionsAllowOnlyTls12And13Async(ServerApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var pki = new ExercisePki();
        var context = pki.KitContext();
        const string call = "TlsServer.CreateOptions(context)";
        var options = Attempt.Call(call, new Hint(Exercise, 5), () => api.CreateOptions(context)) ?? throw new GradingFailure(
            "TlsServer.CreateOptions returned null.", call, "it returned null", "new SslServerAuthenticationOptions { ... }", new Hint(Exercise, 5));
        CheckVersions(call, options.EnabledSslProtocols);
        CheckCertificate(call, options, context);
        CheckNoAcceptAllCallback(call, options);

        // The wire: Start's server must speak what CreateOptions says, and refuse the old versions where this platform speaks them.
        var server = Start(api, context);
        await WithServerAsync(server, async () =>
        {
            var versions = PlatformSupport.Tls13 ? new[] { SslProtocols.Tls12, SslProtocols.Tls13 } : [SslProtocols.Tls12];
            foreach (var version in versions)
            {
                var client = pki.ClientOptions(knowsIntermediate: true);
                client.EnabledSslProtocols = version;
                var outcome = await TlsClient.ConnectAsync(server.EndPoint, client, "/", TimeSpan.FromSeconds(5), cancellationToken);
                if (!outcome.Succeeded)
                {
                    throw new GradingFailure(
                        $"CreateOptions enables {version}, but the server Start runs refused a client that speaks only {version}: Start does not " +
                            "serve the options CreateOptions returns.",
                        $"{call} gave EnabledSslProtocols = {options.EnabledSslProtocols}; then TlsServer.Start(context) and a client offering " +
                            $"{version} only",
                        Describe.Outcome(outcome),
                        "the handshake completes: Start serves every connection with CreateOptions(certificate)",
                        new Hint(Exercise, 5));
                }
            }

            foreach (var legacy in await LegacyVersionsThisPlatformSpeaksAsync(pki, cancellationToken))
            {
                var client = pki.ClientOptions(knowsIntermediate: true);
                client.EnabledSslProtocols = legacy;
                var outcome = await TlsClient.ConnectAsync(server.EndPoint, client, "/", TimeSpan.FromSeconds(5), cancellationToken);
                if (outcome.Succeeded)
                {
                    throw new GradingFailure(
                        $"The server Start runs completed a handshake over {outcome.Protocol ?? legacy}, which this platform still speaks and the " +
                            "options must refuse.",
                        $"TlsServer.Start(context), then a client offering {legacy} only",
                        Describe.Outcome(outcome),
                        "refused: Start serves every connection with CreateOptions(certificate), which enables TLS 1.2 and 1.3 only",
                        new Hint(Exercise, 5));
                }
            }
        });
    }

    private static void CheckVersions(string call, SslProtocols enabled)
    {
        const SslProtocols modern = SslProtocols.Tls12 | SslProtocols.Tls13;
        var older = enabled & ~modern;
        if (older != SslProtocols.None)
        {
            throw new GradingFailure(
                $"CreateOptions enables protocols older than TLS 1.2 ({older}). This machine's TLS library may refuse them anyway, but the " +
                    "same code serves them wherever they are still enabled (older Windows, relaxed OpenSSL configurations).",
                call,
                $"options.EnabledSslProtocols is {enabled}",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 (the talk's OP_NO_TLSv1 | OP_NO_TLSv1_1)",
                new Hint(Exercise, 5));
        }

        // None is not "secure by default" everywhere: it hands the choice to the platform, which on some Windows versions
        // and OpenSSL configurations still includes TLS 1.0 and 1.1. The floor is the task, so it is written down.
        if (enabled == SslProtocols.None)
        {
            throw new GradingFailure(
                "CreateOptions leaves EnabledSslProtocols at None, so the operating system decides which versions the server accepts.",
                call,
                "options.EnabledSslProtocols is None (the platform's default, which still includes TLS 1.0 and 1.1 on some systems)",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13: the server names its versions",
                new Hint(Exercise, 5));
        }

        var missing = modern & ~enabled;
        if (missing != SslProtocols.None)
        {
            throw new GradingFailure(
                $"CreateOptions leaves out {missing}, so clients that speak only that version cannot connect.",
                call,
                $"options.EnabledSslProtocols is {enabled}",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13: both",
                new Hint(Exercise, 5));
        }
    }

    private static void CheckCertificate(string call, SslServerAuthenticationOptions options, SslStreamCertificateContext context)
    {
        if (options.ServerCertificateContext is null)
        {
            throw new GradingFailure(
                options.ServerCertificate is not null
                    ? "CreateOptions sets ServerCertificate instead of the context it was given, so the server would send its certificate without the " +
                        "intermediate."
                    : "CreateOptions sets no ServerCertificateContext, so the server would not present the credentials it was given.",
                call,
                $"ServerCertificateContext is null; ServerCertificate is {(options.ServerCertificate is { } c ? $"'{c.Subject}'" : "null")}; " +
                    $"ServerCertificateSelectionCallback is {(options.ServerCertificateSelectionCallback is null ? "null" : "set")}",
                "ServerCertificateContext = the context passed in (it carries the intermediates)",
                new Hint(Exercise, 5));
        }

        if (options.ServerCertificateContext.TargetCertificate.Thumbprint != context.TargetCertificate.Thumbprint)
        {
            throw new GradingFailure(
                $"CreateOptions serves '{options.ServerCertificateContext.TargetCertificate.Subject}', not the certificate it was given.",
                call,
                $"ServerCertificateContext.TargetCertificate is {options.ServerCertificateContext.TargetCertificate.Thumbprint}",
                $"ServerCertificateContext = the context passed in ('{context.TargetCertificate.Subject}', {context.TargetCertificate.Thumbprint})",
                new Hint(Exercise, 5));
        }

        if (options.ClientCertificateRequired)
        {
            throw new GradingFailure(
                "CreateOptions sets ClientCertificateRequired, so browsers, curl and the tests' clients, which have no certificate to send, are refused.",
                call,
                "options.ClientCertificateRequired is true",
                "ClientCertificateRequired = false: asking for client certificates is exercise 7",
                new Hint(Exercise, 5));
        }
    }

    // A callback is allowed only if it refuses what it cannot verify: it is called as SslStream would call it for a client
    // certificate from a stranger's CA, with the chain error SslStream would report.
    private static void CheckNoAcceptAllCallback(string call, SslServerAuthenticationOptions options)
    {
        if (options.RemoteCertificateValidationCallback is not { } callback)
        {
            return;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger.example", key, HashAlgorithmName.SHA256);
        using var stranger = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var chain = new X509Chain();
        bool accepted;
        try
        {
            accepted = callback(new object(), stranger, chain, SslPolicyErrors.RemoteCertificateChainErrors);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            accepted = false; // a callback that throws fails the handshake: it refuses
        }

        if (accepted)
        {
            throw new GradingFailure(
                "CreateOptions sets a RemoteCertificateValidationCallback that accepts a client certificate no one can verify.",
                $"{call}, then options.RemoteCertificateValidationCallback(sender, a self-signed 'CN=stranger.example', chain, " +
                    "SslPolicyErrors.RemoteCertificateChainErrors)",
                "the callback returned true",
                "no callback at all: this server asks for no client certificate, and an accept-all callback is the WRONG WAY wherever it appears",
                new Hint(Exercise, 5));
        }
    }

    // The versions older than TLS 1.2 that a client and a server on this machine can still agree on, found by trying each with
    // the grader's own server. OpenSSL 3 refuses them at its default security level, so on most Linux machines this is empty and
    // the configuration check above is the only witness.
    private static async Task<IReadOnlyList<SslProtocols>> LegacyVersionsThisPlatformSpeaksAsync(ExercisePki pki, CancellationToken cancellationToken)
    {
#pragma warning disable SYSLIB0039 // the obsolete versions are the point: a server must refuse them wherever they still work
        SslProtocols[] legacy = [SslProtocols.Tls, SslProtocols.Tls11];
#pragma warning restore SYSLIB0039
        var spoken = new List<SslProtocols>();
        foreach (var version in legacy)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var serverSide = ServeOneHandshakeAsync(listener, new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = pki.KitContext(),
                    EnabledSslProtocols = version,
                }, cancellationToken);
                var client = pki.ClientOptions(knowsIntermediate: true);
                client.EnabledSslProtocols = version;
                var outcome = await TlsClient.ConnectAsync((IPEndPoint)listener.LocalEndpoint, client, path: null, TimeSpan.FromSeconds(5), cancellationToken);
                await serverSide;
                if (outcome.Succeeded)
                {
                    spoken.Add(version);
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        return spoken;
    }

    private static async Task ServeOneHandshakeAsync(TcpListener listener, SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var socket = await listener.AcceptSocketAsync(deadline.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(options, deadline.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            // The platform refused the version: that is what this probe finds out.
        }
    }

    // Property: DisposeAsync really stops: afterwards the port is closed (the OS refuses connections
    // and lists no listener), and every connection is closed, including one stalled mid-handshake.
    /// <summary>After DisposeAsync, the port is free and open connections (idle or mid-handshake) are closed.</summary>
    public static async Task DisposeFreesThePortAndClosesConnectionsAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var server = Start(api, pki.KitContext());
        var endPoint = server.EndPoint;
        const string tried = "TlsServer.Start(context); one client completed its handshake and sent nothing more, one sent half a ClientHello, " +
            "one sent half a request head; then await server.DisposeAsync()";
        HeldConnections? held = null;
        try
        {
            try
            {
                held = await OpenHeldConnectionsAsync(endPoint, pki, midRequests: 1, cancellationToken);
            }
            catch
            {
                try
                {
                    await TryStopAsync(server, TimeSpan.FromSeconds(5));
                }
                catch (GradingFailure)
                {
                }

                throw;
            }

            var limit = TimeSpan.FromSeconds(3);
            if (!await TryStopAsync(server, limit))
            {
                throw new GradingFailure(
                    $"TlsServer.DisposeAsync did not finish within {limit.TotalSeconds:0} s while one client was idle, one mid-request and one stalled mid-handshake.",
                    tried,
                    $"DisposeAsync was still running after {limit.TotalSeconds:0} s: it waits for a connection that does not watch the server's token",
                    "DisposeAsync cancels the token every connection watches (handshake and request), stops the listener and returns promptly",
                    new Hint(Exercise, 6));
            }

            // Read the moment DisposeAsync has returned, with no grace: the server's own side of each connection, in the OS's
            // table. Closing a socket changes its state there before close() returns, so a server that waited for its
            // connections shows none still established, whatever the machine's load; one that did not may still have them.
            var open = ServerSidesStillOpen(endPoint, held.ClientEndPoints);

            // All connections at once: each check returns as soon as the server has closed it.
            var stalledClosed = ClosedAsync(held.Stalled, cancellationToken);
            var idleClosed = ClosedAsync(held.Idle, cancellationToken);
            var midRequestClosed = ClosedAsync(held.MidRequest, cancellationToken);
            if (!await stalledClosed)
            {
                throw new GradingFailure(
                    "After DisposeAsync, a client stalled mid-handshake still has its connection: the handshake does not watch the server's token.",
                    tried,
                    "2 s after DisposeAsync returned, the stalled client's connection was still open",
                    "closed: pass a token linked to the server's (with a deadline) to AuthenticateAsServerAsync, so stopping ends the handshake",
                    new Hint(Exercise, 6));
            }

            if (!await idleClosed)
            {
                throw new GradingFailure(
                    "After DisposeAsync, a connected client still has its connection open.",
                    tried,
                    "2 s after DisposeAsync returned, the idle client's connection was still open",
                    "closed: every connection watches the server's token while it waits for the request",
                    new Hint(Exercise, 5));
            }

            if (!await midRequestClosed)
            {
                throw new GradingFailure(
                    "After DisposeAsync, a client that had sent half its request head still has its connection open.",
                    tried,
                    "2 s after DisposeAsync returned, the connection of the client that sent half a request head was still open",
                    "closed: reading the request head watches the server's token",
                    new Hint(Exercise, 5));
            }

            var (listeners, _) = SocketView.ListenersOn(endPoint.Port);
            // The OS's table where it has one; a connection attempt only where it has not (on Windows a
            // refused connection takes about 2 s to fail, so it is the slower witness).
            var stillListening = listeners is not null
                ? listeners.Count > 0
                : await SocketView.AcceptsConnectionsAsync(endPoint, TimeSpan.FromSeconds(3), cancellationToken);
            if (stillListening)
            {
                throw new GradingFailure(
                    $"After DisposeAsync, port {endPoint.Port} is still open: the listener was never stopped.",
                    $"{tried}; then a new TCP connection to " +
                        $"{endPoint}" + (listeners is null ? string.Empty : " and the operating system's list of TCP listeners"),
                    listeners is { Count: > 0 } ? $"the OS still lists {string.Join(", ", listeners)} as listening" : "the new connection was accepted",
                    "connection refused and no listener: DisposeAsync calls listener.Stop() (cancelling AcceptSocketAsync alone leaves the socket open)",
                    new Hint(Exercise, 5));
            }

            // Every connection did close and the port is free, but a connection closed only after DisposeAsync returned: reported
            // last, after the checks that name a cause of their own.
            if (open is { Count: > 0 })
            {
                throw new GradingFailure(
                    $"DisposeAsync returned while {open.Count} of the server's connections {(open.Count == 1 ? "was" : "were")} still open: it does " +
                        "not wait for its connections to end.",
                    tried,
                    $"right after DisposeAsync returned, the operating system listed the server's side of the connection(s) from " +
                        $"{string.Join(", ", open.Select(c => $"port {c.Port} ({held.Describe(c)})"))} as established",
                    "every connection closed before DisposeAsync returns: keep each connection's task and await them all " +
                        "(Task.WhenAll) after stopping the listener",
                    new Hint(Exercise, 5));
            }
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync();
            }
        }
    }

    // The server's side of each connection whose client end is listed and that the OS still shows as established;
    // null where the OS gives no table (the checks that follow still run).
    private static List<IPEndPoint>? ServerSidesStillOpen(IPEndPoint server, IReadOnlyCollection<IPEndPoint> clients)
    {
        TcpConnectionInformation[] table;
        try
        {
            table = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections();
        }
        catch (Exception e) when (e is PlatformNotSupportedException or NetworkInformationException)
        {
            return null;
        }

        return [.. table
            .Where(c => c.LocalEndPoint.Port == server.Port && c.State == TcpState.Established)
            .Select(c => c.RemoteEndPoint)
            .Where(remote => clients.Any(client => client.Port == remote.Port))];
    }

    // Connections the grader holds open: one idle after its handshake, one stalled mid-ClientHello, and some that sent half a
    // request head.
    private sealed record HeldConnections(SslStream Idle, IPEndPoint IdleEnd, Socket Stalled, IReadOnlyList<(SslStream Tls, IPEndPoint End)> MidRequests)
        : IAsyncDisposable
    {
        public SslStream MidRequest => MidRequests[0].Tls;

        public IReadOnlyCollection<IPEndPoint> ClientEndPoints => [IdleEnd, (IPEndPoint)Stalled.LocalEndPoint!, .. MidRequests.Select(m => m.End)];

        public string Describe(IPEndPoint client) =>
            client.Port == IdleEnd.Port ? "idle after its handshake"
            : MidRequests.Any(m => m.End.Port == client.Port) ? "half a request head sent"
            : "half a ClientHello sent";

        public async ValueTask DisposeAsync()
        {
            await Idle.DisposeAsync();
            foreach (var (tls, _) in MidRequests)
            {
                await tls.DisposeAsync();
            }

            Stalled.Dispose();
        }
    }

    private static async Task<HeldConnections> OpenHeldConnectionsAsync(IPEndPoint endPoint, ExercisePki pki, int midRequests,
        CancellationToken cancellationToken)
    {
        var (idle, idleEnd) = await HandshakeAsync(endPoint, pki, cancellationToken);
        var held = new List<(SslStream Tls, IPEndPoint End)>();
        try
        {
            for (var i = 0; i < midRequests; i++)
            {
                held.Add(await HandshakeAsync(endPoint, pki, cancellationToken));
                await held[^1].Tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {ServerName}\r\n"), cancellationToken);
                await held[^1].Tls.FlushAsync(cancellationToken);
            }

            var stalled = await ConnectAsync(endPoint, cancellationToken);
            await stalled.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC }, cancellationToken);
            return new HeldConnections(idle, idleEnd, stalled, held);
        }
        catch
        {
            await idle.DisposeAsync();
            foreach (var (tls, _) in held)
            {
                await tls.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<(SslStream Tls, IPEndPoint Local)> HandshakeAsync(IPEndPoint endPoint, ExercisePki pki, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(endPoint, cancellationToken);
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var idle = new SslStream(new NetworkStream(socket, ownsSocket: true));
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await idle.AuthenticateAsClientAsync(pki.ClientOptions(knowsIntermediate: true), deadline.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await idle.DisposeAsync();
                throw new GradingFailure(
                    "A TLS client could not complete a handshake with your server, so stopping it could not be checked.",
                    $"TlsServer.Start(context) at {endPoint}, then a client for '{ServerName}' that trusts the root",
                    Attempt.OneLine(e),
                    "the handshake completes (the task Start_serves_HTTP_over_TLS_on_loopback checks this first)",
                    new Hint(Exercise, 5),
                    e);
            }
        }

        return (idle, local);
    }

    // True when the peer closed (or reset) the connection within 2 s.
    private static Task<bool> ClosedAsync(object connection, CancellationToken cancellationToken) =>
        ClosedWithinAsync(connection, TimeSpan.FromSeconds(2), cancellationToken);

    private static (string Call, SslStreamCertificateContext Context) Load(ServerApi api, PemFiles files)
    {
        ArgumentNullException.ThrowIfNull(api);
        var call = $"ServerCredentials.Load(\"{Path.GetFileName(files.Chain)}\", \"{Path.GetFileName(files.Key)}\")";
        var context = Attempt.Call(call, new Hint(Exercise, 2), () => api.Load(files.Chain, files.Key));
        return (call, context ?? throw new GradingFailure(
            "ServerCredentials.Load returned null.",
            call,
            "it returned null",
            "an SslStreamCertificateContext holding the leaf, its key and the intermediates",
            new Hint(Exercise, 3)));
    }

    private static RunningServer Start(ServerApi api, SslStreamCertificateContext context)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string call = "TlsServer.Start(context)";
        var server = Attempt.Call(call, new Hint(Exercise, 5), () => api.Start(context));
        return server ?? throw new GradingFailure("TlsServer.Start returned null.", call, "it returned null", "a running server", new Hint(Exercise, 5));
    }

    private static async Task WithServerAsync(RunningServer server, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            // The check already failed: stop the server, but let nothing hide the first failure.
            try
            {
                await TryStopAsync(server, TimeSpan.FromSeconds(5));
            }
            catch (GradingFailure)
            {
            }

            throw;
        }

        if (!await TryStopAsync(server, TimeSpan.FromSeconds(5)))
        {
            throw new GradingFailure(
                "TlsServer.DisposeAsync did not finish within 5 s.",
                "await server.DisposeAsync() after the test's clients had closed their connections",
                "it was still running after 5 s",
                "DisposeAsync stops the listener, ends the accept loop and returns",
                new Hint(Exercise, 5));
        }
    }

    private static async Task<bool> TryStopAsync(RunningServer server, TimeSpan limit)
    {
        try
        {
            await server.StopAsync().AsTask().WaitAsync(limit);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Stopping threw: report it as a failure of its own rather than hide it.
            throw Attempt.Unexpected("await server.DisposeAsync()", new Hint(Exercise, 5), e);
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Sends bytes (or nothing), then waits up to 1 s for the server to answer and close.
    private static async Task SendAndDrainAsync(IPEndPoint endPoint, byte[] bytes, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(endPoint, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            if (bytes.Length > 0)
            {
                await socket.SendAsync(bytes, deadline.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A reset or no answer is the server's business; what matters is the next client.
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A virus scanner holding the file on Windows: the temp folder gets cleaned eventually.
        }
    }

    /// <summary>A throwaway PKI for one check, with its PEM files on disk.</summary>
    private sealed class ExercisePki : IDisposable
    {
        private readonly WorkshopPki _pki = new();
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tlslab-grading-");

        public ExercisePki()
        {
            // A fresh root and intermediate per check: no client has ever seen this intermediate,
            // so no platform cache can complete a chain the server failed to send.
            Leaf = _pki.IssueServerCertificate(ServerName, KeyKind.EcdsaP256, IPAddress.Loopback);
            Intermediate = _pki.Intermediate.PublicCertificate;
            Files = PemExport.Write(_directory.FullName, "server", Leaf, [Intermediate]);
        }

        public X509Certificate2 Leaf { get; }

        public X509Certificate2 Intermediate { get; }

        public string Folder => _directory.FullName;

        public PemFiles Files { get; }

        public string Contents() =>
            $"server.chain.pem holds the leaf 'CN={ServerName}' then the intermediate '{Intermediate.Subject}'; server.key.pem holds the leaf's private key";

        public SslStreamCertificateContext KitContext() => ServerCertificates.CreateContext(Leaf, [Intermediate]);

        public SslClientAuthenticationOptions ClientOptions(bool knowsIntermediate)
        {
            var policy = ChainPolicies.TrustOnly(_pki.RootCertificate);
            policy.RevocationMode = X509RevocationMode.NoCheck; // a PKI made on its own publishes no revocation
            if (knowsIntermediate)
            {
                policy.ExtraStore.Add(Intermediate);
            }

            return new SslClientAuthenticationOptions
            {
                TargetHost = ServerName,
                CertificateChainPolicy = policy,
            };
        }

        public void Dispose()
        {
            Leaf.Dispose();
            _pki.Dispose();
            TryDelete(_directory);
        }
    }
}
