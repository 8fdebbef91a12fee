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

/// <summary>Exercise 1's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise01Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("1: the talk's request (bare \\n, no Host)",
            Right with { PlainSocket = Right.PlainSocket with { BuildRequest = TalkStyleRequest.BuildRequest } },
            ("1:BuildRequest_uses_CRLF_line_endings_and_a_Host_header", 2)),
        new("1: one read for the whole answer",
            Right with { PlainSocket = Right.PlainSocket with { GetStatusLineAsync = SingleRead.GetStatusLineAsync } },
            ("1:GetStatusLineAsync_sends_that_request_and_reads_a_whole_line", 5)),
    ];
}
