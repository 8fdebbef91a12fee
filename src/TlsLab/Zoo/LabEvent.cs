using System.Net;

namespace TlsLab.Zoo;

/// <summary>What kind of thing happened on a connection.</summary>
internal enum LabEventKind
{
    /// <summary>A handshake finished and a request was answered.</summary>
    Served,

    /// <summary>The TLS handshake failed (the client refused us, or we refused the client).</summary>
    HandshakeFailed,

    /// <summary>The client did not finish its handshake or request before the deadline.</summary>
    TimedOut,

    /// <summary>The client sent something that is not HTTP after the handshake, or closed early.</summary>
    BadRequest,
}

/// <summary>One line of the lab's log.</summary>
internal sealed record LabEvent(DateTimeOffset Time, string Scenario, IPEndPoint? Client, LabEventKind Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Time:HH:mm:ss} {Scenario,-20} {Client} {Kind}: {Message}";
}
