using System.Net.Security;

namespace TlsLab.Exercises;

/// <summary>Exercise 3: a floor under the protocol versions a client offers. Task: README.md in this folder.</summary>
public static class ProtocolFloor
{
    /// <summary>Makes <paramref name="options"/> offer TLS 1.2 and TLS 1.3 only, and returns the same object.</summary>
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
        // TODO: change the protocol versions only; keep everything else the caller set.
        throw new NotImplementedException("Exercise 3, AtLeastTls12: see notebooks/03-protocols.ipynb and exercises/03-protocol-floor/HINTS.md");
    }

    /// <summary>Makes <paramref name="options"/> offer TLS 1.3 only, and returns the same object.</summary>
    public static SslClientAuthenticationOptions OnlyTls13(SslClientAuthenticationOptions options)
    {
        // TODO: as above, one version only.
        throw new NotImplementedException("Exercise 3, OnlyTls13: see notebooks/03-protocols.ipynb and exercises/03-protocol-floor/HINTS.md");
    }
}
