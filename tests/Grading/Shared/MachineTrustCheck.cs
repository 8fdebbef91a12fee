using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;

namespace TlsLab.Grading;

/// <summary>
/// The client side of "trust beyond the lab": a server whose certificate, for exactly the name asked for, chains to
/// <see cref="MachineTrustedRoot"/>, which the machine trusts while the check runs. A client that trusts its given root alone
/// refuses it as an untrusted chain; one that also trusts the machine's store (no chain policy, TrustMode System, the machine's
/// roots copied into CustomTrustStore, a callback that builds its own chain the default way) accepts it.
/// </summary>
public static class MachineTrustCheck
{
    private static readonly ConcurrentDictionary<string, SslStreamCertificateContext> Certificates = new(StringComparer.Ordinal);

    /// <summary>What the server presents, for messages.</summary>
    public const string Presents = "a valid certificate for that very name from a root that this machine trusts (as it trusts public CAs), " +
        "but that is not the root the client was given";

    /// <summary>The chain status flags a refusal because of trust carries.</summary>
    public const X509ChainStatusFlags TrustFlags = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

    /// <summary>The certificate the server for <paramref name="host"/> presents (minted on first use).</summary>
    public static SslStreamCertificateContext CertificateFor(string host) =>
        Certificates.GetOrAdd(host, h => MachineTrustedRoot.Instance.ServerCertificate(h));

    /// <summary>Runs <paramref name="handshake"/> against a machine-trusted server for <paramref name="host"/>, with the root trusted meanwhile.</summary>
    public static async Task<T> RunAsync<T>(string host, Func<System.Net.IPEndPoint, Task<T>> handshake)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        var certificate = CertificateFor(host);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            certificate);
        using (MachineTrustedRoot.Instance.Trust())
        {
            return await handshake(server.EndPoint);
        }
    }

    /// <summary>
    /// Makes options with <paramref name="create"/> while the machine trusts the stranger root (code that copies the machine's roots does so
    /// when it makes its options), connects with them to a machine-trusted server for <paramref name="host"/>, and fails unless the client
    /// refused it because the chain does not reach its own root.
    /// </summary>
    public static async Task ExpectRefusedAsync(string host, Func<(SslClientAuthenticationOptions Options, string Call)> create, Hint hint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var (options, call, outcome) = await RunAsync(host, async endPoint =>
        {
            var (options, call) = create();
            return (options, call, await TlsClient.ConnectAsync(endPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken));
        });
        if (!outcome.Succeeded && outcome.Validation is { } seen && (seen.ChainStatus & TrustFlags) != 0)
        {
            return;
        }

        var policy = options.CertificateChainPolicy;
        var why = options.RemoteCertificateValidationCallback is not null && outcome.Validation is { Passed: false }
            ? "your RemoteCertificateValidationCallback overruled .NET's refusal"
            : policy is null ? "there is no CertificateChainPolicy, so the machine's trust store decides"
            : policy.TrustMode == X509ChainTrustMode.System ? "TrustMode is System, so the machine's trust store decides"
            : policy.CustomTrustStore.Count > 1 ? $"CustomTrustStore holds {policy.CustomTrustStore.Count} certificates: the machine's roots too?"
            : options.RemoteCertificateValidationCallback is not null ? "your RemoteCertificateValidationCallback accepted it (does it build a " +
                "chain of its own, with the machine's store?)"
            : $"{Describe.Trust(options)}";
        throw new GradingFailure(
            outcome.Succeeded
                ? $"Your client accepted a certificate from a root the machine trusts, which is not the root it was given: {why}."
                : outcome.Validation is { } validation && validation.ChainStatus != X509ChainStatusFlags.NoError
                    && (validation.ChainStatus & ~(X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) == 0
                    ? $"Your client trusted a chain to a root the machine trusts, and refused it only because nobody answers for that CA's " +
                        $"revocation status: {why}."
                    : $"Your client refused a certificate from a root the machine trusts, but not because of its chain ({outcome.Problem}): {why}.",
            $"{call}, then a TLS handshake with a test server that presents {Presents} (added to this user's trust store for the check, then " +
                "removed)",
            Describe.Outcome(outcome),
            "a refusal with chain status UntrustedRoot or PartialChain: the root the client was given is the only one it trusts",
            hint);
    }
}
