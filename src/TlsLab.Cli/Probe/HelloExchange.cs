using System.Net;
using System.Net.Sockets;

namespace TlsLab.Cli.Probe;

/// <summary>Why a probe could not even get a TCP connection.</summary>
internal enum ConnectFailure
{
    Refused,
    TimedOut,
    Unreachable,
}

/// <summary>A TCP connection to the target failed; the message is one sentence for the person running the probe.</summary>
internal sealed class ProbeConnectException(ConnectFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ConnectFailure Failure { get; } = failure;
}

/// <summary>
/// One hand-made ClientHello over one fresh TCP connection: connect, send, read until the answer is
/// known (<see cref="ServerHelloReader"/>), close. The handshake is never finished, so a server sees a
/// client that gave up, which is what a scanner is.
/// </summary>
internal static class HelloExchange
{
    /// <summary>Sends <paramref name="hello"/> and reads the answer; a silent server ends in a NoAnswer after <paramref name="timeout"/>.</summary>
    /// <exception cref="ProbeConnectException">The TCP connection itself failed.</exception>
    public static async Task<ServerAnswer> SendAsync(IPEndPoint endPoint, byte[] hello, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(hello);
        using var socket = await ConnectAsync(endPoint, timeout, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            await socket.SendAsync(hello, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
                if (ServerHelloReader.TryRead(received.GetBuffer().AsSpan(0, (int)received.Length), closed: false) is { } answer)
                {
                    return answer;
                }

                if (received.Length > ServerHelloReader.MaxFlightLength)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (received.Length == 0)
            {
                return new ServerAnswer
                {
                    Kind = ServerAnswerKind.NoAnswer,
                    TimedOut = true,
                    Error = $"The server accepted the connection but sent nothing within {timeout.TotalSeconds:0.#} s of the ClientHello.",
                };
            }
        }
        catch (SocketException)
        {
            // A reset (or any other end of the connection) after, or instead of, an answer: read what arrived.
        }

        return ServerHelloReader.TryRead(received.GetBuffer().AsSpan(0, (int)received.Length), closed: true)!;
    }

    /// <summary>
    /// Asks in plain HTTP (HEAD /) and returns the first line of the answer, or null: how a probe tells a plaintext web server, which
    /// waits in silence for a request it can read, from a TLS server that is merely slow.
    /// </summary>
    public static async Task<string?> AskHttpAsync(IPEndPoint endPoint, string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(endPoint, timeout, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n"), SocketFlags.None, deadline.Token)
                .ConfigureAwait(false);
            var buffer = new byte[256];
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, n);
            return text.StartsWith("HTTP/", StringComparison.Ordinal) ? text.Split('\r', '\n')[0] : null;
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Opens a TCP connection, turning every failure into one sentence.</summary>
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ProbeConnectException(ConnectFailure.TimedOut, $"Nothing answered on {endPoint} within {timeout.TotalSeconds:0.#} s " +
                "(a firewall dropping the connection, or a wrong address); check the address or raise --timeout.", e);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new ProbeConnectException(ConnectFailure.Refused, $"Connection refused on {endPoint}: nothing listens on " +
                    "that port. Check the port number, and that the server is running.", e),
                SocketError.TimedOut => new ProbeConnectException(ConnectFailure.TimedOut, $"Connecting to {endPoint} timed out; check the address " +
                    "or raise --timeout.", e),
                _ => new ProbeConnectException(ConnectFailure.Unreachable, $"Cannot connect to {endPoint}: {e.Message}", e),
            };
        }
    }
}
