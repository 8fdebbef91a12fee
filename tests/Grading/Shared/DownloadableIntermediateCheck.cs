using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;

namespace TlsLab.Grading;

/// <summary>
/// A server that leaves out its intermediate, which its leaf's AIA caIssuers address (on loopback) would hand to anyone who asks: a
/// careful client refuses it as an incomplete chain (DisableCertificateDownloads), a careless one fetches the intermediate and connects.
/// </summary>
/// <remarks>
/// .NET on Linux keeps every intermediate it downloads in the user's intermediate store (<c>X509Store(CertificateAuthority,
/// CurrentUser)</c>, <c>~/.dotnet/corefx/cryptography/x509stores/ca</c>), and from then on completes chains with it even where
/// downloads are disabled. So every check gets an intermediate of its own, that no other check or later run can meet, and removes it
/// from that store afterwards.
/// </remarks>
public static class DownloadableIntermediateCheck
{
    /// <summary>What the check's server presents, for messages.</summary>
    public const string Presents = "its leaf without the intermediate; the leaf's AIA extension names an address on loopback where the " +
        "intermediate can be downloaded";

    /// <summary>Runs <paramref name="connect"/> against a server for <paramref name="host"/> (under <see cref="RevocationChains.Root"/>)
    /// that presents its leaf alone; returns what it gave and how many times the intermediate was downloaded.</summary>
    public static async Task<(T Result, int Fetches)> RunAsync<T>(string host, Func<IPEndPoint, Task<T>> connect)
    {
        ArgumentNullException.ThrowIfNull(connect);
        var chains = RevocationChains.Instance;
        var (leaf, intermediate, file) = chains.Downloadable(host, forClients: false);
        try
        {
            var context = SslStreamCertificateContext.Create(leaf, [], offline: true);
            await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
                context);
            var result = await connect(server.EndPoint);
            return (result, chains.Fetches(file));
        }
        finally
        {
            Forget(intermediate);
        }
    }

    /// <summary>Presents the leaf alone to <paramref name="options"/> and fails unless the handshake is refused with PartialChain.</summary>
    /// <param name="host">The name on the leaf; <paramref name="options"/> must have been made for it, trusting <see cref="RevocationChains.Root"/>.</param>
    /// <param name="call">The attendee's call that made the options, for messages.</param>
    /// <param name="options">The options under test.</param>
    /// <param name="hint">The hint about downloads.</param>
    /// <param name="cancellationToken">The test's token.</param>
    public static async Task ExpectRefusedAsync(string host, string call, SslClientAuthenticationOptions options, Hint hint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (outcome, fetched) = await RunAsync(host,
            endPoint => TlsClient.ConnectAsync(endPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken));
        if (!outcome.Succeeded && outcome.Validation is { } seen && seen.ChainStatus.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return;
        }

        var why = fetched > 0
            ? $"it downloaded the missing intermediate from the address in the certificate ({fetched} time(s))" +
                (options.CertificateChainPolicy is { DisableCertificateDownloads: false } ? ": DisableCertificateDownloads is false" : "")
            : options.RemoteCertificateValidationCallback is not null && outcome.Succeeded
                ? "your RemoteCertificateValidationCallback overruled .NET"
                : "the chain was not refused as incomplete";
        throw new GradingFailure(
            outcome.Succeeded
                ? $"Your client accepted a server that did not send its intermediate: {why}."
                : $"Your client refused a server that did not send its intermediate, but not as an incomplete chain: {why}.",
            $"{call}, then a TLS handshake with a test server that presents {Presents} ({Describe.Trust(options)})",
            Describe.Outcome(outcome),
            "a refusal with chain status PartialChain: a server must send its intermediates; DisableCertificateDownloads = true in the chain " +
                "policy keeps the client from fetching what the server left out",
            hint);
    }

    /// <summary>Removes a downloaded intermediate from the user's intermediate store, where .NET on Linux keeps it.</summary>
    public static void Forget(X509Certificate2 intermediate)
    {
        ArgumentNullException.ThrowIfNull(intermediate);
        try
        {
            using var store = new X509Store(StoreName.CertificateAuthority, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            foreach (var cached in store.Certificates.Find(X509FindType.FindByThumbprint, intermediate.Thumbprint, validOnly: false))
            {
                store.Remove(cached);
                cached.Dispose();
            }
        }
        catch (CryptographicException)
        {
            // No such store on this platform (macOS keeps no user intermediate store): nothing was cached there.
        }
        finally
        {
            intermediate.Dispose();
        }
    }
}
