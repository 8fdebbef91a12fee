using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Grading;

/// <summary>
/// A one-connection plain HTTP server for exercise 1: it records the exact bytes of the request
/// and answers in two pieces with a pause between them, the way TCP may deliver any answer.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<byte[]> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    /// <summary>Starts listening on 127.0.0.1 and a free port.</summary>
    public RecordingHttpServer(string firstPiece, string secondPiece, TimeSpan pause)
    {
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _serving = ServeOneAsync(firstPiece, secondPiece, pause, _stop.Token);
    }

    /// <summary>Where to connect.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The request bytes, once a client has connected and sent its head (or stopped sending, or 3 s passed).</summary>
    public Task<byte[]> Received => _received.Task;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Nobody connected, or the client went away: nothing to clean up.
        }

        _stop.Dispose();
    }

    private async Task ServeOneAsync(string firstPiece, string secondPiece, TimeSpan pause, CancellationToken stop)
    {
        using var stopped = stop.Register(() => _received.TrySetCanceled(stop));
        using var socket = await _listener.AcceptSocketAsync(stop);
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
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
        }

        _received.TrySetResult(received.ToArray());
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(firstPiece), stop);
            await stream.FlushAsync(stop);
            await Task.Delay(pause, stop);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(secondPiece), stop);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client hung up after the first piece (reading once and leaving); what it sent still counts.
        }
    }

    private static bool EndsHead(MemoryStream received)
    {
        var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
        return bytes.IndexOf("\r\n\r\n"u8) >= 0 || bytes.IndexOf("\n\n"u8) >= 0;
    }
}
