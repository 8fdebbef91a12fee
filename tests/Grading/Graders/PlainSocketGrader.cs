using System.Text;

namespace TlsLab.Grading;

/// <summary>Exercise 1: an HTTP/1.1 request over a plain socket.</summary>
public static class PlainSocketGrader
{
    private const int Exercise = 1;
    private const string Host = "plaintext.localhost";
    private const string Path = "/handshake.json";

    /// <summary>BuildRequest produces a request line, a Host header, CRLF line endings and an empty line at the end.</summary>
    public static void RequestIsWellFormed(PlainSocketApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var call = $"PlainHttpClient.BuildRequest(\"{Host}\", \"{Path}\")";
        var request = Attempt.Call(call, new Hint(Exercise, 1), () => api.BuildRequest(Host, Path));
        if (FindProblem(request) is { } problem)
        {
            throw new GradingFailure(
                $"The request from BuildRequest is not valid HTTP/1.1: {problem.What}.",
                call,
                $"it returned {Show(request)}",
                $"\"GET {Path} HTTP/1.1\\r\\nHost: {Host}\\r\\n...\\r\\n\\r\\n\" (every line ends with CRLF, and an empty line ends the head)",
                new Hint(Exercise, problem.Hint));
        }
    }

    /// <summary>
    /// GetStatusLineAsync sends a valid request over TCP and returns the whole first line of the answer,
    /// even when the answer arrives in two pieces.
    /// </summary>
    public static async Task SendsTheRequestAndReadsAWholeLineAsync(PlainSocketApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        await using var server = new RecordingHttpServer(
            "HTTP/1.",
            "1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nhi\n",
            TimeSpan.FromMilliseconds(150));
        var call = $"PlainHttpClient.GetStatusLineAsync({server.EndPoint}, \"{Host}\", \"/\")";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 4),
            () => api.GetStatusLineAsync(server.EndPoint, Host, "/", cancellationToken));

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
            throw Attempt.Unexpected(call, new Hint(Exercise, 4), error);
        }

        if (sent is null || sent.Length == 0)
        {
            throw new GradingFailure(
                "GetStatusLineAsync connected but sent nothing.",
                $"{call} against a test server that records what arrives",
                "no request bytes arrived before the client stopped",
                "the bytes of BuildRequest(host, path), written to the NetworkStream",
                new Hint(Exercise, 4));
        }

        if (FindProblem(sent, expectedPath: "/") is { } problem)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync sent a request that is not valid HTTP/1.1: {problem.What}.",
                $"{call} against a test server that records what arrives",
                $"the server received {Show(sent)}",
                $"\"GET / HTTP/1.1\\r\\nHost: {Host}\\r\\n...\\r\\n\\r\\n\"",
                new Hint(Exercise, problem.Hint));
        }

        if (error is not null)
        {
            throw Attempt.Unexpected(call, new Hint(Exercise, 5), error);
        }

        if (statusLine == "HTTP/1.1 200 OK")
        {
            return;
        }

        var (what, hint) = statusLine switch
        {
            null => ("returned null", 5),
            "HTTP/1." => ("returned only 'HTTP/1.', the first piece: one read returns whatever has arrived so far, not a line", 5),
            _ when statusLine.EndsWith('\r') || statusLine.EndsWith('\n') => ("kept the line ending; return the line without its CRLF", 5),
            _ when statusLine.Contains('\n', StringComparison.Ordinal) => ("returned more than the first line", 5),
            _ => ($"returned {Show(statusLine)}", 5),
        };
        throw new GradingFailure(
            $"GetStatusLineAsync did not return the status line: it {what}.",
            $"{call}; the test server answers 'HTTP/1.' and, 150 ms later, '1 200 OK\\r\\n...', as TCP is free to deliver it",
            $"it {what}",
            "\"HTTP/1.1 200 OK\", the whole first line without its line ending",
            new Hint(Exercise, hint));
    }

    /// <summary>GetStatusLineAsync gets "HTTP/1.1 200 OK" from the lab's plaintext endpoint.</summary>
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
            $"it returned {Show(statusLine)}" + (hint == 3 ? " (the lab answers 400 when the Host header is missing or the request line is malformed)" : string.Empty),
            "\"HTTP/1.1 200 OK\"",
            new Hint(Exercise, hint));
    }

    private static (string What, int Hint)? FindProblem(string? request, string expectedPath = Path)
    {
        if (string.IsNullOrEmpty(request))
        {
            return ("it is empty", 1);
        }

        var firstLineEnd = request.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (firstLineEnd < 0 ? request : request[..firstLineEnd]).TrimEnd('\r');
        if (firstLine != $"GET {expectedPath} HTTP/1.1")
        {
            return ($"the first line is {Show(firstLine)}, not 'GET {expectedPath} HTTP/1.1'", 1);
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
            [var host] when !string.Equals(host, Host, StringComparison.OrdinalIgnoreCase) =>
                ($"the Host header says {Show(host)}; it must be the host argument, '{Host}'", 3),
            [_] => null,
            _ => ("there is more than one Host header", 3),
        };
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
}
