using System.Diagnostics;
using System.Text;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 1: an HTTP/1.1 request over a plain socket.</summary>
public static class PlainSocketGrader
{
    private const int Exercise = 1;
    private const string Host = "plaintext.localhost";
    private const string Path = "/handshake.json";

    // Two host/path pairs, so a request with the lab's names written in does not pass by luck.
    private static readonly (string Host, string Path)[] RequestTargets =
    [
        (Host, Path),
        ("api.example.localhost", "/status?id=7"),
    ];

    /// <summary>
    /// Ways TCP may deliver an answer, each with its own host, path and status line: split inside the
    /// version, inside the status code and between CR and LF, one pause or many, a few bytes at a time.
    /// A client that reads a fixed number of times, waits a while and reads once, or returns a status
    /// it did not read fails at least one of them.
    /// </summary>
    private static readonly Delivery[] Deliveries =
    [
        new(Host, "/", "HTTP/1.1 200 OK",
            ["HTTP/1.", "1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nhi\n"],
            TimeSpan.FromMilliseconds(150)),
        new("api.example.localhost", "/status?id=7", "HTTP/1.1 404 Not Found",
            ["HTTP/1.1 40", "4 Not F", "ound\r", "\nContent-Length: 0\r\nConnection: close\r\n\r\n"],
            TimeSpan.FromMilliseconds(80)),
        new("www.example.localhost", "/a/b.txt", "HTTP/1.1 203 Non-Authoritative Information",
            [.. Chunks("HTTP/1.1 203 Non-Authoritative Information\r", 5), "\nContent-Length: 0\r\nConnection: close\r\n\r\n"],
            TimeSpan.FromMilliseconds(30)),

        // The reason phrase may be empty (RFC 9112: "HTTP/1.1 204 ", the space stays): the line is still the line.
        new("empty-reason.example.localhost", "/", "HTTP/1.1 204 ",
            ["HTTP/1.1 204 \r\nConnection: close\r\n\r\n"],
            TimeSpan.Zero),
    ];

