namespace TlsLab.Pki;

/// <summary>What an end-entity certificate may be used for; becomes its extended key usage.</summary>
internal enum CertificateUsage
{
    /// <summary>A TLS server (EKU id-kp-serverAuth).</summary>
    Server,

    /// <summary>A TLS client presenting a certificate for mutual TLS (EKU id-kp-clientAuth).</summary>
    Client,
}
