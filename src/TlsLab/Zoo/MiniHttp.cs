using System.Buffers;
using System.Text;

namespace TlsLab.Zoo;

/// <summary>
/// Just enough HTTP/1.1 to answer one request per connection. Strict where the lessons need it
/// (a request needs its empty line and a Host header) and bounded everywhere (size and time).
/// </summary>
internal static class MiniHttp
{
    public const int MaxHeadBytes = 16 * 1024;

    public static async Task<HttpReadResult> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Borrowed, not allocated: every connection reads a head, most heads are a few hundred bytes,
        // and nothing keeps a reference to the buffer once the head is parsed into strings.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHeadBytes);
        try
        {
            var length = 0;
            while (true)
            {
                var end = FindEndOfHead(buffer.AsSpan(0, length), out var bareLineFeeds);
                if (end >= 0)
                {
                    return Parse(Encoding.Latin1.GetString(buffer, 0, end), bareLineFeeds);
                }

                if (length == MaxHeadBytes)
                {
                    return new(HttpReadStatus.TooLarge, null, $"The request head is larger than {MaxHeadBytes / 1024} KiB.");
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, MaxHeadBytes - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return length == 0
                        ? new(HttpReadStatus.ClosedBeforeRequest, null, "The client closed the connection without sending a request.")
                        : new(HttpReadStatus.IncompleteHead, null, "The client stopped before the empty line that ends the request head.");
                }

                length += read;
            }
        }
        finally
        {
            // Safe also after a cancelled read: the read has ended by the time its exception reaches here.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Sends the whole answer in one write, head and body together, so over TLS it leaves as one
    /// record: a client that calls <c>recv()</c> once (as the talk's does) gets the explanation too,
    /// not only the status line.
    /// </summary>
    public static async Task WriteResponseAsync(Stream stream, int status, string reason, string contentType, string body, string scenario,
        bool headOnly, CancellationToken cancellationToken)
    {
        var answer = Response(status, reason, contentType, body, scenario, headOnly);
        await stream.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bytes of a whole answer: the head (Latin-1, as HTTP heads are) and, unless for HEAD, the UTF-8 body.</summary>
    public static byte[] Response(int status, string reason, string contentType, string body, string scenario, bool headOnly)
    {
        var bodyLength = Encoding.UTF8.GetByteCount(body);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Length: ").Append(bodyLength).Append("\r\n")
            .Append("Connection: close\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("Server: tlslab\r\n")
            .Append("X-TlsLab-Scenario: ").Append(scenario).Append("\r\n")
            // The zoo's front page (on the plaintext endpoint) asks every other endpoint from the browser.
            .Append("Access-Control-Allow-Origin: *\r\n")
            .Append("\r\n")
            .ToString();
        var headLength = Encoding.Latin1.GetByteCount(head);
        var answer = new byte[headLength + (headOnly ? 0 : bodyLength)];
        Encoding.Latin1.GetBytes(head, answer);
        if (!headOnly)
        {
            Encoding.UTF8.GetBytes(body, answer.AsSpan(headLength));
        }

        return answer;
    }

    /// <summary>True when the first bytes look like an HTTP request line (a method, then a space).</summary>
    public static bool LooksLikeHttp(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && i < 8 && bytes[i] is >= (byte)'A' and <= (byte)'Z')
        {
            i++;
        }

        return i >= 3 && i < bytes.Length && bytes[i] == (byte)' ';
    }

    // The end of the head is an empty line. RFC 9112 lets a server accept a bare LF as a line
    // ending, and the lab does, so a learner's "\n" request is answered and the answer can say so.
    private static int FindEndOfHead(ReadOnlySpan<byte> data, out bool bareLineFeeds)
    {
        bareLineFeeds = false;
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf))
        {
            return crlf + 4;
        }

        if (lf >= 0)
        {
            bareLineFeeds = true;
            return lf + 2;
        }

        return -1;
    }

    private static HttpReadResult Parse(string head, bool bareLineFeeds)
    {
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return new(HttpReadStatus.Malformed, null, $"'{Printable(lines[0])}' is not an HTTP request line (METHOD SP TARGET SP HTTP/1.1).");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return new(HttpReadStatus.Malformed, null, $"The header line '{Printable(line)}' has no name and colon.");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new(HttpReadStatus.Ok, new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], headers, bareLineFeeds), null);
    }

    private static string Printable(string text)
    {
        var clipped = text.Length > 60 ? text[..60] + "..." : text;
        return new string(clipped.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());
    }
}
