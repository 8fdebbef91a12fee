using System.Text;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>What a server's first bytes after a ClientHello turned out to be.</summary>
internal enum ServerAnswerKind
{
    /// <summary>A ServerHello: the server accepted the offer (version and suite in it).</summary>
    ServerHello,

    /// <summary>A TLS 1.3 HelloRetryRequest: the server accepts, but wants a key share for another group.</summary>
    HelloRetryRequest,

    /// <summary>An alert: the server refused the offer, and says why.</summary>
    Alert,

    /// <summary>The connection closed before any answer (some servers refuse this way).</summary>
    NoAnswer,

    /// <summary>The bytes are not TLS at all (a plaintext service, say).</summary>
    NotTls,

    /// <summary>The bytes start like TLS but break its rules, or stop in the middle of a message.</summary>
    Malformed,
}

/// <summary>
/// A server's answer to one hand-made ClientHello, read without finishing the handshake. For TLS 1.2
/// and older the whole first flight travels in the clear, so the certificates, the ECDHE group, a
/// certificate request and a stapled OCSP response are visible too; TLS 1.3 encrypts everything after
/// the ServerHello.
/// </summary>
internal sealed record ServerAnswer
{
    public required ServerAnswerKind Kind { get; init; }

    /// <summary>The negotiated version: supported_versions when the server sent it, else legacy_version.</summary>
    public ushort Version { get; init; }

    public ushort CipherSuite { get; init; }

    /// <summary>TLS 1.3: the group of the server's key share, or the group a HelloRetryRequest asks for.</summary>
    public ushort? Group { get; init; }

    /// <summary>TLS 1.2 and older: the protocol ALPN chose (TLS 1.3 sends it encrypted).</summary>
    public string? Alpn { get; init; }

    /// <summary>TLS 1.2 and older: the server acknowledged status_request, promising a stapled OCSP response.</summary>
    public bool StatusRequestAcknowledged { get; init; }

    /// <summary>TLS 1.2 and older: the server answered the session_ticket extension, promising a ticket.</summary>
    public bool SessionTicketPromised { get; init; }

    public bool ExtendedMasterSecret { get; init; }

    public bool SecureRenegotiation { get; init; }

    /// <summary>TLS 1.2 and older: the certificates of the Certificate message, leaf first, as sent.</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    /// <summary>TLS 1.2 and older: the group of an ECDHE ServerKeyExchange.</summary>
    public ushort? KeyExchangeGroup { get; init; }

    /// <summary>
    /// TLS 1.2 and older: the prime of a DHE ServerKeyExchange, big-endian without leading zeros; its length in bits is the group's
    /// strength.
    /// </summary>
    public byte[]? DhPrime { get; init; }

    /// <summary>The compression method the ServerHello chose: 0 is none; 1 (DEFLATE) opens the connection to CRIME.</summary>
    public byte Compression { get; init; }

    /// <summary>TLS 1.2 and older: the server sent a CertificateRequest.</summary>
    public bool CertificateRequested { get; init; }

    /// <summary>TLS 1.2 and older: the server sent a CertificateStatus message (a stapled OCSP response).</summary>
    public bool OcspStapled { get; init; }

    /// <summary>TLS 1.2 and older: ServerHelloDone arrived, so the flight above is complete.</summary>
    public bool FlightComplete { get; init; }

    /// <summary>For <see cref="ServerAnswerKind.NoAnswer"/>: the connection stayed open and silent until the wait was over.</summary>
    public bool TimedOut { get; init; }

    public byte AlertLevel { get; init; }

    public byte AlertDescription { get; init; }

    /// <summary>
    /// For <see cref="ServerAnswerKind.NoAnswer"/>, <see cref="ServerAnswerKind.NotTls"/> and <see cref="ServerAnswerKind.Malformed"/>: one
    /// sentence.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>True when the server accepted the offer (a ServerHello or a HelloRetryRequest).</summary>
    public bool Accepted => Kind is ServerAnswerKind.ServerHello or ServerAnswerKind.HelloRetryRequest;

    public string AlertName => TlsNames.AlertDescription(AlertDescription);

    public string Describe()
    {
        switch (Kind)
        {
            case ServerAnswerKind.ServerHello:
                var text = new StringBuilder($"ServerHello: {TlsNames.Version(Version)}, {TlsNames.CipherSuite(CipherSuite)}");
                if (Group is { } group)
                {
                    text.Append($", key share {TlsNames.Group(group)}");
                }

                if (KeyExchangeGroup is { } kx)
                {
                    text.Append($", ECDHE over {TlsNames.Group(kx)}");
                }

                if (DhPrime is { Length: > 0 } prime)
                {
                    text.Append($", DHE with a {prime.Length * 8}-bit prime");
                }

                if (Compression != 0)
                {
                    text.Append($", compression method {Compression}");
                }

                if (Alpn is not null)
                {
                    text.Append($", ALPN {Alpn}");
                }

                return text.ToString();
            case ServerAnswerKind.HelloRetryRequest:
                return $"HelloRetryRequest: {TlsNames.Version(Version)}, {TlsNames.CipherSuite(CipherSuite)}, asks for a key share for " +
                    $"{(Group is { } g ? TlsNames.Group(g) : "no group")}";
            case ServerAnswerKind.Alert:
                return $"Alert: {(AlertLevel == 2 ? "fatal" : AlertLevel == 1 ? "warning" : $"level {AlertLevel}")} {AlertName} " +
                    $"({AlertDescription})";
            default:
                return $"{Kind}: {Error}";
        }
    }

    public override string ToString() => Describe();
}
