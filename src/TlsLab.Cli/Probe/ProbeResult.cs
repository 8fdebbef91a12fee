using System.Net;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>What to probe and how hard.</summary>
/// <param name="Target">What the person typed (HOST:PORT or a scenario name), for the report.</param>
/// <param name="EndPoint">The address and port connected to.</param>
/// <param name="ServerName">SNI and the name the certificate must match; null for a bare IP address.</param>
/// <param name="Trust">Trust anchors from --ca; null for the system store.</param>
/// <param name="Timeout">Per connection: connect, send the hello, read the answer.</param>
internal sealed record ProbeSettings(string Target, IPEndPoint EndPoint, string? ServerName, X509Certificate2Collection? Trust, TimeSpan Timeout)
{
    /// <summary>At most this many connections per target.</summary>
    public int MaxAttempts { get; init; } = 400;

    /// <summary>The whole probe stops after this, and says so.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How the report names <see cref="Trust"/>; null for "N certificate(s) from --ca" or the system store.</summary>
    public string? TrustLabel { get; init; }

    /// <summary>Never more connections than this at once: a probe must not look like (or be) a flood.</summary>
    public int Concurrency { get; init; } = 3;
}

/// <summary>One certificate as sent by the server.</summary>
internal sealed record CertificateInfo(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyType,
    int KeyBits,
    string SignatureAlgorithm,
    IReadOnlyList<string> Sans,
    bool SelfSigned);

/// <summary>Everything a probe found out about one server. Null means "could not be seen", never "no".</summary>
internal sealed class ProbeResult
{
    public static readonly ushort[] AllVersions = [TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13];

    public required string Target { get; init; }

    public required IPEndPoint EndPoint { get; init; }

    public string? ServerName { get; init; }

    /// <summary>"the system store" or the --ca file's certificates.</summary>
    public required string TrustSource { get; init; }

    /// <summary>Version → accepted; every version in <see cref="AllVersions"/> that was tried.</summary>
    public SortedDictionary<ushort, bool> Protocols { get; } = [];

    /// <summary>Accepted version → suites, in the server's order of preference when it has one (else in the order the probe offered them).</summary>
    public SortedDictionary<ushort, List<ushort>> CipherSuites { get; } = [];

    /// <summary>Accepted version → true when the server picks by its own order, false when it follows the client's, null when unknown.</summary>
    public SortedDictionary<ushort, bool?> ServerPreference { get; } = [];

    /// <summary>TLS 1.3 key exchange groups the server accepts.</summary>
    public List<ushort> Groups { get; } = [];

    /// <summary>The group the server asks for when a client offers every group and sends no key share.</summary>
    public ushort? GroupPicked { get; set; }

    /// <summary>The ECDHE group of a TLS 1.2 (or older) ServerKeyExchange.</summary>
    public ushort? LegacyGroup { get; set; }

    /// <summary>
    /// TLS 1.2 and older: for each accepted (version, suite) with an ephemeral key exchange, the group the server used, read from its
    /// ServerKeyExchange (TLS 1.3's groups are in <see cref="Groups"/>).
    /// </summary>
    public Dictionary<(ushort Version, ushort Suite), KeyExchangeInfo> KeyExchange { get; } = [];

    /// <summary>SSL 3.0 is accepted (POODLE); null when not asked.</summary>
    public bool? Ssl3 { get; set; }

    /// <summary>
    /// True: a hello with TLS_FALLBACK_SCSV below the server's best version is refused (inappropriate_fallback), as RFC 7507 asks; false:
    /// it is accepted, so a forced downgrade goes unnoticed; null: not applicable (one version only) or not seen.
    /// </summary>
    public bool? FallbackScsv { get; set; }

    /// <summary>TLS 1.2 and older: the server answers renegotiation_info (RFC 5746); null for a TLS 1.3-only server, which cannot renegotiate.</summary>
    public bool? SecureRenegotiation { get; set; }

    /// <summary>TLS 1.2 and older: the server agrees to compress (DEFLATE) when asked, which CRIME exploits; null when not asked.</summary>
    public bool? Compression { get; set; }

    /// <summary>The certificate (and chain) a broad hello gets: the server's first choice, judged.</summary>
    public CertificateJudgement Primary { get; } = new() { Family = "default" };

    /// <summary>
    /// Further certificates the server presents to a client that can verify only one signature family (ECDSA or RSA), each judged
    /// on its own: a server with an ECDSA and an RSA certificate shows its second one only to a client that asks for it.
    /// </summary>
    public List<CertificateJudgement> OtherCertificates { get; } = [];

    /// <summary>The certificates as the server sent them, leaf first.</summary>
    public List<CertificateInfo> Chain => Primary.Chain;

    /// <summary>Every certificate needed to reach a trust anchor was sent (or the chain leads nowhere: false).</summary>
    public bool? ChainComplete { get => Primary.ChainComplete; set => Primary.ChainComplete = value; }

    /// <summary>Each sent certificate is issued by the next one.</summary>
    public bool? ChainInOrder { get => Primary.ChainInOrder; set => Primary.ChainInOrder = value; }

    /// <summary>The chain validates against <see cref="TrustSource"/> (time, signatures, usage, not revoked).</summary>
    public bool? Trusted { get => Primary.Trusted; set => Primary.Trusted = value; }

    /// <summary>Sentences on what validation found wrong; empty when trusted.</summary>
    public List<string> TrustProblems => Primary.TrustProblems;

    /// <summary>The leaf is for <see cref="ServerName"/> (or the IP address), by its SANs.</summary>
    public bool? NameMatches { get => Primary.NameMatches; set => Primary.NameMatches = value; }

    /// <summary>The name is only in the leaf's subject CN, not in a SAN: OpenSSL and .NET accept that, browsers do not.</summary>
    public bool NameOnlyInCommonName { get => Primary.NameOnlyInCommonName; set => Primary.NameOnlyInCommonName = value; }

    public bool? Expired { get => Primary.Expired; set => Primary.Expired = value; }

    public bool? NotYetValid { get => Primary.NotYetValid; set => Primary.NotYetValid = value; }

    /// <summary>Which of h2 and http/1.1 the server agrees to.</summary>
    public List<string> Alpn { get; } = [];

    /// <summary>True when ALPN could be asked at all (a TLS 1.2 hello, or a finished TLS 1.3 handshake).</summary>
    public bool AlpnSeen { get; set; }

    public bool? OcspStapled { get; set; }

    public bool? ClientCertRequested { get; set; }

    public bool? SessionTickets { get; set; }

    /// <summary>The Strict-Transport-Security max-age in seconds from GET /, null when not seen.</summary>
    public long? HstsMaxAge { get; set; }

    /// <summary>True when GET / could be asked over a validated connection (so a missing HSTS header is a fact).</summary>
    public bool HttpChecked { get; set; }

    /// <summary>The protocol and suite .NET's own client negotiated, when its handshake got that far.</summary>
    public string? DotnetHandshake { get; set; }

    public int Attempts { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>Set when the attempt or time limit stopped the probe early: the report says what was not tried.</summary>
    public string? StoppedEarly { get; set; }

    /// <summary>Things seen along the way that are worth a line in the report.</summary>
    public List<string> Notes { get; } = [];

    public bool Accepts(ushort version) => Protocols.TryGetValue(version, out var accepted) && accepted;
}
