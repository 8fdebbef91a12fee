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
