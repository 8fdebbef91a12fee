using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 5 that the grading tests must reject.

/// <summary>WRONG: loads the certificate and key, and drops the intermediates that follow it in the file.</summary>
public static class LeafOnlyCredentials
{
    public static SslStreamCertificateContext Load(string certificateChainPemPath, string keyPemPath)
    {
        var leaf = X509Certificate2.CreateFromPemFile(certificateChainPemPath, keyPemPath);
        if (OperatingSystem.IsWindows())
        {
            // Not the mistake on show: without this, Windows fails for another reason (an ephemeral key).
            using var inMemory = leaf;
            leaf = X509CertificateLoader.LoadPkcs12(inMemory.Export(X509ContentType.Pkcs12), password: null);
        }

        return SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true);
    }
}

/// <summary>
/// WRONG: the talk's server shape in C#: one connection at a time inside the accept loop. With
/// <see cref="CatchErrors"/> off, the first bad client also ends the loop.
/// </summary>
public sealed class OneClientAtATimeServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly SslStreamCertificateContext _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private OneClientAtATimeServer(SslStreamCertificateContext certificate, bool catchErrors)
    {
        _certificate = certificate;
        CatchErrors = catchErrors;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _loop = LoopAsync(_stop.Token);
    }

    public IPEndPoint EndPoint { get; }

    public bool CatchErrors { get; }

    public static RunningServer Serial(SslStreamCertificateContext certificate) => Run(new OneClientAtATimeServer(certificate, catchErrors: true));

    public static RunningServer SerialWithoutErrorHandling(SslStreamCertificateContext certificate) => Run(new OneClientAtATimeServer(certificate,
        catchErrors: false));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The loop died earlier (or now); that was the bug being demonstrated.
        }

        _stop.Dispose();
    }

    private static RunningServer Run(OneClientAtATimeServer server) => new(server.EndPoint, server.DisposeAsync);

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptSocketAsync(stop);
            if (CatchErrors)
            {
                try
                {
                    await ServeAsync(client, stop);
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !stop.IsCancellationRequested)
                {
                    // Caught, but only after this client had the server to itself for up to 5 s.
                }
            }
            else
            {
                await ServeAsync(client, stop);
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _certificate }, deadline.Token);
        using var reader = new StreamReader(tls, Encoding.ASCII, false, 1024, leaveOpen: true);
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync(deadline.Token)))
        {
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), deadline.Token);
    }
}

/// <summary>The ways a <see cref="FlawedServer"/> departs from the reference server; each wrong answer below has one.</summary>
internal sealed record Flaws
{
    public bool ListensOnAnyAddress { get; init; }

    public bool DisposeOnlyCancels { get; init; }

    public bool HandshakeWithoutToken { get; init; }

    public bool ServesTheLeafOnly { get; init; }

    public bool EcdsaKeyLoader { get; init; }

    public bool SharesStaticOptions { get; init; }

    public bool ReadsTheRequestLineOnly { get; init; }

    public bool NoCloseNotify { get; init; }

    public bool NoDeadlines { get; init; }

    public bool DeclaresABodyItNeverSends { get; init; }

    public bool LingersAfterStop { get; init; }

    public Func<SslStreamCertificateContext, SslServerAuthenticationOptions>? Options { get; init; }
}

/// <summary>
/// A server shaped like the reference answer (a task per connection, errors caught, a handshake
/// deadline), with one flaw switched on. The classes below name the flaws.
/// </summary>
internal sealed class FlawedServer : IAsyncDisposable
{
    // The SharesStaticOptions flaw: "the options never change", so one static copy, which the latest Start overwrites.
    private static SslServerAuthenticationOptions? s_shared;

    private readonly TcpListener _listener;
    private readonly SslServerAuthenticationOptions _options;
    private readonly Flaws _flaws;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FlawedServer(SslStreamCertificateContext certificate, Flaws flaws)
    {
        _flaws = flaws;
        _options = flaws.Options is { } create ? create(certificate)
            : flaws.ServesTheLeafOnly
            ? new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate.TargetCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13
            }
            : new SslServerAuthenticationOptions { ServerCertificateContext = certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 };
        if (flaws.SharesStaticOptions)
        {
            s_shared = _options;
        }

