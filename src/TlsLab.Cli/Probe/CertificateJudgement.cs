namespace TlsLab.Cli.Probe;

/// <summary>One certificate chain a server presents, and what the probe made of it. Null means "could not be seen", never "no".</summary>
internal sealed class CertificateJudgement
{
    /// <summary>How the chain was asked for: "default" (a broad hello), "ECDSA" or "RSA" (a hello that can verify only that family).</summary>
    public required string Family { get; init; }

    /// <summary>The certificates as the server sent them, leaf first.</summary>
    public List<CertificateInfo> Chain { get; } = [];

    /// <summary>Every certificate between the leaf and the root was sent (false: an intermediate is missing).</summary>
    public bool? ChainComplete { get; set; }

    /// <summary>Each sent certificate is issued by the next one.</summary>
    public bool? ChainInOrder { get; set; }

    /// <summary>The chain validates (time, signatures, usage, not revoked).</summary>
    public bool? Trusted { get; set; }

    /// <summary>The chain is complete up to a root certificate that the trust store does not hold (a private or unknown CA).</summary>
    public bool RootNotTrusted { get; set; }

    /// <summary>Sentences on what validation found wrong, besides the dates (those are <see cref="Expired"/> and <see cref="NotYetValid"/>).</summary>
    public List<string> TrustProblems { get; } = [];

    /// <summary>The leaf names a CRL or OCSP address, so a revocation check was possible at all.</summary>
    public bool NamesRevocationService { get; set; }

    /// <summary>True: a CRL or OCSP answer says revoked; false: it says good; null: no answer in time, or no address to ask.</summary>
    public bool? Revoked { get; set; }

    /// <summary>When the revocation check could not give an answer: one sentence why (never a reason to call the chain untrusted).</summary>
    public string? RevocationUnknown { get; set; }

    public bool? NameMatches { get; set; }

    public bool NameOnlyInCommonName { get; set; }

    public bool? Expired { get; set; }

    public bool? NotYetValid { get; set; }
}
