using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace TlsLab.Tests.Robustness;

/// <summary>What a raw client saw: its port (to find the lab's record), what came back, and when the server hung up.</summary>
/// <param name="ClientPort">The client's local port.</param>
/// <param name="Received">Everything the server sent (decrypted, for a TLS client).</param>
/// <param name="ClosedAfter">From the end of sending until the server closed (or the wait gave up).</param>
/// <param name="ServerClosed">False when the server still held the connection open at the end of the wait.</param>
/// <param name="OpenFor">
/// From before the client connected until the server closed. Any server deadline starts after the client
/// started connecting, so this is never shorter than the deadline, however slowly the client itself ran;
/// <paramref name="ClosedAfter"/> is never longer than the deadline plus the client's own delays.
/// </param>
public sealed record RawExchange(int ClientPort, byte[] Received, TimeSpan ClosedAfter, bool ServerClosed, TimeSpan OpenFor)
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
    public static Task<RawExchange> WaitForCloseAsync(Socket socket, TimeSpan limit, CancellationToken cancellationToken) =>
        WaitForCloseAsync(socket, Stopwatch.StartNew(), limit, cancellationToken);

    /// <summary>As above; <paramref name="sinceConnecting"/> was started before the socket connected (for <see cref="RawExchange.OpenFor"/>).</summary>
    public static async Task<RawExchange> WaitForCloseAsync(Socket socket, Stopwatch sinceConnecting, TimeSpan limit, CancellationToken cancellationToken)
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
            return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: false, sinceConnecting.Elapsed);
        }

        return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: true, sinceConnecting.Elapsed);
    }

    /// <summary>Sends <paramref name="request"/> as it is (plain TCP) and reads the whole answer.</summary>
    public static async Task<RawExchange> SendPlainAsync(IPEndPoint target, string request, TimeSpan limit, CancellationToken cancellationToken)
    {
        var sinceConnecting = Stopwatch.StartNew();
        using var socket = await ConnectAsync(target, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        return await WaitForCloseAsync(socket, sinceConnecting, limit, cancellationToken);
    }

    /// <summary>Completes a TLS handshake as a careful client, then sends <paramref name="request"/> as it is and reads the whole answer.</summary>
    public static async Task<RawExchange> SendOverTlsAsync(IPEndPoint target, SslClientAuthenticationOptions options, string request, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        var sinceConnecting = Stopwatch.StartNew();
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
            return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: false, sinceConnecting.Elapsed);
        }
        catch (IOException)
        {
            // Closed without close_notify: still closed.
        }

        return new RawExchange(port, received.ToArray(), clock.Elapsed, ServerClosed: true, sinceConnecting.Elapsed);
    }

    /// <summary>
    /// Does <paramref name="attack"/> to <paramref name="target"/> and waits (up to <paramref name="waitLimit"/>)
    /// for the server to close. <paramref name="tlsOptions"/> is what a careful client would use there,
    /// for the attacks that complete a handshake first.
    /// </summary>
    public static async Task<RawExchange> AttackAsync(Attack attack, IPEndPoint target, SslClientAuthenticationOptions tlsOptions, TimeSpan waitLimit,
        CancellationToken ct)
    {
        var hello = await ClientHelloAsync();
        var sinceConnecting = Stopwatch.StartNew();
        var socket = await ConnectAsync(target, ct);
        try
        {
            var port = PortOf(socket);
            switch (attack)
            {
                case Attack.Garbage:
                    var garbage = RandomNumberGenerator.GetBytes(512);
                    garbage[0] = 0x00; // no TLS content type, no SSLv2 length, no HTTP method: just noise
                    await socket.SendAsync(garbage, SocketFlags.None, ct);
                    break;
                case Attack.PlainHttp:
                    await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: good.localhost\r\n\r\n"), SocketFlags.None, ct);
                    break;
                case Attack.OversizedRecord:
                    await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0xFF, 0xFF }, SocketFlags.None, ct);
                    break;
                case Attack.HugeClientHello:
                    // Record: handshake, 4 bytes. Handshake header: ClientHello, length 0xFFFFFF.
                    await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xFF, 0xFF, 0xFF }, SocketFlags.None, ct);
                    break;
                case Attack.HalfClientHello:
                    await socket.SendAsync(hello.AsMemory(0, hello.Length / 2), SocketFlags.None, ct);
                    socket.Shutdown(SocketShutdown.Send);
                    break;
                case Attack.Stall:
                    break;
                case Attack.Reset:
                    await socket.SendAsync(hello.AsMemory(0, hello.Length / 2), SocketFlags.None, ct);
                    await Task.Delay(50, ct); // let the server start on it
                    Reset(socket);
                    return new RawExchange(port, [], TimeSpan.Zero, ServerClosed: true, sinceConnecting.Elapsed);
                case Attack.ResetAfterHandshake:
                    var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: true);
                    await using (tls)
                    {
                        await tls.AuthenticateAsClientAsync(tlsOptions, ct);

                        // An application-data record header promising 64 bytes, and only 20 of them.
                        var partial = new byte[5 + 20];
                        new byte[] { 0x17, 0x03, 0x03, 0x00, 0x40 }.CopyTo(partial, 0);
                        RandomNumberGenerator.Fill(partial.AsSpan(5));
                        await socket.SendAsync(partial, SocketFlags.None, ct);
                        await Task.Delay(50, ct); // let the server start reading the record
                        Reset(socket);
                    }

                    return new RawExchange(port, [], TimeSpan.Zero, ServerClosed: true, sinceConnecting.Elapsed);
            }

            return await WaitForCloseAsync(socket, sinceConnecting, waitLimit, ct);
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Closes with a TCP reset (SO_LINGER 0), not a FIN.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
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
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException
            or OperationCanceledException)
        {
            // Expected: nobody answered.
        }

        await tls.DisposeAsync();
        return hello.Take(5 + ((hello[3] << 8) | hello[4])).ToArray();
    }
}

/// <summary>
/// A stream that hands every write to the stream below one byte at a time, pausing between bytes,
/// so that a real TLS client's ClientHello (and everything after it) reaches the server as a
/// dribble of one-byte TCP segments. Reads pass straight through.
/// </summary>
public sealed class DribbleStream(Stream inner, TimeSpan pause) : Stream
{
    private int _writes;

    /// <summary>How many one-byte writes reached the stream below.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            await inner.WriteAsync(buffer.Slice(i, 1), cancellationToken);
            await inner.FlushAsync(cancellationToken);
            Interlocked.Increment(ref _writes);
            await Task.Delay(pause, cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset,
        count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Collects task exceptions nobody observed (a fire-and-forget task that failed) while it is alive.
/// Only meaningful for tests that do not run in parallel with others: the event is process-wide.
/// </summary>
public sealed class UnobservedTaskExceptions : IDisposable
{
    private readonly List<Exception> _seen = [];

    public UnobservedTaskExceptions() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    /// <summary>Forces the finalizers that report unobserved exceptions to run, then returns what was reported.</summary>
    public IReadOnlyList<Exception> Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_seen)
        {
            return _seen.ToArray();
        }
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        lock (_seen)
        {
            _seen.Add(e.Exception);
        }
    }
}