        _listener = new TcpListener(flaws.ListensOnAnyAddress ? IPAddress.Any : IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;

        // The flaw of ListensOnAnyAddress is also in what it says: it reports loopback regardless.
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        _loop = LoopAsync(_stop.Token);
    }

    public IPEndPoint EndPoint { get; }

    public static RunningServer Start(SslStreamCertificateContext certificate, Flaws flaws)
    {
        var server = new FlawedServer(certificate, flaws);
        return new RunningServer(server.EndPoint, server.DisposeAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (!_flaws.DisposeOnlyCancels)
        {
            _listener.Stop();
        }

        await _loop;
    }

    private async Task LoopAsync(CancellationToken stop)
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

            _ = Task.Run(() => ServeAsync(client, stop), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                if (!_flaws.NoDeadlines)
                {
                    deadline.CancelAfter(TimeSpan.FromSeconds(5));
                }

                var options = _flaws.SharesStaticOptions ? s_shared! : _options;
                if (_flaws.HandshakeWithoutToken)
                {
                    await tls.AuthenticateAsServerAsync(options);
                }
                else
                {
                    await tls.AuthenticateAsServerAsync(options, deadline.Token);
                }

                using var reader = new StreamReader(tls, Encoding.ASCII, false, 1024, leaveOpen: true);
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(deadline.Token)) && !_flaws.ReadsTheRequestLineOnly)
                {
                }

                await tls.WriteAsync(Encoding.ASCII.GetBytes(_flaws.DeclaresABodyItNeverSends
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), deadline.Token);
                if (!_flaws.NoCloseNotify)
                {
                    await tls.ShutdownAsync();
                }
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // This client's problem only.
            }

            if (_flaws.LingersAfterStop && stop.IsCancellationRequested)
            {
                // "Give an answer in flight a moment to finish": the connection stays open a while after the stop.
                await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
            }
        }
    }
}

/// <summary>
/// WRONG: "loading PEM is slow, cache it": the credentials are written to the temp folder as an unencrypted .pfx (mode 0644 under
/// the usual umask) and loaded from there, and the file is never deleted. Any user of the machine can read the key.
/// </summary>
public static class CachesThePfxInTemp
{
    public static SslStreamCertificateContext Load(string certificateChainPemPath, string keyPemPath)
    {
        var loaded = Exercises.ServerCredentials.Load(certificateChainPemPath, keyPemPath);
        var cache = Path.Combine(Path.GetTempPath(), $"tlslab-server-{loaded.TargetCertificate.Thumbprint}.pfx");
        File.WriteAllBytes(cache, loaded.TargetCertificate.Export(X509ContentType.Pkcs12));
        var leaf = X509CertificateLoader.LoadPkcs12FromFile(cache, password: null);
        return SslStreamCertificateContext.Create(leaf, [.. loaded.IntermediateCertificates], offline: true);
    }
}

/// <summary>WRONG: the same cache written owner-only (0600), and still never deleted: the key outlives the server.</summary>
public static class LeavesAnOwnerOnlyPemBehind
{
    public static SslStreamCertificateContext Load(string certificateChainPemPath, string keyPemPath)
    {
        var loaded = Exercises.ServerCredentials.Load(certificateChainPemPath, keyPemPath);
        var copy = Path.Combine(Path.GetTempPath(), $"tlslab-key-{Guid.NewGuid():N}.pem");
        using (var key = loaded.TargetCertificate.GetECDsaPrivateKey()!)
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(copy, Encoding.ASCII, options);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        return loaded;
    }
}

/// <summary>WRONG: listens on IPAddress.Any (every network the laptop is on) and reports 127.0.0.1 anyway.</summary>
public static class ListensOnAnyAddress
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { ListensOnAnyAddress = true });
}

/// <summary>WRONG: DisposeAsync cancels the accept loop's token but never stops the listener, so the port stays open.</summary>
public static class DisposeOnlyCancels
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { DisposeOnlyCancels = true });
}

/// <summary>WRONG: AuthenticateAsServerAsync without a token: a client that stalls mid-handshake keeps its connection for ever, even after
/// DisposeAsync.</summary>
public static class HandshakeWithoutToken
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { HandshakeWithoutToken = true });
}

/// <summary>WRONG: the request line read, the rest of the head left unread: the answer goes out while the client is still sending.</summary>
public static class ReadsTheRequestLineOnly
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { ReadsTheRequestLineOnly = true });
}

