using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Tests.Robustness;

/// <summary>What a raw client saw: its port (to find the lab's record), what came back, and when the server hung up.</summary>
/// <param name="ClientPort">The client's local port.</param>
/// <param name="Received">Everything the server sent (decrypted, for a TLS client).</param>
/// <param name="ClosedAfter">From the end of sending until the server closed (or the wait gave up).</param>
/// <param name="ServerClosed">False when the server still held the connection open at the end of the wait.</param>
public sealed record RawExchange(int ClientPort, byte[] Received, TimeSpan ClosedAfter, bool ServerClosed)
{
    /// <summary>What came back, as text.</summary>
    public string Text => Encoding.UTF8.GetString(Received);
}

/// <summary>Clients that do exactly what a test says on the wire, well-formed or not.</summary>
public static class RawClient
{
    private static readonly Lazy<Task<byte[]>> RealClientHello = new(() => CaptureClientHelloAsync("good.localhost"));

    /// <summary>A genuine ClientHello record from this machine's .NET TLS client (captured once).</summary>
    public static Task<byte[]> ClientHelloAsync() => RealClientHello.Value;

    /// <summary>Connects a plain TCP socket to <paramref name="target"/>.</summary>
    public static async Task<Socket> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The client's local port.</summary>
    public static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>Reads until the server closes (or resets) the connection, or <paramref name="limit"/> passes.</summary>
    public static async Task<RawExchange> WaitForCloseAsync(Socket socket, TimeSpan limit, CancellationToken cancellationToken)
    {
        var port = PortOf(socket);
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: false);
        }

        return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: true);
    }

    /// <summary>Sends <paramref name="request"/> as it is (plain TCP) and reads the whole answer.</summary>
    public static async Task<RawExchange> SendPlainAsync(IPEndPoint target, string request, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(target, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        return await WaitForCloseAsync(socket, limit, cancellationToken);
    }

    /// <summary>Completes a TLS handshake as a careful client, then sends <paramref name="request"/> as it is and reads the whole answer.</summary>
    public static async Task<RawExchange> SendOverTlsAsync(IPEndPoint target, SslClientAuthenticationOptions options, string request, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(target, cancellationToken);
        var port = PortOf(socket);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        await tls.FlushAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var received = new MemoryStream();
        try
        {
            await tls.CopyToAsync(received, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: false);
        }
        catch (IOException)
        {
            // Closed without close_notify: still closed.
        }

        return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: true);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="limit"/> passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(25, cancellationToken);
        }

        return true;
    }

    // A throwaway listener receives the first flight of a real SslStream client; nothing answers it.
    private static async Task<byte[]> CaptureClientHelloAsync(string targetHost)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, timeout.Token);
        using var server = await listener.AcceptSocketAsync(timeout.Token);
        var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }, timeout.Token);

        var hello = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (hello.Count < 5 || hello.Count < 5 + ((hello[3] << 8) | hello[4]))
        {
            var read = await server.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The TLS client closed before sending a whole ClientHello record.");
            }

            hello.AddRange(buffer.AsSpan(0, read));
        }

        client.Close();
        try
        {
            await handshake;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException or OperationCanceledException)
        {
            // Expected: nobody answered.
        }

        await tls.DisposeAsync();
        return hello.Take(5 + ((hello[3] << 8) | hello[4])).ToArray();
    }
}
