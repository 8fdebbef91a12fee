using System.Net;

namespace TlsLab.Exercises;

/// <summary>Exercise 1: HTTP/1.1 over a plain TCP socket, before any TLS. Task: README.md in this folder.</summary>
public static class PlainHttpClient
{
    /// <summary>The bytes of a GET request for <paramref name="path"/> on <paramref name="host"/>, as text.</summary>
    public static string BuildRequest(string host, string path)
    {
        // TODO: the request line, a Host header, CRLF line endings and the empty line that ends the head.
        throw new NotImplementedException("Exercise 1, BuildRequest: see notebooks/01-sockets.ipynb and exercises/01-plain-socket/HINTS.md");
    }

    /// <summary>Connects to <paramref name="endPoint"/>, sends the request and returns the first line of the answer.</summary>
    public static Task<string> GetStatusLineAsync(IPEndPoint endPoint, string host, string path, CancellationToken cancellationToken)
    {
        // TODO: connect a socket, write BuildRequest(host, path), read one whole line of the answer.
        throw new NotImplementedException("Exercise 1, GetStatusLineAsync: see notebooks/01-sockets.ipynb and exercises/01-plain-socket/HINTS.md");
    }
}
