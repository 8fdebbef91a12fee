using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsLab.Exercises;

/// <summary>Exercise 1: HTTP/1.1 over a plain TCP socket, before any TLS.</summary>
public static class PlainHttpClient
{
    /// <summary>The bytes of a GET request for <paramref name="path"/> on <paramref name="host"/>, as text.</summary>
    public static string BuildRequest(string host, string path)
    {
        // HTTP/1.1 ends every line with CRLF ("\r\n"), not the bare "\n" the Python talk used. Many
        // servers tolerate "\n"; some do not, and a proxy in between may read it differently.
        // Host is mandatory in HTTP/1.1 (RFC 9112): one address can serve many sites, and the
        // server has no other way to know which one you mean. The lab answers 400 without it.
        // Connection: close asks the server to hang up after answering, so "read until the server
        // closes" is a correct way to find the end of the answer.
        // The empty line (the second CRLF in a row) ends the head; without it the server waits.
        return $"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n";
    }

    /// <summary>Connects to <paramref name="endPoint"/>, sends the request and returns the first line of the answer.</summary>
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);

        // A TCP socket of the same address family as the end point (IPv4 for 127.0.0.1).
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);

        // NetworkStream turns the socket into a Stream; in exercise 2 an SslStream wraps exactly
        // this stream, and everything below stays the same.
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        // HTTP heads are ASCII. Everything written here crosses the network in the clear.
        var request = Encoding.ASCII.GetBytes(BuildRequest(host, path));
        await stream.WriteAsync(request, cancellationToken);

        // TCP is a byte stream, not a message stream: one read may return "HTTP/1." and the next
        // "1 200 OK". A StreamReader keeps reading until it has a whole line, which a single
        // ReadAsync (or Python's conn.recv()) does not promise.
        using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var statusLine = await reader.ReadLineAsync(cancellationToken);

        // ReadLine returns null when the server closed the connection without sending anything.
        return statusLine ?? throw new IOException($"{endPoint} closed the connection without answering.");
    }
}
