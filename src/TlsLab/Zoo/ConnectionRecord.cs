using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>What the lab saw of one connection: the ClientHello, the outcome, the negotiated parameters.</summary>
public sealed record ConnectionRecord
{
    /// <summary>A number that identifies this connection among all the lab has served.</summary>
    public long Id { get; init; }

    /// <summary>The scenario that was connected to.</summary>
    public required string Scenario { get; init; }

    /// <summary>The client's address and port (its local end point).</summary>
    public required IPEndPoint? Client { get; init; }

    /// <summary>When the connection was accepted.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>How it ended.</summary>
    internal LabEventKind Outcome { get; init; }

    /// <summary>The negotiated protocol, when the handshake finished.</summary>
    public SslProtocols? Protocol { get; init; }

    /// <summary>The negotiated cipher suite, when the handshake finished.</summary>
    public TlsCipherSuite? CipherSuite { get; init; }

    /// <summary>The SNI the server received (what the client put in TargetHost), if any.</summary>
    public string? ServerNameIndication { get; init; }

    /// <summary>The negotiated ALPN protocol, if any.</summary>
    public string? Alpn { get; init; }

    /// <summary>The subject of the client certificate, on mutual TLS.</summary>
    public string? ClientCertificateSubject { get; init; }

    /// <summary>For a server that asks for a client certificate: whether the one sent chains to the lab root; null when none was sent.</summary>
    internal bool? ClientCertificateValid { get; init; }

    /// <summary>Why the client certificate sent did not validate, in one line.</summary>
    internal string? ClientCertificateProblem { get; init; }

    /// <summary>The name the server's certificate is for (its first DNS name, or its CN).</summary>
    internal string? ServerCertificate { get; init; }

    /// <summary>Why the server presented that certificate, for a server that picks one by SNI.</summary>
    internal string? ServerCertificateReason { get; init; }

    /// <summary>What the client offered, when its first bytes were a readable ClientHello.</summary>
    public ClientHello? ClientHello { get; init; }

    /// <summary>Why the first bytes were not a ClientHello, when they were not.</summary>
    public string? ClientHelloError { get; init; }

    /// <summary>What went wrong, in one line, when something did.</summary>
    public string? Error { get; init; }

    /// <summary>True when the handshake completed.</summary>
    public bool HandshakeCompleted => Protocol is not null;
}
