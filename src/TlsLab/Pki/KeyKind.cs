namespace TlsLab.Pki;

/// <summary>The kind of key a certificate is minted with.</summary>
public enum KeyKind
{
    /// <summary>ECDSA on NIST P-256: small, fast, and what most modern servers use.</summary>
    EcdsaP256,

    /// <summary>RSA with a 2048-bit modulus, for lessons and peers that need RSA.</summary>
    Rsa2048,
}
