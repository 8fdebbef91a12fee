using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Diagnostics;

namespace TlsLab.Exercises;

/// <summary>Exercise 4: connect by address, validate by name, and say why a certificate was refused.</summary>
public static class HostnameCheck
{
    /// <summary>
    /// Connects to <paramref name="address"/> (an IP address and port), validates the server's
    /// certificate for <paramref name="expectedHost"/> against <paramref name="trustedRoot"/>, and
    /// reports what happened instead of throwing.
    /// </summary>
    public static async Task<HostnameCheckResult> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 trustedRoot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(trustedRoot);

        // What .NET's validation concluded, captured inside the callback: the chain object is
        // disposed as soon as the callback returns, so copy what we need out of it there.
        var recorder = new ValidationRecorder();

        var options = new SslClientAuthenticationOptions
        {
            // The name to validate. Where we connect (127.0.0.1) and who we expect to find there
            // (good.localhost) are two different things: the address comes from DNS, or from a
            // config file, and says nothing about who answers. Putting the address here would check
            // the certificate against "127.0.0.1" instead of the name we meant.
            TargetHost = expectedHost,
            CertificateChainPolicy = TrustOnly(trustedRoot),

            // The recorder's callback does not decide anything differently from .NET: it accepts
            // exactly when there are no policy errors. It exists to record the reason for a refusal.
            // Never "errors == None || errors == RemoteCertificateNameMismatch": a certificate for
            // another name is a valid certificate for someone else.
            RemoteCertificateValidationCallback = recorder.Validate,
        };

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
            return new HostnameCheckResult(true, SslPolicyErrors.None, X509ChainStatusFlags.NoError,
                $"Connected: the certificate chains to the trusted root and is valid for '{expectedHost}'.");
        }
        catch (AuthenticationException e)
        {
            // The policy errors say WHAT failed (the name, the chain, or no certificate at all);
            // the chain status says WHY the chain failed (expired, untrusted root, partial chain...).
            // Explain turns both into a sentence; the exception's own message differs between
            // Windows, macOS and Linux, so it is only a last resort.
            var seen = recorder.Last;
            var reason = Explain.Failure(e, recorder);
            return new HostnameCheckResult(false, seen?.PolicyErrors ?? SslPolicyErrors.None, seen?.ChainStatus ?? X509ChainStatusFlags.NoError, reason);
        }
    }

    private static X509ChainPolicy TrustOnly(X509Certificate2 root)
    {
        // The same policy as exercise 2: only this root, no downloads; revocation checked online, the default.
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }
}
