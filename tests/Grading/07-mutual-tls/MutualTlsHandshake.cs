using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace TlsLab.Grading;

/// <summary>What one mutual-TLS handshake on loopback ended with, seen from both ends.</summary>
/// <param name="ServerAccepted">The server's handshake completed: it let the client in.</param>
/// <param name="ClientSubject">The subject of the certificate the server received, or null when none came.</param>
/// <param name="ServerError">Why the server's handshake failed, when it did.</param>
/// <param name="ClientError">Why the client's handshake failed, when it did (for instance, it refused the server's certificate).</param>
public sealed record MutualTlsResult(bool ServerAccepted, string? ClientSubject, Exception? ServerError, Exception? ClientError);

/// <summary>
/// One handshake between a server with the given options and a client with the given options, over a real socket on
/// 127.0.0.1. The verdict that matters is the server's: under TLS 1.3 the server judges the client's certificate
/// after the client has already finished, so a refused client only finds out when it next reads.
/// </summary>
public static class MutualTlsHandshake
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Runs the handshake, then a one-byte exchange so that both sides have seen the server's verdict.</summary>
    public static async Task<MutualTlsResult> RunAsync(SslServerAuthenticationOptions server, SslClientAuthenticationOptions client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var serving = ServeOneAsync(listener, server, limit.Token);

        Exception? clientError = null;
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint, limit.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(client, limit.Token);
            await tls.WriteAsync("?"u8.ToArray(), limit.Token);
            var answer = new byte[1];
            if (await tls.ReadAsync(answer, limit.Token) == 0)
            {
                throw new IOException("The server closed the connection after the handshake.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            clientError = e;
        }

        var (accepted, subject, serverError) = await serving;
        return new MutualTlsResult(accepted, subject, serverError, clientError);
    }

    private static async Task<(bool Accepted, string? Subject, Exception? Error)> ServeOneAsync(TcpListener listener,
        SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await listener.AcceptSocketAsync(cancellationToken);
        }
        catch (Exception e)
        {
            return (false, null, e);
        }

        using (socket)
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            try
            {
                await tls.AuthenticateAsServerAsync(options, cancellationToken);
            }
            catch (Exception e)
            {
                return (false, null, e);
            }

            var subject = tls.RemoteCertificate?.Subject;
            try
            {
                _ = await tls.ReadAsync(new byte[1], cancellationToken);
                await tls.WriteAsync("!"u8.ToArray(), cancellationToken);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server let the client in; whether the client then stayed is the client's verdict, reported on its side.
            }

            return (true, subject, null);
        }
    }
}
