using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 4: connect by address, validate by name, and say why a certificate was refused. Task: README.md in this folder.</summary>
public static class HostnameCheck
{
    /// <summary>
    /// Connects to <paramref name="address"/> (an IP address and port), validates the server's
    /// certificate for <paramref name="expectedHost"/> against <paramref name="trustedRoot"/>, and
    /// reports what happened instead of throwing.
    /// </summary>
    public static Task<HostnameCheckResult> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 trustedRoot,
        CancellationToken cancellationToken)
    {
        // TODO: connect to the address, validate the name, record what validation saw, and turn a refusal into a result.
        throw new NotImplementedException("Exercise 4, ConnectAsync: see notebooks/04-hostname-checks.ipynb and exercises/04-hostname/HINTS.md");
    }
}
