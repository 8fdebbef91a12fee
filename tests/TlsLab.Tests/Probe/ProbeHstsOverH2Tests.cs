using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using TlsLab.Cli.Probe;
using TlsLab.Pki;

namespace TlsLab.Tests.Probe;

/// <summary>
/// Kestrel and nginx with http2 choose h2 by ALPN whenever a client offers it. The probe reads HSTS with an HTTP/1.1 request, so on
/// such a server it must ask on a connection that offers http/1.1 only: a real loopback server here prefers h2, hangs up on anything
/// that is not HTTP/2 after choosing it (as an HTTP/2 server does on HTTP/1.1 text), and sends HSTS over HTTP/1.1.
/// </summary>
public sealed class ProbeHstsOverH2Tests
{
    [Fact]
    public async Task The_probe_reads_HSTS_over_http_1_1_from_a_server_that_prefers_h2()
    {
        using var pki = new ProbePki();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var leaf = ServerCertificates.Prepare(pki.Ecdsa);
        var context = ServerCertificates.CreateContext(leaf, [pki.Pki.Intermediate.PublicCertificate]);
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);
                _ = ServeAsync(socket, context, stop.Token);
            }
        }, stop.Token);
        var settings = new ProbeSettings("h2", (IPEndPoint)listener.LocalEndpoint, ProbePki.Host, [pki.Root], TimeSpan.FromSeconds(5));

        var result = await ProbeEngine.RunAsync(settings, cancellationToken: stop.Token);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        Assert.Equal(["h2", "http/1.1"], result.Alpn);
        Assert.True(result.HttpChecked, "The probe should have had an HTTP/1.1 answer from the connection that offered http/1.1 only.");
        Assert.True(result.HstsMaxAge == 31_536_000, $"The server sends HSTS with max-age 31536000 over HTTP/1.1; the probe read {result.HstsMaxAge}.");
        Assert.Equal("A+", ServerRating.Compute(result).Grade);
    }

    private static async Task ServeAsync(Socket socket, SslStreamCertificateContext context, CancellationToken cancellationToken)
    {
        using (socket)
        {
            try
            {
                await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                }, cancellationToken);
                if (tls.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
                {
                    return; // an HTTP/2 server does not answer HTTP/1.1 text
                }

                var buffer = new byte[4096];
                var head = string.Empty;
                while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await tls.ReadAsync(buffer, cancellationToken);
                    if (n == 0)
                    {
                        return;
                    }

                    head += Encoding.ASCII.GetString(buffer, 0, n);
                }

                await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\n" +
                    "Content-Length: 0\r\nConnection: close\r\n\r\n"), cancellationToken);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                // The probe's hand-made hellos end most connections early: that is what probing is.
            }
        }
    }
}