/// <summary>WRONG: Content-Length says 12, and no body follows: the client waits for bytes that never come, or reads a cut answer.</summary>
public static class DeclaresABodyItNeverSends
{
    public static RunningServer Start(SslStreamCertificateContext certificate) =>
        FlawedServer.Start(certificate, new Flaws { DeclaresABodyItNeverSends = true });
}

/// <summary>WRONG: the server options kept in a static field: a second server makes the first present the second's certificate.</summary>
public static class SharesStaticOptions
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { SharesStaticOptions = true });
}

/// <summary>WRONG: Load is right, but the server sets ServerCertificate = context.TargetCertificate, which sends the leaf without its intermediate.</summary>
public static class ServesTheLeafOnly
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { ServesTheLeafOnly = true });
}

/// <summary>WRONG: Start ignores its listenOn argument and always listens on 127.0.0.1 and a port of its own choosing.</summary>
public static class IgnoresListenOn
{
    public static RunningServer Start(SslStreamCertificateContext certificate, IPEndPoint? listenOn) => FlawedServer.Start(certificate, new Flaws());
}

/// <summary>WRONG: imports the key file into ECDsa.Create() (the usual snippet), so an RSA key cannot load.</summary>
public static class EcdsaOnlyKeyLoader
{
    public static SslStreamCertificateContext Load(string certificateChainPemPath, string keyPemPath)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificateChainPemPath);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPemPath));
        var leaf = all[0].CopyWithPrivateKey(key);
        if (OperatingSystem.IsWindows())
        {
            // Not the mistake on show: without this, Windows fails for another reason (an ephemeral key).
            using var inMemory = leaf;
            leaf = X509CertificateLoader.LoadPkcs12(inMemory.Export(X509ContentType.Pkcs12), password: null);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }
}

/// <summary>Exercise 5's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
/// <summary>WRONG: the answer written and the connection closed, without close_notify: a cut-off answer looks the same to the client.</summary>
public static class NoCloseNotify
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { NoCloseNotify = true });
}

/// <summary>WRONG: no deadlines, only the server's token: a client that stalls keeps its connection until the server stops.</summary>
public static class NoDeadlines
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { NoDeadlines = true });
}

/// <summary>WRONG: the server options enable TLS 1.0 and 1.1 "for old clients". This machine's OpenSSL refuses them anyway; Windows
/// versions and OpenSSL configurations that still allow them would serve them.</summary>
public static class AllowsTls10And11
{
    public static SslServerAuthenticationOptions CreateOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
#pragma warning disable SYSLIB0039 // the obsolete versions are exactly what this wrong answer enables
        EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
#pragma warning restore SYSLIB0039
    };

    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { Options = CreateOptions });
}

/// <summary>WRONG: EnabledSslProtocols left at None, "the OS knows best": the floor is whatever the platform's default is.</summary>
public static class LeavesVersionsToThePlatform
{
    public static SslServerAuthenticationOptions CreateOptions(SslStreamCertificateContext certificate) => new() { ServerCertificateContext = certificate };

    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { Options = CreateOptions });
}

/// <summary>WRONG: a RemoteCertificateValidationCallback that returns true, "in case a client sends a certificate".</summary>
public static class AcceptsAnyClientCertificate
{
    public static SslServerAuthenticationOptions CreateOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { Options = CreateOptions });
}

/// <summary>WRONG: CreateOptions is right, but Start builds options of its own (TLS 1.3 only), so what CreateOptions says is not what is served.</summary>
public static class StartIgnoresCreateOptions
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws
    {
        Options = context => new SslServerAuthenticationOptions { ServerCertificateContext = context, EnabledSslProtocols = SslProtocols.Tls13 },
    });
}

/// <summary>WRONG: DisposeAsync does not wait for the connections, and each one lingers a moment after the stop, so DisposeAsync returns
/// while they are still open (and still using the certificate).</summary>
public static class DisposeDoesNotWaitForConnections
{
    public static RunningServer Start(SslStreamCertificateContext certificate) => FlawedServer.Start(certificate, new Flaws { LingersAfterStop = true });
}

