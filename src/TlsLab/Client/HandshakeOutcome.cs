using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Diagnostics;

namespace TlsLab.Client;

/// <summary>The result of one client connection attempt, with the reason when it failed.</summary>
public sealed record HandshakeOutcome
{
    /// <summary>True when the handshake completed and (if asked) the server answered the request.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The negotiated protocol, when the handshake completed.</summary>
    public SslProtocols? Protocol { get; init; }

    /// <summary>The negotiated cipher suite, when the handshake completed.</summary>
    public TlsCipherSuite? CipherSuite { get; init; }

    /// <summary>What certificate validation saw, if it ran.</summary>
    public ValidationRecord? Validation { get; init; }

    /// <summary>The learner-facing name of what went wrong (None on success).</summary>
    public TlsProblem Problem { get; init; }

    /// <summary>One plain sentence: what happened and what to do.</summary>
    public required string Explanation { get; init; }

    /// <summary>The exception, when there was one.</summary>
    public Exception? Error { get; init; }

    /// <summary>The first line of the server's HTTP answer, e.g. <c>HTTP/1.1 200 OK</c>.</summary>
    public string? StatusLine { get; init; }

    /// <summary>The body of the server's HTTP answer.</summary>
    public string? Body { get; init; }

    /// <summary>The client's local port, to find this connection in <c>Lab.Connections</c>.</summary>
    public int LocalPort { get; init; }

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? $"connected: {Protocol} {CipherSuite}{(StatusLine is null ? string.Empty : $", {StatusLine}")}"
        : $"refused ({Problem}): {Explanation}";
}
