using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Exercises;

/// <summary>Exercise 2: a TLS client that validates properly while trusting only one root.</summary>
public static class ValidatingClient
{
    /// <summary>Client options that check the certificate for <paramref name="targetHost"/> and trust <paramref name="trustedRoot"/> alone.</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);

        var policy = new X509ChainPolicy
        {
            // CustomRootTrust: the chain must end at a root in CustomTrustStore, and the machine's
            // trust store is ignored. This is how a client of a private PKI trusts its own root
            // without switching validation off and without installing anything system-wide.
            TrustMode = X509ChainTrustMode.CustomRootTrust,

            // RevocationMode stays Online, the default: every lab certificate names a CRL and an
            // OCSP address that the lab itself serves on loopback, so checking needs no internet.

            // Never fetch missing intermediates from the network (AIA): a server must send them,
            // and fetching would hide the incomplete-chain mistake (and needs Wi-Fi).
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(trustedRoot);

        return new SslClientAuthenticationOptions
        {
            // The name the certificate must carry. .NET checks it against the certificate's subject
            // alternative names and sends it as SNI. Leaving it out is not "skip the check":
            // on Linux an empty TargetHost fails every name check.
            TargetHost = targetHost,

            // The chain policy above replaces the default (system-trust) chain building.
            CertificateChainPolicy = policy,

            // No RemoteCertificateValidationCallback: .NET's own verdict (no policy errors) is exactly
            // what we want. A callback is where validation usually gets switched off by accident.
        };
    }

    /// <summary>Connects, completes the TLS handshake with <paramref name="options"/>, sends GET / and returns the status line.</summary>
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);

        // 1. A plain TCP connection, exactly as in exercise 1.
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var network = new NetworkStream(socket, ownsSocket: false);

        // 2. Wrap it. SslStream is Python's context.wrap_socket: it owns the TLS state machine.
        await using var tls = new SslStream(network, leaveInnerStreamOpen: false);

        // 3. The handshake. If the certificate fails validation this throws AuthenticationException
        //    and not a single byte of our request is sent. Do not catch it here: a caller that
        //    never hears about the failure cannot act on it.
        await tls.AuthenticateAsClientAsync(options, cancellationToken);

        // 4. From here on, everything written is encrypted. The Host header names the site we
        //    validated, the same name as TargetHost.
        var request = $"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nConnection: close\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        using var reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken)
            ?? throw new IOException($"{endPoint} closed the connection without answering.");
    }
}
