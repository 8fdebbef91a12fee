using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Grading;

/// <summary>
/// A one-connection HTTP server for the read-a-whole-line checks (exercise 1 over plain TCP,
/// exercise 2 over TLS): it records the exact bytes of the request, then answers in pieces with a
/// pause before each one, the way TCP (and TLS, one record per write) may deliver any answer.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    /// <summary>How long the server holds back its last piece for a client that has not returned yet.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(3);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<byte[]> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;
    private int _gaveUpHolding;

    /// <summary>Starts listening on 127.0.0.1 and a free port.</summary>
    /// <param name="pieces">The answer, written piece by piece (over TLS each piece is its own record).</param>
    /// <param name="pause">The pause before every piece after the first.</param>
    /// <param name="certificate">Serve TLS with this certificate; null for plain TCP.</param>
    /// <param name="holdLastPieceUntil">When set, the last piece (and the close) waits for this task, or for <see cref="HoldLimit"/>.</param>
    public RecordingHttpServer(IReadOnlyList<string> pieces, TimeSpan pause, SslStreamCertificateContext? certificate = null, Task? holdLastPieceUntil = null)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        Pieces = pieces;
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _serving = ServeOneAsync(pause, certificate, holdLastPieceUntil, _stop.Token);
    }

    /// <summary>Where to connect.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The answer, as it is written.</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>The request bytes, once a client has connected and sent its head (or stopped sending, or 3 s passed).</summary>
    public Task<byte[]> Received => _received.Task;

    /// <summary>True when the server stopped holding back its last piece because the client had not returned within <see cref="HoldLimit"/>.</summary>
    public bool GaveUpHolding => Volatile.Read(ref _gaveUpHolding) == 1;

    /// <summary>The pieces for display, e.g. <c>'HTTP/1.' | '1 200 OK\r\n...'</c>.</summary>
    public string Describe(int width = 24) =>
        string.Join(" | ", Pieces.Select(p => $"'{Escape(p.Length > width ? p[..width] + "..." : p)}'"));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // Nobody connected, the client went away or refused the handshake: nothing to clean up.
        }

        _stop.Dispose();
    }

    private static string Escape(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private async Task ServeOneAsync(TimeSpan pause, SslStreamCertificateContext? certificate, Task? hold, CancellationToken stop)
    {
        using var stopped = stop.Register(() => _received.TrySetCanceled(stop));
        using var socket = await _listener.AcceptSocketAsync(stop);
        socket.NoDelay = true;
        await using var network = new NetworkStream(socket, ownsSocket: false);
        Stream stream = network;
        SslStream? tls = null;
        if (certificate is not null)
        {
            tls = new SslStream(network, leaveInnerStreamOpen: true);
            using var handshakeDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            handshakeDeadline.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = certificate }, handshakeDeadline.Token);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
            {
                _received.TrySetResult([]);
                await tls.DisposeAsync();
                return;
            }

            stream = tls;
        }

        try
        {
            var received = await ReadHeadAsync(stream, stop);
            _received.TrySetResult(received);
            await AnswerAsync(stream, socket, pause, hold, stop);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client hung up before the whole answer was written (reading once and leaving); what it sent still counts.
        }
        finally
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }
        }
    }

    private static async Task<byte[]> ReadHeadAsync(Stream stream, CancellationToken stop)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);

        // Read until the head ends (CRLF CRLF, or the bare-LF form a lenient server accepts), the
        // client stops sending, or 3 s pass. Then answer anyway, so the grader can report on what
        // arrived rather than hang.
        deadline.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            while (!EndsHead(received))
            {
                var n = await stream.ReadAsync(buffer, deadline.Token);
                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The head never ended; answer what we have.
        }

        return received.ToArray();
    }

    private async Task AnswerAsync(Stream stream, Socket socket, TimeSpan pause, Task? hold, CancellationToken stop)
    {
        for (var i = 0; i < Pieces.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(pause, stop);
            }

            if (i == Pieces.Count - 1 && hold is not null)
            {
                // The line has arrived; a client that returns now never needs the rest. One that waits
                // for the server to close only gets it after the limit, and the grader knows why.
                var first = await Task.WhenAny(hold, Task.Delay(HoldLimit, stop));
                stop.ThrowIfCancellationRequested();
                if (first != hold)
                {
                    Volatile.Write(ref _gaveUpHolding, 1);
                }
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(Pieces[i]), stop);
            await stream.FlushAsync(stop);
        }

        if (stream is SslStream tls)
        {
            await tls.ShutdownAsync();
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static bool EndsHead(MemoryStream received)
    {
        var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
        return bytes.IndexOf("\r\n\r\n"u8) >= 0 || bytes.IndexOf("\n\n"u8) >= 0;
    }
}
