namespace TlsLab.Diagnostics;

/// <summary>The reasons a TLS connection fails that a learner meets in the workshop, one name each.</summary>
public enum TlsProblem
{
    /// <summary>Nothing went wrong.</summary>
    None,

    /// <summary>The server's certificate (or one above it) has expired.</summary>
    Expired,

    /// <summary>The server's certificate is not valid yet.</summary>
    NotYetValid,

    /// <summary>The certificate is for another host name than the one the client asked for.</summary>
    NameMismatch,

    /// <summary>The certificate signed itself and is not trusted.</summary>
    SelfSigned,

    /// <summary>The chain leads to a root the client does not trust.</summary>
    UntrustedRoot,

    /// <summary>The server did not send the intermediate(s) needed to reach a trusted root.</summary>
    MissingIntermediate,

    /// <summary>Some other chain error (bad signature, wrong usage, revoked...).</summary>
    OtherChainError,

    /// <summary>The server sent no certificate at all.</summary>
    NoCertificate,

    /// <summary>The two sides share no protocol version or no cipher suite.</summary>
    NoCommonParameters,

    /// <summary>The server wanted a client certificate and did not get an acceptable one.</summary>
    ClientCertificateRequired,

    /// <summary>The other side does not speak TLS on this port (e.g. plain HTTP).</summary>
    NotTls,

    /// <summary>Nothing is listening on that address and port.</summary>
    ConnectionRefused,

    /// <summary>The other side stopped answering before the deadline.</summary>
    Timeout,

    /// <summary>The connection was closed or reset in the middle of the exchange.</summary>
    ConnectionClosed,

    /// <summary>Anything else; the explanation carries the platform's own message.</summary>
    Other,

    /// <summary>The certificate's issuer has revoked it (its CRL lists it, or its OCSP responder says so).</summary>
    Revoked,

    /// <summary>Whether the certificate was revoked could not be found out: its CRL or OCSP address did not answer.</summary>
    RevocationUnknown,

    /// <summary>The certificate passed the platform's checks, and the client's own validation callback refused it (a pin, an extra rule).</summary>
    RefusedByOwnCheck,
}
