namespace TlsLab.Pki;

/// <summary>
/// Where a CA publishes whether the certificates it issued are revoked: its CRL and its OCSP
/// responder. Every certificate the CA issues carries both (the CRL distribution point and the
/// authority information access extensions), so a client checks revocation with no set-up.
/// </summary>
/// <param name="Crl">The URL of the CA's certificate revocation list (DER).</param>
/// <param name="Ocsp">The URL of the CA's OCSP responder.</param>
internal sealed record RevocationAddresses(Uri Crl, Uri Ocsp)
{
    /// <summary>The addresses of the CA called <paramref name="slug"/> under <paramref name="baseUri"/> (which ends with a slash).</summary>
    public static RevocationAddresses Under(Uri baseUri, string slug) => new(new Uri(baseUri, $"{slug}.crl"), new Uri(baseUri, $"ocsp/{slug}"));
}