    /// <summary>Property: for any host and path, BuildRequest returns one GET head for that path with one Host header naming that host, CRLF after
    /// every line, ending with the empty line and nothing after it.</summary>
    public static void RequestIsWellFormed(PlainSocketApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var (host, path) in RequestTargets)
        {
            var call = $"PlainHttpClient.BuildRequest(\"{host}\", \"{path}\")";
            var request = Attempt.Call(call, new Hint(Exercise, 1), () => api.BuildRequest(host, path));
            if (FindProblem(request, host, path) is { } problem)
            {
                throw new GradingFailure(
                    $"The request from BuildRequest is not valid HTTP/1.1: {problem.What}.",
                    call,
                    $"it returned {Show(request)}",
                    $"\"GET {path} HTTP/1.1\\r\\nHost: {host}\\r\\n...\\r\\n\\r\\n\" (every line ends with CRLF, and an empty line ends the head)",
                    new Hint(Exercise, problem.Hint));
            }
        }
    }

    /// <summary>
    /// Property: GetStatusLineAsync sends BuildRequest(host, path) for the host and path it was given,
    /// and returns exactly the first line the server sent, however TCP splits the answer, as soon as
    /// that line has arrived (not after the rest of the answer, nor when the server closes).
    /// </summary>
    public static async Task SendsTheRequestAndReadsAWholeLineAsync(PlainSocketApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);

        // All at once: the slowest delivery sets the cost (about a third of a second), not their sum.
        var checks = Deliveries.Select(d => TryDeliveryAsync(api, d, cancellationToken)).Append(TryHeldAnswerAsync(api, cancellationToken));
        var verdicts = await Task.WhenAll(checks);
        if (verdicts.FirstOrDefault(v => v is not null) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Property: a server that reads the request and closes without a word is an error the caller hears about: GetStatusLineAsync
    /// throws (an IOException, say), it does not return null or an empty line as if that were an answer.
    /// </summary>
    public static async Task FailsWhenTheServerClosesWithoutAnsweringAsync(PlainSocketApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        await using var server = new RecordingHttpServer([], TimeSpan.Zero);
        var call = $"PlainHttpClient.GetStatusLineAsync({server.EndPoint}, \"{Host}\", \"/\")";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(server.EndPoint, Host, "/", cancellationToken));
        if (error is not null)
        {
            return;
        }

        throw new GradingFailure(
            $"GetStatusLineAsync returned {Show(statusLine)} from a server that closed the connection without answering.",
            $"{call}; the test server reads the request, then closes the connection without sending a byte",
            $"it returned {Show(statusLine)}",
            "an exception (an IOException: \"closed without answering\"): ReadLineAsync returns null at the end of the stream, and a caller " +
                "cannot tell a null or an empty string from an answer",
            new Hint(Exercise, 5));
    }

    // A server that sends its status line and headers, then holds back the body and the close until
    // the call returns: a client that reads the whole answer first only returns when the server gives up.
    private static async Task<GradingFailure?> TryHeldAnswerAsync(PlainSocketApi api, CancellationToken cancellationToken)
    {
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RecordingHttpServer(
            ["HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", "hello"],
            TimeSpan.Zero,
            holdLastPieceUntil: returned.Task);
        var call = $"PlainHttpClient.GetStatusLineAsync({server.EndPoint}, \"{Host}\", \"/\")";
        var tried = $"{call}; the test server sends the status line and headers at once, then holds back the body (and the close) until the call " +
            $"returns, for at most {RecordingHttpServer.HoldLimit.TotalSeconds:0} s";
        var watch = Stopwatch.StartNew();
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 4), async () =>
        {
            try
            {
                return await api.GetStatusLineAsync(server.EndPoint, Host, "/", cancellationToken);
            }
            finally
            {
                returned.TrySetResult();
            }
        });
        watch.Stop();
        if (error is not null)
        {
            return Attempt.Unexpected(call, new Hint(Exercise, 5), error);
        }

        if (server.GaveUpHolding)
        {
            return new GradingFailure(
                "GetStatusLineAsync waited for the server to close instead of returning once the first line had arrived.",
                tried,
                $"it returned {Show(statusLine)} only after {watch.Elapsed.TotalSeconds:0.0} s, when the server gave up holding back the rest and " +
                    "closed: it reads the whole answer (ReadToEnd, or reading until 0 bytes) before looking for the line",
                "\"HTTP/1.1 200 OK\" as soon as the line is there: read until the first CRLF, then stop (a server may keep the connection open, and a " +
                    "body may be large)",
                new Hint(Exercise, 5));
        }

        return statusLine == "HTTP/1.1 200 OK"
            ? null
            : new GradingFailure(
                $"GetStatusLineAsync did not return the status line: it returned {Show(statusLine)}.",
                tried,
                $"it returned {Show(statusLine)}",
                "\"HTTP/1.1 200 OK\", the whole first line without its line ending",
                new Hint(Exercise, 5));
    }

    /// <summary>Property: against the lab's real plaintext endpoint, GetStatusLineAsync gets "HTTP/1.1 200 OK" (the lab answers 400 to a request
    /// without Host).</summary>
    public static async Task GetsOkFromThePlaintextEndpointAsync(Lab lab, PlainSocketApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var plaintext = lab["plaintext"];
        var call = $"PlainHttpClient.GetStatusLineAsync({plaintext.EndPoint}, \"{plaintext.Host}\", \"/\")";
        var statusLine = await Attempt.CallAsync(call, new Hint(Exercise, 4),
            () => api.GetStatusLineAsync(plaintext.EndPoint, plaintext.Host, "/", cancellationToken));
        if (statusLine == "HTTP/1.1 200 OK")
        {
            return;
        }

        var hint = statusLine?.Contains(" 400 ", StringComparison.Ordinal) == true ? 3 : 5;
        throw new GradingFailure(
            $"The lab's plaintext endpoint did not answer 200 OK: GetStatusLineAsync returned {Show(statusLine)}.",
            call,
            $"it returned {Show(statusLine)}" + (hint == 3 ? " (the lab answers 400 when the Host header is missing or the request line is " +
                "malformed)" : string.Empty),
            "\"HTTP/1.1 200 OK\"",
            new Hint(Exercise, hint));
    }

    private static async Task<GradingFailure?> TryDeliveryAsync(PlainSocketApi api, Delivery delivery, CancellationToken cancellationToken)
    {
        await using var server = new RecordingHttpServer(delivery.Pieces, delivery.Pause);
        var call = $"PlainHttpClient.GetStatusLineAsync({server.EndPoint}, \"{delivery.Host}\", \"{delivery.Path}\")";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 4),
            () => api.GetStatusLineAsync(server.EndPoint, delivery.Host, delivery.Path, cancellationToken));

        string? sent = null;
        try
        {
            sent = Encoding.ASCII.GetString(await server.Received.WaitAsync(TimeSpan.FromSeconds(error is null ? 1 : 0.2), cancellationToken));
        }
        catch (TimeoutException)
        {
            // The client never connected: reported below.
        }

        if (sent is null && error is not null)
        {
            return Attempt.Unexpected(call, new Hint(Exercise, 4), error);
        }

        if (sent is null || sent.Length == 0)
        {
            return new GradingFailure(
                "GetStatusLineAsync connected but sent nothing.",
                $"{call} against a test server that records what arrives",
                "no request bytes arrived before the client stopped",
                "the bytes of BuildRequest(host, path), written to the NetworkStream",
                new Hint(Exercise, 4));
        }

        if (FindProblem(sent, delivery.Host, delivery.Path) is { } problem)
        {
            return new GradingFailure(
                $"GetStatusLineAsync sent a request that is not valid HTTP/1.1: {problem.What}.",
                $"{call} against a test server that records what arrives",
                $"the server received {Show(sent)}",
                $"\"GET {delivery.Path} HTTP/1.1\\r\\nHost: {delivery.Host}\\r\\n...\\r\\n\\r\\n\": the request for the host and path arguments",
                new Hint(Exercise, problem.Hint));
        }

        if (error is not null)
        {
            return Attempt.Unexpected(call, new Hint(Exercise, 5), error);
        }

        if (statusLine == delivery.StatusLine)
        {
            return null;
        }

        var expected = delivery.StatusLine;
        var what = statusLine switch
        {
            null => "returned null",
            "HTTP/1." => "returned only 'HTTP/1.', the first piece: one read returns whatever has arrived so far, not a line",
            _ when statusLine == expected + "\r" && delivery.Pieces.Any(p => p.EndsWith('\r')) =>
                $"returned {Show(statusLine)}: it stopped reading after the CR, before the LF arrived in the next piece, so it never had a whole line",
            _ when statusLine == expected + "\r" => "kept the line ending; return the line without its CRLF",
            _ when statusLine.Length > 0 && (expected + "\r").StartsWith(statusLine, StringComparison.Ordinal)
                && EndsAtAPieceBoundary(statusLine, delivery.Pieces) =>
                $"returned only {Show(statusLine)}, the pieces that had arrived when it stopped reading: a read (or two, or a read after a pause) " +
                    "returns whatever has arrived so far, not a line",
            _ when statusLine.Length > 0 && expected.StartsWith(statusLine, StringComparison.Ordinal) =>
                $"returned {Show(statusLine)}, the line without its last {expected.Length - statusLine.Length} character(s); no piece of the answer " +
                    "ends there, so it was read whole and then cut: the reader already removes the CRLF (ReadLine), so trim nothing more",
            _ when statusLine.EndsWith('\r') || statusLine.EndsWith('\n') => "kept the line ending; return the line without its CRLF",
            _ when statusLine.Contains('\n', StringComparison.Ordinal) => "returned more than the first line",
            _ when statusLine.StartsWith("HTTP/", StringComparison.Ordinal) =>
                $"returned {Show(statusLine)}, although the server answered {Show(expected)}: return the line the server sent, not the one you expect",
            _ => $"returned {Show(statusLine)}",
        };
        return new GradingFailure(
            $"GetStatusLineAsync did not return the status line: it {what}.",
            $"{call}; the test server answers in {delivery.Pieces.Length} pieces, {delivery.Pause.TotalMilliseconds:0} ms apart " +
                $"({server.Describe()}), as TCP is free to deliver it",
            $"it {what}",
            $"{Show(expected)}, the whole first line without its line ending",
            new Hint(Exercise, 5));
    }

    // True when text is exactly what the first pieces (or all but a trailing CR of them) add up to: where a short read would stop.
    private static bool EndsAtAPieceBoundary(string text, IReadOnlyList<string> pieces)
    {
        var length = 0;
        foreach (var piece in pieces)
        {
            length += piece.Length;
            if (text.Length == length || (text.Length == length - 1 && piece.EndsWith('\r')) || (text.Length == length - 2 && piece.EndsWith("\r\n",
                StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static (string What, int Hint)? FindProblem(string? request, string host, string path)
    {
        if (string.IsNullOrEmpty(request))
        {
            return ("it is empty", 1);
        }

        var firstLineEnd = request.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (firstLineEnd < 0 ? request : request[..firstLineEnd]).TrimEnd('\r');
        if (firstLine != $"GET {path} HTTP/1.1")
        {
            return ($"the first line is {Show(firstLine)}, not 'GET {path} HTTP/1.1' (the request line names the path argument)", 1);
        }

        for (var i = 0; i < request.Length; i++)
        {
            if (request[i] == '\n' && (i == 0 || request[i - 1] != '\r'))
            {
                return ("a line ends with a bare \\n; HTTP/1.1 ends every line with \\r\\n (the Python talk had this wrong)", 2);
            }
        }

        var endOfHead = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (endOfHead < 0)
        {
            return ("it never ends its head with an empty line (\\r\\n\\r\\n), so the server keeps waiting for more headers", 2);
        }

        if (endOfHead + 4 != request.Length)
        {
            return ("there is text after the empty line that ends the head (a GET has no body)", 2);
        }

        var hosts = request[..endOfHead].Split("\r\n").Skip(1)
            .Where(line => line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))
            .Select(line => line["Host:".Length..].Trim())
            .ToList();
        return hosts switch
        {
            [] => ("there is no Host header, which HTTP/1.1 requires", 3),
            [var value] when !string.Equals(value, host, StringComparison.OrdinalIgnoreCase) =>
                ($"the Host header says {Show(value)}; it must be the host argument, '{host}'", 3),
            [_] => null,
            _ => ("there is more than one Host header", 3),
        };
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static string Show(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        var escaped = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return escaped.Length > 160 ? $"\"{escaped[..160]}...\"" : $"\"{escaped}\"";
    }

    private sealed record Delivery(string Host, string Path, string StatusLine, string[] Pieces, TimeSpan Pause);
}
