using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
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

    public static RunningServer SerialWithoutErrorHandling(SslStreamCertificateContext certificate) => Run(new OneClientAtATimeServer(certificate, catchErrors: false));

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

/// <summary>Exercise 5's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise05Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("5: a server that sends no intermediates",
            Right with { Server = Right.Server with { Load = LeafOnlyCredentials.Load } },
            ("5:Load_reads_the_key_the_certificate_and_the_intermediate", 3),
            ("5:The_server_sends_the_full_chain", 3)),
        new("5: one client at a time",
            Right with { Server = Right.Server with { Start = OneClientAtATimeServer.Serial } },
            ("5:The_server_keeps_serving_while_clients_stall_mid_handshake", 6)),
        new("5: no error handling in the accept loop",
            Right with { Server = Right.Server with { Start = OneClientAtATimeServer.SerialWithoutErrorHandling } },
            ("5:The_server_survives_clients_that_send_garbage", 6)),
    ];
}