internal static class Exercise05Cases
{
    private static readonly ServerApi Right = ServerApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("5: a server that sends no intermediates",
            Right with { Load = LeafOnlyCredentials.Load },
            ("5:Load_reads_the_key_the_certificate_and_the_intermediate", 3),
            ("5:The_server_sends_the_full_chain", 3)),
        new("5: credentials cached as a .pfx in the temp folder",
            Right with { Load = CachesThePfxInTemp.Load },
            ("5:Load_and_the_server_leave_no_key_on_disk", 2)),
        new("5: an owner-only copy of the key left behind",
            Right with { Load = LeavesAnOwnerOnlyPemBehind.Load },
            ("5:Load_and_the_server_leave_no_key_on_disk", 2)),
        new("5: one client at a time",
            Right with { Start = OneClientAtATimeServer.Serial },
            ("5:The_server_keeps_serving_while_clients_stall_mid_handshake", 6)),
        new("5: no error handling in the accept loop",
            Right with { Start = OneClientAtATimeServer.SerialWithoutErrorHandling },
            ("5:The_server_survives_clients_that_send_garbage", 6)),
        new("5: listening on every address, reporting loopback",
            Right with { Start = ListensOnAnyAddress.Start },
            ("5:The_operating_system_sees_the_server_listening_on_loopback_only", 5)),
        new("5: DisposeAsync that only cancels",
            Right with { Start = DisposeOnlyCancels.Start },
            ("5:DisposeAsync_frees_the_port_and_closes_every_connection", 5)),
        new("5: only the request line read",
            Right with { Start = ReadsTheRequestLineOnly.Start },
            ("5:The_server_answers_a_whole_request_with_the_whole_answer", 5)),
        new("5: a body declared and never sent",
            Right with { Start = DeclaresABodyItNeverSends.Start },
            ("5:The_server_answers_a_whole_request_with_the_whole_answer", 5)),
        new("5: server options in a static field",
            Right with { Start = SharesStaticOptions.Start },
            ("5:Two_servers_at_once_each_serve_their_own_certificate", 5)),
        new("5: a handshake without a token",
            Right with { Start = HandshakeWithoutToken.Start },
            ("5:DisposeAsync_frees_the_port_and_closes_every_connection", 6)),
        new("5: serving the leaf instead of the context",
            Right with { Start = ServesTheLeafOnly.Start },
            ("5:The_server_sends_the_full_chain", 5)),
        new("5: listenOn ignored",
            Right with { StartOn = IgnoresListenOn.Start },
            ("5:Start_listens_on_the_address_and_port_given_as_listenOn", 5)),
        new("5: a key loader for ECDSA only",
            Right with { Load = EcdsaOnlyKeyLoader.Load },
            ("5:Load_reads_an_RSA_key_as_well_as_an_ECDSA_one", 2)),
        new("5: no close_notify before the close",
            Right with { Start = NoCloseNotify.Start },
            ("5:The_server_ends_its_answer_with_close_notify", 5)),
        new("5: no handshake or request deadline",
            Right with { Start = NoDeadlines.Start },
            ("5:The_server_drops_clients_that_stall_past_its_deadlines", 6)),
        new("5: a handshake without a token (no deadline)",
            Right with { Start = HandshakeWithoutToken.Start },
            ("5:The_server_drops_clients_that_stall_past_its_deadlines", 6)),
        new("5: server options that allow TLS 1.0 and 1.1",
            Right with { CreateOptions = AllowsTls10And11.CreateOptions, Start = AllowsTls10And11.Start },
            ("5:The_server_options_allow_TLS_1_2_and_1_3_only", 5)),
        new("5: server versions left to the platform (None)",
            Right with { CreateOptions = LeavesVersionsToThePlatform.CreateOptions, Start = LeavesVersionsToThePlatform.Start },
            ("5:The_server_options_allow_TLS_1_2_and_1_3_only", 5)),
        new("5: an accept-all client certificate callback",
            Right with { CreateOptions = AcceptsAnyClientCertificate.CreateOptions, Start = AcceptsAnyClientCertificate.Start },
            ("5:The_server_options_allow_TLS_1_2_and_1_3_only", 5)),
        new("5: Start not serving CreateOptions",
            Right with { Start = StartIgnoresCreateOptions.Start },
            ("5:The_server_options_allow_TLS_1_2_and_1_3_only", 5)),
        new("5: DisposeAsync not waiting for its connections",
            Right with { Start = DisposeDoesNotWaitForConnections.Start },
            ("5:DisposeAsync_frees_the_port_and_closes_every_connection", 5)),
    ];
}
