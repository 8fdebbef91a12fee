using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Pki;

namespace TlsLab.Grading;

/// <summary>Exercise 5: load PEM credentials, serve TLS on loopback, send the chain, survive bad clients.</summary>
public static class ServerGrader
{
    private const int Exercise = 5;

    /// <summary>The name on the exercise server's certificate.</summary>
    public const string ServerName = "exercise5.localhost";

    /// <summary>Load returns the leaf with its key and the intermediate from the PEM files.</summary>
    public static void LoadReadsKeyCertificateAndIntermediates(ServerApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var pki = new ExercisePki();
        var (call, context) = Load(api, pki);
        var tried = $"{call}; {pki.Contents()}";
        var leaf = context.TargetCertificate;
        if (leaf.Thumbprint != pki.Leaf.Thumbprint)
        {
            throw new GradingFailure(
                $"Load returned a context for '{leaf.Subject}', not for the server certificate (the first one in the file).",
                tried,
                $"TargetCertificate is '{leaf.Subject}' issued by '{leaf.Issuer}'",
                $"TargetCertificate is the leaf 'CN={ServerName}', with its private key",
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
        if (!sent.Contains(pki.Intermediate.Thumbprint))
        {
            throw new GradingFailure(
                $"Load kept {sent.Count} intermediate certificate(s) and not the one in the file, so the server would send its certificate alone.",
                tried,
                $"IntermediateCertificates holds {(sent.Count == 0 ? "nothing" : string.Join(", ", context.IntermediateCertificates.Select(c => c.Subject)))}",
                $"IntermediateCertificates holds '{pki.Intermediate.Subject}', read from the chain file after the leaf",
                new Hint(Exercise, 3));
        }
    }

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
            var outcome = await TlsProbe.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5), cancellationToken);
            if (!outcome.Succeeded || outcome.StatusLine?.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) != true)
            {
                throw new GradingFailure(
                    outcome.Succeeded
                        ? $"The TLS handshake worked, but the answer to GET / was {(outcome.StatusLine is null ? "missing" : $"'{outcome.StatusLine}'")}."
                        : "A TLS client could not complete a handshake with your server.",
                    $"TlsServer.Start(a context made by the grader) at {server.EndPoint}, then a client for '{ServerName}' that trusts the root and already has the intermediate",
                    Describe.Outcome(outcome),
                    "the handshake completes and GET / is answered with 'HTTP/1.1 200 OK', then the server closes the connection",
                    new Hint(Exercise, OperatingSystem.IsWindows() && !outcome.Succeeded ? 4 : 5));
            }
        });
    }

    /// <summary>Load + Start serve the whole chain: a client trusting only the root connects.</summary>
    public static async Task SendsTheFullChainAsync(ServerApi api, CancellationToken cancellationToken)
    {
        using var pki = new ExercisePki();
        var (call, context) = Load(api, pki);
        var server = Start(api, context);
        await WithServerAsync(server, async () =>
        {
            var outcome = await TlsProbe.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: false), "/", TimeSpan.FromSeconds(5), cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    outcome.Problem == TlsProblem.MissingIntermediate
                        ? "Your server sends its certificate without the intermediate, so a client that trusts only the root refuses it."
                        : $"A client that trusts only the root refused your server: TlsProblem.{outcome.Problem}.",
                    $"{call}, TlsServer.Start(that context), then a client for '{ServerName}' that trusts only the root (it has never seen the intermediate)",
                    Describe.Outcome(outcome),
                    "the handshake completes: the server sends leaf + intermediate, the client links them to its root",
                    new Hint(Exercise, outcome.Problem == TlsProblem.MissingIntermediate ? 3 : 5));
            }
        });
    }

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

            var outcome = await TlsProbe.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", TimeSpan.FromSeconds(5), cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    "After three clients that sent garbage, your server no longer serves a careful client.",
                    "TlsServer.Start(context); one client sent a plain-HTTP request, one 300 random bytes, one connected and hung up; then a normal TLS client connected",
                    Describe.Outcome(outcome),
                    "each bad client ends only its own connection; the accept loop keeps going (the talk's 'except ssl.SSLError')",
                    new Hint(Exercise, 6));
            }
        });
    }

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
            var outcome = await TlsProbe.ConnectAsync(server.EndPoint, pki.ClientOptions(knowsIntermediate: true), "/", limit, cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new GradingFailure(
                    $"While two clients stalled mid-handshake, your server did not serve a third within {limit.TotalSeconds:0} s.",
                    "TlsServer.Start(context); one client sent half a ClientHello and went quiet, one connected and said nothing; then a normal TLS client connected",
                    Describe.Outcome(outcome),
                    "the normal client is served at once: each connection is handled on its own task, with a handshake deadline",
                    new Hint(Exercise, 6));
            }
        });
    }

    private static (string Call, SslStreamCertificateContext Context) Load(ServerApi api, ExercisePki pki)
    {
        ArgumentNullException.ThrowIfNull(api);
        var call = $"ServerCredentials.Load(\"{Path.GetFileName(pki.Files.Chain)}\", \"{Path.GetFileName(pki.Files.Key)}\")";
        var context = Attempt.Call(call, new Hint(Exercise, 2), () => api.Load(pki.Files.Chain, pki.Files.Key));
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
                await TryStopAsync(server);
            }
            catch (GradingFailure)
            {
            }

            throw;
        }

        if (!await TryStopAsync(server))
        {
            throw new GradingFailure(
                "TlsServer.DisposeAsync did not finish within 5 s.",
                "await server.DisposeAsync() after the test's clients had closed their connections",
                "it was still running after 5 s",
                "DisposeAsync stops the listener, ends the accept loop and returns",
                new Hint(Exercise, 5));
        }
    }

    private static async Task<bool> TryStopAsync(RunningServer server)
    {
        try
        {
            await server.StopAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
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

        public PemFiles Files { get; }

        public string Contents() =>
            $"server.chain.pem holds the leaf 'CN={ServerName}' then the intermediate '{Intermediate.Subject}'; server.key.pem holds the leaf's private key";

        public SslStreamCertificateContext KitContext() => ServerCertificates.CreateContext(Leaf, [Intermediate]);

        public SslClientAuthenticationOptions ClientOptions(bool knowsIntermediate)
        {
            var policy = _pki.CreateChainPolicy();
            if (knowsIntermediate)
            {
                policy.ExtraStore.Add(Intermediate);
            }

            return new SslClientAuthenticationOptions
            {
                TargetHost = ServerName,
                CertificateChainPolicy = policy,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
        }

        public void Dispose()
        {
            Leaf.Dispose();
            _pki.Dispose();
            try
            {
                _directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A virus scanner holding the file on Windows: the temp folder gets cleaned eventually.
            }
        }
    }
}
