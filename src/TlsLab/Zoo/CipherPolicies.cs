using System.Net.Security;
using System.Runtime.Versioning;

namespace TlsLab.Zoo;

/// <summary>Cipher-suite policies the lab serves. Windows sets suites system-wide, so none of this exists there.</summary>
[UnsupportedOSPlatform("windows")]
internal static class CipherPolicies
{
    /// <summary>TLS 1.2 CBC suites only (ECDSA and RSA certificates), the kind modern profiles drop.</summary>
    public static CipherSuitesPolicy CbcOnly { get; } = new(
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    ]);
}
