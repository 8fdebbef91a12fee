using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 1 that the grading tests must reject.

/// <summary>WRONG: the Python talk's request, a bare "\n" and no Host header.</summary>
public static class TalkStyleRequest
{
    public static string BuildRequest(string host, string path) => $"GET {path} HTTP/1.1\n";
}

/// <summary>WRONG: the lab's host name written into the request, whatever host the caller asked for.</summary>
public static class HardCodedHost
{
    public static string BuildRequest(string host, string path) =>
        $"GET {path} HTTP/1.1\r\nHost: plaintext.localhost\r\nConnection: close\r\n\r\n";
}

/// <summary>WRONG: always asks for "/", ignoring the path argument.</summary>
public static class HardCodedPath
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await ConnectedAsync(endPoint, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Exercises.PlainHttpClient.BuildRequest(host, "/")), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII, false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }

    internal static async Task<Socket> ConnectedAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        return socket;
    }

    internal static async Task<NetworkStream> SentAsync(Socket socket, string host, string path, CancellationToken cancellationToken)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Exercises.PlainHttpClient.BuildRequest(host, path)), cancellationToken);
        return stream;
    }
}

/// <summary>WRONG: one ReadAsync, as if TCP delivered the answer in one piece (the talk's conn.recv()).</summary>
public static class SingleRead
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), cancellationToken);
        var buffer = new byte[4096];
        var n = await stream.ReadAsync(buffer, cancellationToken); // whatever arrived first, maybe half a line
        return Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }
}

/// <summary>WRONG: "a second read if the first one was short": two reads at most, as if TCP split an answer only once.</summary>
public static class ReadsAtMostTwice
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        var buffer = new byte[4096];
        var n = await stream.ReadAsync(buffer, cancellationToken);
        var text = Encoding.ASCII.GetString(buffer, 0, n);
        if (!text.Contains("\r\n", StringComparison.Ordinal))
        {
            n = await stream.ReadAsync(buffer, cancellationToken);
            text += Encoding.ASCII.GetString(buffer, 0, n);
        }

        return text.Split("\r\n")[0];
    }
}

/// <summary>WRONG: "give the server a moment", then one read; works until an answer takes longer than the pause.</summary>
public static class PausesThenReadsOnce
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        await Task.Delay(50, cancellationToken);
        var buffer = new byte[4096];
        var n = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }
}

/// <summary>WRONG: reads until a read comes back short, taking a short read for the end of the answer.</summary>
public static class StopsAtAShortRead
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        var answer = new StringBuilder();
        var buffer = new byte[1024];
        int n;
        do
        {
            n = await stream.ReadAsync(buffer, cancellationToken);
            answer.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        while (n == buffer.Length);
        return answer.ToString().Split("\r\n")[0];
    }
}

/// <summary>WRONG: reads the whole answer until the server hangs up, then takes its first line; hangs on a server that keeps the connection open.</summary>
public static class ReadsToTheEnd
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII, false, leaveOpen: true);
        var answer = await reader.ReadToEndAsync(cancellationToken);
        return answer.Split("\r\n")[0];
    }
}

/// <summary>WRONG: reports success once anything arrived, instead of the status the server sent.</summary>
public static class AssumesOk
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        var buffer = new byte[4096];
        var n = await stream.ReadAsync(buffer, cancellationToken);
        return n > 0 ? "HTTP/1.1 200 OK" : throw new IOException("No answer.");
    }
}

/// <summary>WRONG: splits on "\n" and keeps the "\r" of the line ending.</summary>
public static class KeepsTheCarriageReturn
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        var answer = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken) == 1 && buffer[0] != (byte)'\n')
        {
            answer.Append((char)buffer[0]);
        }

        return answer.ToString();
    }
}

/// <summary>WRONG: "ReadLine keeps the \r", so the last character is cut off a line that never had it: "HTTP/1.1 200 O".</summary>
public static class CutsTheLastCharacter
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        var line = await Exercises.PlainHttpClient.GetStatusLineAsync(endPoint, host, path, cancellationToken);
        return line.Length > 0 ? line[..^1] : line;
    }
}

/// <summary>WRONG: "tidy" the line with Trim(): an empty reason phrase loses its space, so the line is no longer the server's.</summary>
public static class TrimsTheLine
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken) =>
        (await Exercises.PlainHttpClient.GetStatusLineAsync(endPoint, host, path, cancellationToken)).Trim();
}

/// <summary>WRONG: a server that closes without answering gives an empty string, which the caller takes for an answer.</summary>
public static class EmptyWhenClosed
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        using var socket = await HardCodedPath.ConnectedAsync(endPoint, cancellationToken);
        await using var stream = await HardCodedPath.SentAsync(socket, host, path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII, false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }
}

/// <summary>Exercise 1's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise01Cases
{
    private const string WholeLine = "1:GetStatusLineAsync_sends_that_request_and_reads_a_whole_line";
    private static readonly PlainSocketApi Right = PlainSocketApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("1: the talk's request (bare \\n, no Host)",
            Right with { BuildRequest = TalkStyleRequest.BuildRequest },
            ("1:BuildRequest_uses_CRLF_line_endings_and_a_Host_header", 2)),
        new("1: the lab's host name hard-coded in the request",
            Right with { BuildRequest = HardCodedHost.BuildRequest },
            ("1:BuildRequest_uses_CRLF_line_endings_and_a_Host_header", 3)),
        new("1: the path argument ignored",
            Right with { GetStatusLineAsync = HardCodedPath.GetStatusLineAsync },
            (WholeLine, 1)),
        new("1: one read for the whole answer",
            Right with { GetStatusLineAsync = SingleRead.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: two reads at most",
            Right with { GetStatusLineAsync = ReadsAtMostTwice.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: a pause, then one read",
            Right with { GetStatusLineAsync = PausesThenReadsOnce.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: the last character cut off",
            Right with { GetStatusLineAsync = CutsTheLastCharacter.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: the line trimmed",
            Right with { GetStatusLineAsync = TrimsTheLine.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: an empty string when the server closes without answering",
            Right with { GetStatusLineAsync = EmptyWhenClosed.GetStatusLineAsync },
            ("1:GetStatusLineAsync_fails_when_the_server_closes_without_answering", 5)),
        new("1: a short read taken for the end of the answer",
            Right with { GetStatusLineAsync = StopsAtAShortRead.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: the status assumed, not read",
            Right with { GetStatusLineAsync = AssumesOk.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: the line returned with its \\r",
            Right with { GetStatusLineAsync = KeepsTheCarriageReturn.GetStatusLineAsync },
            (WholeLine, 5)),
        new("1: reads until the server closes",
            Right with { GetStatusLineAsync = ReadsToTheEnd.GetStatusLineAsync },
            (WholeLine, 5)),
    ];
}
