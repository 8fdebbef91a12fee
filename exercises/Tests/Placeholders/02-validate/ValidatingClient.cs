using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 2: a TLS client that validates properly while trusting only one root. Task: README.md in this folder.</summary>
public static class ValidatingClient
{
    /// <summary>Client options that check the certificate for <paramref name="targetHost"/> and trust <paramref name="trustedRoot"/> alone.</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        // TODO: TargetHost, and a chain policy whose only trusted root is trustedRoot.
        throw new NotImplementedException("Exercise 2, CreateOptions: see notebooks/02-client-default-context.ipynb and exercises/02-validate/HINTS.md");
    }

    /// <summary>Connects, completes the TLS handshake with <paramref name="options"/>, sends GET / and returns the status line.</summary>
    public static Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        // TODO: exercise 1's client, with an SslStream between the socket and the request.
        throw new NotImplementedException("Exercise 2, GetStatusLineAsync: see notebooks/02-client-default-context.ipynb and exercises/02-validate/HINTS.md");
    }
}
