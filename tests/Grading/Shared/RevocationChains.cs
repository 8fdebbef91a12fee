using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Grading;

/// <summary>One chain of <see cref="RevocationChains"/>: what is wrong with its intermediate, and what a careful client sees.</summary>
/// <param name="Name">The theory row, e.g. <c>revoked-intermediate</c>.</param>
/// <param name="Host">The name on its leaf.</param>
/// <param name="Teaches">What is wrong, for messages; empty for the chain with nothing wrong.</param>
/// <param name="Expected">The chain status a careful client refuses it with; <see cref="X509ChainStatusFlags.NoError"/> when it is accepted.</param>
/// <param name="Certificate">What the server presents: the leaf, its key and its intermediate.</param>
public sealed record RevocationChain(string Name, string Host, string Teaches, X509ChainStatusFlags Expected, SslStreamCertificateContext Certificate);

/// <summary>
/// Chains whose leaf is fine and whose intermediate is not: revoked by the root, expired, or with its revocation status at an
/// address that does not answer while the leaf's own CRL does. A client that checks the leaf alone accepts them all. The lab's
/// zoo revokes and expires leaves only, and its PKI is not ours to change, so this is a small PKI of its own: a root, four
/// intermediates, a leaf under each, and a loopback HTTP server for their CRLs (built with the framework's
/// <see cref="CertificateRevocationListBuilder"/>). Made once per test process, with names of its own, so that no CRL cached by
/// an earlier run can answer for it.
/// </summary>
public sealed class RevocationChains
{
    private static readonly Lazy<RevocationChains> Shared = new(() => new RevocationChains());

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, byte[]> _crls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _fetches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _ocsp = new(StringComparer.Ordinal);
    private readonly X509Certificate2 _rootWithKey;
    private readonly string _baseUri;

    private RevocationChains()
    {
        _listener.Start();
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var baseUri = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/{run}/";

        // An address where nothing listens: a port taken and released at once, refused from then on.
        var dead = new TcpListener(IPAddress.Loopback, 0);
        dead.Start();
        var deadPort = ((IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop();
        var unreachable = $"http://127.0.0.1:{deadPort.ToString(CultureInfo.InvariantCulture)}/{run}/root.crl";

        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = CaRequest($"TlsLab grading revocation root {run}", rootKey, crl: null)
            .CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        Root = X509CertificateLoader.LoadCertificate(root.RawData);
        _rootWithKey = root;
        _baseUri = baseUri;

        var rootCrl = $"{baseUri}root.crl";
        var good = Intermediate("good", root, rootCrl, now.AddDays(-10), now.AddDays(20));
        var revoked = Intermediate("revoked", root, rootCrl, now.AddDays(-10), now.AddDays(20));
        var expired = Intermediate("expired", root, rootCrl, now.AddDays(-20), now.AddDays(-1));
        var silent = Intermediate("unanswered", root, unreachable, now.AddDays(-10), now.AddDays(20));

        var rootList = new CertificateRevocationListBuilder();
        rootList.AddEntry(revoked.Certificate, now.AddHours(-1), X509RevocationReason.KeyCompromise);
        _crls["root.crl"] = rootList.Build(root, System.Numerics.BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));

        All =
        [
            Chain("good-chain", good, baseUri, "", X509ChainStatusFlags.NoError),
            Chain("revoked-intermediate", revoked, baseUri, "an intermediate that the root has revoked (the leaf itself is not revoked)",
                X509ChainStatusFlags.Revoked),
            Chain("expired-intermediate", expired, baseUri, "an intermediate that expired yesterday (the leaf itself is within its dates)",
                X509ChainStatusFlags.NotTimeValid),
            Chain("intermediate-status-unanswered", silent, baseUri, "an intermediate whose revocation status nobody answers for (its CRL " +
                "address refuses connections), while the leaf's own CRL answers 'not revoked'", X509ChainStatusFlags.RevocationStatusUnknown),
        ];
        _ = ServeAsync();
    }

    /// <summary>The root every chain leads to: the trustedRoot a client is given.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The chains.</summary>
    public IReadOnlyList<RevocationChain> All { get; }

    /// <summary>The names of the chains, for theory data.</summary>
    public static IReadOnlyList<string> Names { get; } = ["good-chain", "revoked-intermediate", "expired-intermediate", "intermediate-status-unanswered"];

    /// <summary>The one instance of the test process (its CRL server runs as long as the process).</summary>
    public static RevocationChains Instance => Shared.Value;

    /// <summary>One chain by name.</summary>
    public RevocationChain this[string name] => All.Single(c => c.Name == name);

    /// <summary>How many times the file <paramref name="name"/> (e.g. <c>aia-1a2b.cer</c>) was fetched from the CRL server.</summary>
    public int Fetches(string name) => _fetches.GetValueOrDefault(name);

    /// <summary>
    /// A fresh intermediate (its own key and name, made for one check) under <see cref="Root"/>, served by the CRL server as
    /// <c>aia-ID.cer</c>, and a leaf under it that names that address as its caIssuers (AIA), for <paramref name="host"/>, for a server
    /// (<paramref name="forClients"/> false) or a client. What a check presents is the leaf alone.
    /// </summary>
    public (X509Certificate2 Leaf, X509Certificate2 Intermediate, string File) Downloadable(string host, bool forClients) =>
        Fresh(host, forClients, caIssuers: true, leafRevoked: false);

    /// <summary>A leaf for client use, <paramref name="name"/>, under a fresh intermediate whose CRL lists it as revoked (key compromise).</summary>
    public (X509Certificate2 Leaf, X509Certificate2 Intermediate) RevokedClient(string name)
    {
        var (leaf, intermediate, _) = Fresh(name, forClients: true, caIssuers: false, leafRevoked: true);
        return (leaf, intermediate);
    }

    /// <summary>
    /// A leaf for <paramref name="host"/> under a fresh intermediate, that names no CRL, only an OCSP responder (AIA) on loopback, which
    /// answers <c>unknown</c> for it; the intermediate's own status comes from the root's CRL, which answers. Returns the leaf, the
    /// intermediate, and the responder's name for <see cref="Fetches"/>.
    /// </summary>
    public (X509Certificate2 Leaf, X509Certificate2 Intermediate, string Responder) OcspUnknown(string host)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var now = DateTimeOffset.UtcNow;
        var intermediate = Intermediate($"ocsp-{id}", _rootWithKey, $"{_baseUri}root.crl", now.AddDays(-10), now.AddDays(20));
        var responder = $"ocsp-{id}";
        _ocsp[responder] = intermediate.Certificate;
        var leaf = Leaf(host, intermediate, forClients: false, caIssuers: [], ocsp: responder);
        return (leaf, X509CertificateLoader.LoadCertificate(intermediate.Certificate.RawData), responder);
    }

