using System.Net;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>
/// One client connection through an <see cref="Interceptor"/>: whether the client took the forged certificate, and if it did, everything
/// it sent and everything the real server answered, decrypted.
/// </summary>
public sealed class InterceptedConnection
{
    private readonly WireRecorder _recorder;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal InterceptedConnection(int id, EndPoint? client, Forgery forgery, long maxRecordedBytes)
    {
        Id = id;
        Client = client;
        Forgery = forgery;
        _recorder = new WireRecorder(maxRecordedBytes);
    }

    /// <summary>1 for the first connection the interceptor accepted, 2 for the next, and so on.</summary>
    public int Id { get; }

    /// <summary>Where the client connected from.</summary>
    public EndPoint? Client { get; }

    /// <summary>The certificate the client was shown.</summary>
    public Forgery Forgery { get; }

    /// <summary>True once the client finished its handshake with the forged certificate: it took the interceptor for the server.</summary>
    public bool ClientFooled { get; private set; }

    /// <summary>Why the client sent nothing: it refused the certificate, or the interceptor could not present it. Null when it was fooled.</summary>
    public string? Refusal { get; private set; }

    /// <summary>What went wrong after the client was fooled (the real server could not be reached, a side broke off), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Everything the client sent after the handshake, decrypted: what the interceptor read.</summary>
    public string Request => Encoding.Latin1.GetString(_recorder.Snapshot().BytesSent);

    /// <summary>Everything the real server answered, decrypted, as the interceptor passed it on.</summary>
    public string Response => Encoding.Latin1.GetString(_recorder.Snapshot().BytesReceived);

    /// <summary>The request's first line (<c>GET / HTTP/1.1</c>), or null when nothing was read.</summary>
    public string? RequestLine => FirstLine(Request);

    /// <summary>The answer's status line (<c>HTTP/1.1 200 OK</c>), or null when nothing was read.</summary>
    public string? StatusLine => FirstLine(Response);

    /// <summary>The request's <c>Authorization</c> header, as the interceptor read it, or null.</summary>
    public string? Authorization => RequestHeader("Authorization");

    /// <summary>Completes (never faults) once both sides are closed.</summary>
    public Task Closed => _closed.Task;

    internal WireRecorder Recorder => _recorder;

    /// <summary>The value of the request header <paramref name="name"/> (the first one, case-insensitive), or null.</summary>
    public string? RequestHeader(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var head = Request;
        var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in (end >= 0 ? head[..end] : head).Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && string.Equals(line[..colon].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    internal void MarkFooled() => ClientFooled = true;

    internal void Refuse(string reason) => Refusal ??= reason;

    internal void Fail(string reason) => Failure ??= reason;

    internal void MarkClosed() => _closed.TrySetResult();

    /// <inheritdoc />
    public override string ToString() => ClientFooled
        ? $"connection {Id}: the client took the {Forgery} certificate; read '{RequestLine}'" +
            (Authorization is { } authorization ? $" with Authorization: {authorization}" : "") +
            (StatusLine is { } status ? $"; the server answered '{status}'" : "") + (Failure is null ? "" : $" ({Failure})")
        : $"connection {Id}: no handshake with the {Forgery} certificate: {Refusal}";

    private static string? FirstLine(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var end = text.IndexOf("\r\n", StringComparison.Ordinal);
        return end >= 0 ? text[..end] : text;
    }
}
