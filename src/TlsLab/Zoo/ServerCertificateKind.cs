namespace TlsLab.Zoo;

/// <summary>Which certificate (and chain) an endpoint presents.</summary>
internal enum ServerCertificateKind
{
    /// <summary>Valid, for the endpoint's name, issued by the workshop intermediate, sent with that intermediate.</summary>
    Good,

    /// <summary>Its validity ended yesterday.</summary>
    Expired,

    /// <summary>Its validity starts next month.</summary>
    NotYetValid,

    /// <summary>Valid, but issued for another host name.</summary>
    WrongHost,

    /// <summary>Signed by its own key: it vouches for itself.</summary>
    SelfSigned,

    /// <summary>Chains to a root the client does not trust.</summary>
    UntrustedRoot,

    /// <summary>Good, but the server sends the leaf alone and the client cannot reach the root.</summary>
    IncompleteChain,

    /// <summary>Issued by the workshop intermediate, which has since revoked it (its CRL and OCSP responder say so).</summary>
    Revoked,
}