    private (X509Certificate2 Leaf, X509Certificate2 Intermediate, string File) Fresh(string host, bool forClients, bool caIssuers, bool leafRevoked)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var now = DateTimeOffset.UtcNow;
        var intermediate = Intermediate($"aia-{id}", _rootWithKey, $"{_baseUri}root.crl", now.AddDays(-10), now.AddDays(20));
        var file = $"aia-{id}.cer";
        _crls[file] = intermediate.Certificate.RawData;
        var leaf = Leaf(host, intermediate, forClients, caIssuers ? [file] : []);
        var list = new CertificateRevocationListBuilder();
        if (leafRevoked)
        {
            list.AddEntry(leaf, now.AddHours(-1), X509RevocationReason.KeyCompromise);
        }

        _crls[$"aia-{id}.crl"] = list.Build(intermediate.Certificate, System.Numerics.BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256,
            thisUpdate: now.AddMinutes(-5));
        return (leaf, X509CertificateLoader.LoadCertificate(intermediate.Certificate.RawData), file);
    }

    private X509Certificate2 Leaf(string host, (X509Certificate2 Certificate, string Slug) intermediate, bool forClients, string[] caIssuers,
        string? ocsp = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}, O=TlsLab grading", key, HashAlgorithmName.SHA256);
        if (!forClients)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(host);
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(forClients ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")],
            critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (ocsp is null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([$"{_baseUri}{intermediate.Slug}.crl"]));
        }

        if (caIssuers.Length > 0 || ocsp is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocsp is null ? null : [$"{_baseUri}{ocsp}"],
                caIssuers.Length == 0 ? null : caIssuers.Select(f => _baseUri + f)));
        }

        // A leaf may outlive an expired issuer only on paper; the dates are the point of the expired-intermediate chain.
        using var signed = Sign(request, intermediate.Certificate, now.AddDays(-2), now.AddDays(10));
        return signed.CopyWithPrivateKey(key);
    }

    private static CertificateRequest CaRequest(string commonName, ECDsa key, string? crl)
    {
        var request = new CertificateRequest($"CN={commonName}, O=TlsLab grading", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, crl is not null, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (crl is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crl]));
        }

        return request;
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true,
            includeIssuerAndSerial: false));
        using var key = issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The issuer has no ECDSA key.");
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);
    }

    private static (X509Certificate2 Certificate, string Slug) Intermediate(string slug, X509Certificate2 root, string crl, DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest($"TlsLab grading {slug} intermediate {root.GetNameInfo(X509NameType.SimpleName, false)[^8..]}", key, crl);
        using var signed = Sign(request, root, notBefore, notAfter);
        return (signed.CopyWithPrivateKey(key), slug);
    }

    private RevocationChain Chain(string name, (X509Certificate2 Certificate, string Slug) intermediate, string baseUri, string teaches,
        X509ChainStatusFlags expected)
    {
        var host = $"{name}.localhost";
        var now = DateTimeOffset.UtcNow;
        var leaf = Leaf(host, intermediate, forClients: false, []);

        _crls[$"{intermediate.Slug}.crl"] = new CertificateRevocationListBuilder().Build(intermediate.Certificate, System.Numerics.BigInteger.One,
            now.AddDays(7),
            HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));
        var context = SslStreamCertificateContext.Create(leaf, [X509CertificateLoader.LoadCertificate(intermediate.Certificate.RawData)],
            offline: true);
        return new RevocationChain(name, host, teaches, expected, context);
    }

    // Plain HTTP/1.1, one request per connection: GET /RUN/NAME.crl.
    private async Task ServeAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var buffer = new byte[8192];
                var length = 0;
                while (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0 && length < buffer.Length)
                {
                    var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, deadline.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    length += n;
                }

                var text = Encoding.ASCII.GetString(buffer, 0, length);
                var (method, target) = text.Split(' ', 3) is [var m, var path, _] ? (m, path) : (string.Empty, string.Empty);
                var (status, type, body) = ResponderIn(target) is { } responder
                    ? await AnswerOcspAsync(client, responder, method, target, buffer, length, deadline.Token)
                    : ServeFile(target);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, deadline.Token);
                await client.SendAsync(body, SocketFlags.None, deadline.Token);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or FormatException
                or System.Formats.Asn1.AsnContentException)
            {
                // A client that went away, or a request that was not OCSP.
            }
        }
    }

    private (string Status, string Type, byte[] Body) ServeFile(string target)
    {
        var name = target[(target.LastIndexOf('/') + 1)..];
        _fetches.AddOrUpdate(name, 1, (_, n) => n + 1);
        var type = name.EndsWith(".cer", StringComparison.Ordinal) ? "application/pkix-cert" : "application/pkix-crl";
        return _crls.TryGetValue(name, out var file) ? ("200 OK", type, file) : ("404 Not Found", type, []);
    }

    private static string? ResponderIn(string target)
    {
        var at = target.IndexOf("/ocsp-", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var name = target[(at + 1)..];
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? name : name[..slash];
    }

    // RFC 6960 appendix A: a POST with the request as its body, or a GET with it base64-encoded (and URL-escaped) after the address.
    private async Task<(string Status, string Type, byte[] Body)> AnswerOcspAsync(Socket client, string responder, string method, string target,
        byte[] buffer, int length, CancellationToken cancellationToken)
    {
        _fetches.AddOrUpdate(responder, 1, (_, n) => n + 1);
        if (!_ocsp.TryGetValue(responder, out var issuer))
        {
            return ("404 Not Found", "text/plain", []);
        }

        byte[] request;
        if (method == "POST")
        {
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) + 4;
            var declared = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n").Select(l => l.Split(':', 2))
                .Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.Parse(h[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
            request = new byte[Math.Clamp(declared, 0, 65536)];
            var have = Math.Min(length - end, request.Length);
            buffer.AsSpan(end, have).CopyTo(request);
            while (have < request.Length)
            {
                var n = await client.ReceiveAsync(request.AsMemory(have), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    break;
                }

                have += n;
            }
        }
        else
        {
            var encoded = target[(target.IndexOf(responder, StringComparison.Ordinal) + responder.Length)..].TrimStart('/');
            request = Convert.FromBase64String(Uri.UnescapeDataString(encoded));
        }

        return ("200 OK", "application/ocsp-response", UnknownOcspAnswer.For(request, issuer));
    }
}
