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

    /// <summary>Good, but the host name is only in the subject CN: the certificate has no subject alternative name.</summary>
    CnOnly,

    /// <summary>Good, for <c>*.wildcard.localhost</c> only: one label in place of the star, no more, no less.</summary>
    Wildcard,

    /// <summary>A good certificate per SNI name (<c>sni-multi.localhost</c>, <c>alt.sni-multi.localhost</c>), the first one by default.</summary>
    PerName,

    /// <summary>Good, served with a stapled OCSP response fetched from the lab's responder.</summary>
    Stapled,
}
