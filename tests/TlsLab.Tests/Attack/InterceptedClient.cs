using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Tests.Attack;

/// <summary>A client that sends a request with an Authorization header and reads the whole answer, as the lesson's does.</summary>
internal static class InterceptedClient
{
    public const string Secret = "Bearer lab-token-7f3a91";

    /// <summary>The answer, or the exception the handshake (or the read) ended with.</summary>
    public static async Task<(string? Answer, Exception? Error)> TryGetAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options,
        CancellationToken ct)
    {
        try
        {
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endPoint, ct);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(options, ct);
            var request = $"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nAuthorization: {Secret}\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
            using var reader = new StreamReader(tls, Encoding.UTF8);
            return (await reader.ReadToEndAsync(ct), null);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return (null, e);
        }
    }
}
