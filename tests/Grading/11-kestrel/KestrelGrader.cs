using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Text.RegularExpressions;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 11: an ASP.NET Core app configured by the attendee, judged from outside: real clients (openssl s_client, curl, an HttpClient
/// that trusts the lab root alone and has never seen the intermediate) and the operating system's list of listeners.
/// </summary>
public static class KestrelGrader
{
    private const int Exercise = 11;

    /// <summary>A year: what HSTS preload lists ask for, and what the hints say.</summary>
    private const int OneYear = 31536000;

    private static readonly Regex MaxAgePattern = new(@"max-age\s*=\s*""?(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Property: the app serves HTTPS with its certificate and the intermediate, so clients that know only the root build the chain.</summary>
    public static async Task ServesTheWholeChainAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 1), cancellationToken);
        using var root = RootFile.Write(lab);
        var (status, _, error, errors) = await GetAsync(lab, app, null, cancellationToken);
        var openssl = await Peer.RunAsync("openssl", ["s_client", "-connect", Address(app), "-servername", RunningKestrelApp.Host, "-showcerts",
            "-CAfile", root.Path, "-verify_return_error"], cancellationToken);
        var sent = openssl.Output.Split("-----BEGIN CERTIFICATE-----").Length - 1;
        if (status == 200 && sent >= 2 && openssl.ExitCode == 0)
        {
            return;
        }

        throw new GradingFailure(
            sent == 1 ? "The app sends its certificate without the intermediate: clients that know only the root cannot build the chain."
                : $"Clients that know only the lab root could not talk to the app.",
            $"{RunningKestrelApp.Call}, started; then GET https://{RunningKestrelApp.Host}:{app.EndPoint.Port}/ with an HttpClient that trusts the " +
                $"lab root alone and has never seen the intermediate, and '{openssl.Command}'",
            $"HttpClient: {(status is { } s ? $"HTTP {s}" : Attempt.OneLine(error!))}" +
                (errors is { } v ? $" [policy errors {v}]" : string.Empty) + $"; openssl saw {sent} certificate(s): {openssl}",
            "HTTP 200, and the leaf and its intermediate in the handshake (ServerCertificate and ServerCertificateChain; not a " +
                "ServerCertificateSelector, with which Kestrel ignores the chain)",
            new Hint(Exercise, 1));
    }

    /// <summary>Property: every socket the app listens on is bound to a loopback address, as the operating system reports it.</summary>
    public static async Task ListensOnLoopbackOnlyAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        if (!Listeners.Supported)
        {
            Assert.Skip("This check reads the operating system's list of listeners from /proc/net, which only Linux has; the rest is graded.");
        }

        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 2), cancellationToken);
        var ports = app.Addresses.Select(a => new Uri(a).Port).Distinct().ToList();
        var listening = ports.SelectMany(p => Listeners.On(p).Select(a => new IPEndPoint(a, p))).ToList();
        var open = listening.Where(e => !Listeners.IsLoopback(e.Address)).ToList();
        if (listening.Count > 0 && open.Count == 0)
        {
            return;
        }

        throw new GradingFailure(
            open.Count > 0 ? $"The app listens on {string.Join(", ", open)}: every machine that can reach this one can connect."
                : "The operating system lists no socket listening on the app's port.",
            $"{RunningKestrelApp.Call}, started; then the listening sockets on its port(s) {string.Join(", ", ports)} read from /proc/net/tcp and tcp6",
            $"Kestrel reports [{string.Join(", ", app.Addresses)}]; the system lists [{string.Join(", ", listening)}]",
            "only loopback addresses (127.0.0.1, ::1): Listen(IPAddress.Loopback, 0, ...) or ListenLocalhost, never ListenAnyIP",
            new Hint(Exercise, 2));
    }

    /// <summary>Property: openssl s_client gets a verified handshake with TLS 1.2 and with TLS 1.3.</summary>
    public static async Task SpeaksTls12And13Async(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 3), cancellationToken);
        using var root = RootFile.Write(lab);
        foreach (var version in new[] { "-tls1_2", "-tls1_3" })
        {
            var run = await Peer.RunAsync("openssl", ["s_client", "-connect", Address(app), "-servername", RunningKestrelApp.Host, version, "-brief",
                "-CAfile", root.Path, "-verify_return_error"], cancellationToken);
            if (run.ExitCode != 0)
            {
                throw new GradingFailure($"openssl s_client {version} could not complete a verified handshake with the app.",
                    $"{RunningKestrelApp.Call}, started; then '{run.Command}'", run.ToString(),
                    "a verified handshake with TLS 1.2 and with TLS 1.3 (SslProtocols = Tls12 | Tls13)", new Hint(Exercise, 3));
            }
        }
    }

    /// <summary>Property: over TLS 1.2 the app agrees only to AEAD suites: a client offering a CBC suite alone is refused, an AEAD one is served.</summary>
    public static async Task OffersModernSuitesOnlyAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("On Windows the suites come from a machine-wide setting, not from the app (hint 3); the rest is graded.");
        }

        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 3), cancellationToken);
        using var root = RootFile.Write(lab);
        var cbc = await Peer.RunAsync("openssl", ["s_client", "-connect", Address(app), "-servername", RunningKestrelApp.Host, "-tls1_2", "-brief",
            "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384", "-CAfile", root.Path], cancellationToken);
        var aead = await Peer.RunAsync("openssl", ["s_client", "-connect", Address(app), "-servername", RunningKestrelApp.Host, "-tls1_2", "-brief",
            "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-CAfile", root.Path], cancellationToken);
        if (cbc.ExitCode != 0 && aead.ExitCode == 0)
        {
            return;
        }

        throw new GradingFailure(
            cbc.ExitCode == 0 ? "Over TLS 1.2 the app agreed to a CBC suite: no cipher-suite policy limits it to AEAD suites."
                : "Over TLS 1.2 the app refused an AEAD suite with forward secrecy (ECDHE-ECDSA-AES128-GCM-SHA256).",
            $"{RunningKestrelApp.Call}, started; then '{cbc.Command}' and '{aead.Command}'",
            $"CBC only: {cbc}; AEAD: {aead}",
            "CBC refused, AEAD served: a CipherSuitesPolicy with exercise 6's list, set per connection (OnAuthenticate), not on Windows",
            new Hint(Exercise, 3));
    }

    /// <summary>Property: client certificates are optional: a client without one is served anonymously, a client with one from the CA
    /// is let in and the app sees who it is.</summary>
    public static async Task ServesAnonymousAndCaClientsAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 4), cancellationToken);
        var anonymous = await GetAsync(lab, app, null, cancellationToken);
        using var leaf = lab.Pki.IssueClientCertificate("exercise 11 client");
        var client = ServerCertificates.CreateContext(leaf, [lab.Pki.Intermediate.PublicCertificate]);
        var known = await GetAsync(lab, app, client, cancellationToken);
        var tried = $"{RunningKestrelApp.Call}, started; then GET / (it answers with the subject of the client's certificate) from a client with no " +
            "certificate, and from one with a certificate the lab issued (it sends its intermediate too)";
        var happened = $"no certificate: {Result(anonymous)}; the CA's client: {Result(known)}";
        if (anonymous.Status != 200 || anonymous.Body != "anonymous")
        {
            throw new GradingFailure("A client without a certificate was not served: client certificates are required, not optional.", tried, happened,
                "HTTP 200 'anonymous': ClientCertificateMode.AllowCertificate asks for a certificate and serves clients that have none",
                new Hint(Exercise, 4));
        }

        if (known.Status != 200 || known.Body != leaf.Subject)
        {
            throw new GradingFailure(
                known.Status == 200 ? "A client with a certificate from the CA was served, but the app did not see its certificate."
                    : "A client with a certificate from the CA given was turned away.",
                tried, happened,
                $"HTTP 200 '{leaf.Subject}': the certificate chains to clientCa (with the intermediate the client sent), so it is let in",
                new Hint(Exercise, known.Status == 200 ? 4 : 5));
        }
    }

    /// <summary>Property: only a valid client certificate from the CA gets in: one from a stranger CA, one from a root the machine trusts,
    /// and, from the CA itself, one it has revoked, one that has expired and one meant for servers only are turned away.</summary>
    public static async Task TurnsAwayOtherClientsAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        var seen = new List<(string Who, string Call, (int? Status, string? Body, Exception? Error, SslPolicyErrors? Errors) Outcome, string Expected)>();
        const string chainsToClientCa = "the handshake refused: the certificate does not chain to clientCa (a ClientCertificateValidation callback that " +
            "builds the chain with TrustMode CustomRootTrust and clientCa alone)";
        await using (var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 5), cancellationToken))
        {
            var stranger = CertificateAuthority.CreateRoot("exercise 11 stranger CA");
            var strangerClient = ServerCertificates.CreateContext(stranger.Issue(LeafSpec.ForClient("exercise 11 stranger")), []);
            seen.Add(("a client certificate from a stranger CA, not from the CA given", RunningKestrelApp.Call,
                await GetAsync(lab, app, strangerClient, cancellationToken), chainsToClientCa));
            if (MachineTrustedRoot.Supported)
            {
                using (MachineTrustedRoot.Instance.Trust())
                {
                    seen.Add(("a client certificate from a root this machine trusts (added for the check, then removed), not from the CA given",
                        RunningKestrelApp.Call, await GetAsync(lab, app, MachineTrustedRoot.Instance.ClientCertificate, cancellationToken), chainsToClientCa));
                }
            }

            var intermediate = lab.Pki.Intermediate.PublicCertificate;
            var now = DateTimeOffset.UtcNow;
            var expired = ServerCertificates.CreateContext(lab.Pki.Intermediate.Issue(LeafSpec.ForClient("exercise 11 expired client") with
            {
                NotBefore = now.AddDays(-30),
                NotAfter = now.AddDays(-1),
            }), [intermediate]);
            seen.Add(("a client certificate from the CA that expired yesterday (the client sends its intermediate too)", RunningKestrelApp.Call,
                await GetAsync(lab, app, expired, cancellationToken),
                "the handshake refused: the chain's dates are checked (X509Chain.Build's answer, without IgnoreNotTimeValid); a chain that merely " +
                    "ends at clientCa is not enough"));
            var server = ServerCertificates.CreateContext(lab.Pki.IssueServerCertificate("not-a-client.localhost"), [intermediate]);
            seen.Add(("a certificate from the CA that is meant for servers only (EKU serverAuth, no clientAuth)", RunningKestrelApp.Call,
                await GetAsync(lab, app, server, cancellationToken),
                "the handshake refused: the client-authentication usage (1.3.6.1.5.5.7.3.2) in the chain policy's ApplicationPolicy, and " +
                    "X509Chain.Build's answer counted, not merely where the chain ends"));
        }

        // The lab revokes only server certificates; the revoked client certificate comes from a root of the grader's own, whose CRLs it
        // serves on loopback, so the app is built again with that root as clientCa.
        var chains = RevocationChains.Instance;
        var (leaf, issuer) = chains.RevokedClient("exercise 11 revoked client");
        using (issuer)
        {
            const string revocationCall = "KestrelApp.Build(builder, a certificate for localhost, [its intermediate], the grader's revocation root)";
            await using var app = await RunningKestrelApp.StartAsync(lab, api, chains.Root, revocationCall, new Hint(Exercise, 5), cancellationToken);
            var revoked = SslStreamCertificateContext.Create(leaf, [issuer], offline: true);
            seen.Add(("a client certificate from the CA that its intermediate has revoked (the intermediate's CRL, served on loopback, lists it: key " +
                "compromise)",
                revocationCall, await GetAsync(lab, app, revoked, cancellationToken),
                "the handshake refused: RevocationMode left at Online (the default), so the intermediate's CRL is asked, and X509Chain.Build's answer " +
                    "counted, not merely where the chain ends"));

            // Its own intermediate, removed from the user's intermediate store afterwards (see DownloadableIntermediateCheck).
            var (bare, missing, _) = chains.Downloadable("exercise 11 client without its intermediate", forClients: true);
            try
            {
                var alone = SslStreamCertificateContext.Create(bare, [], offline: true);
                seen.Add(($"a client certificate from the CA sent without its intermediate: {DownloadableIntermediateCheck.Presents}", revocationCall,
                    await GetAsync(lab, app, alone, cancellationToken),
                    "the handshake refused (PartialChain): a client must send its intermediates; DisableCertificateDownloads = true in the " +
                        "callback's chain policy keeps the app from fetching what the client left out"));
            }
            finally
            {
                DownloadableIntermediateCheck.Forget(missing);
            }
        }

        var letIn = seen.Where(s => s.Outcome.Status is not null).ToList();
        if (letIn.Count == 0)
        {
            return;
        }

        var (who, call, outcome, expected) = letIn[0];
        var others = letIn.Count > 1 ? $"; also let in: {string.Join("; ", letIn.Skip(1).Select(s => s.Who))}" : string.Empty;
        throw new GradingFailure($"A client presenting {who} was let in.",
            $"{call}, started; then GET / presenting {who}",
            Result(outcome) + others, expected, new Hint(Exercise, 5));
    }

    /// <summary>Property: every HTTPS answer carries Strict-Transport-Security, with a max-age of a year or more, even to localhost.</summary>
    public static async Task SendsHstsAsync(Lab lab, KestrelApi api, CancellationToken cancellationToken)
    {
        await using var app = await RunningKestrelApp.StartAsync(lab, api, new Hint(Exercise, 6), cancellationToken);
        using var root = RootFile.Write(lab);
        var port = app.EndPoint.Port.ToString(CultureInfo.InvariantCulture);
        var curl = await Peer.RunAsync("curl", ["-sS", "-D", "-", "-o", "/dev/null", "--cacert", root.Path,
            "--resolve", $"{RunningKestrelApp.Host}:{port}:{app.EndPoint.Address}", $"https://{RunningKestrelApp.Host}:{port}/"], cancellationToken);
        var header = curl.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("strict-transport-security:",
            StringComparison.OrdinalIgnoreCase));
        var maxAge = header is not null && MaxAge().Match(header) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        if (curl.ExitCode == 0 && maxAge >= OneYear)
        {
            return;
        }

        throw new GradingFailure(
            curl.ExitCode != 0 ? "curl could not get an answer from the app over HTTPS."
                : header is null ? "The app's answer to https://localhost has no Strict-Transport-Security header."
                : $"The app's Strict-Transport-Security max-age is {maxAge} s, less than a year.",
            $"{RunningKestrelApp.Call}, started; then '{curl.Command}'",
            header ?? curl.ToString(),
            $"Strict-Transport-Security: max-age={OneYear} or more. UseHsts sends nothing to localhost, 127.0.0.1 and [::1] until its " +
                "ExcludedHosts are cleared (AddHsts), and nothing at all without app.UseHsts()",
            new Hint(Exercise, 6));
    }

    private static string Address(RunningKestrelApp app) =>
        $"{(app.EndPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{app.EndPoint.Address}]" : app.EndPoint.Address)}" +
        $":{app.EndPoint.Port.ToString(CultureInfo.InvariantCulture)}";

    private static string Result((int? Status, string? Body, Exception? Error, SslPolicyErrors? Errors) outcome) =>
        outcome.Status is { } status ? $"HTTP {status} '{outcome.Body}'" : outcome.Error is { } e ? Attempt.OneLine(e) : "not run";

    // A careful client: the lab root alone, no downloads (so a missing intermediate shows), the name 'localhost' from the Host header.
    private static async Task<(int? Status, string? Body, Exception? Error, SslPolicyErrors? Errors)> GetAsync(Lab lab, RunningKestrelApp app,
        SslStreamCertificateContext? client, CancellationToken cancellationToken)
    {
        var policy = ChainPolicies.TrustOnly(lab.RootCertificate);
        policy.DisableCertificateDownloads = true;
        SslPolicyErrors? seen = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
                ClientCertificateContext = client,
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                {
                    seen = errors;
                    return errors == SslPolicyErrors.None;
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{Address(app)}/"));
        request.Headers.Host = $"{RunningKestrelApp.Host}:{app.EndPoint.Port.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), null, seen);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, null, e, seen);
        }
    }

    // A plain Regex, not [GeneratedRegex]: tlslab grade --watch compiles the graders with Roslyn alone, without source generators.
    private static Regex MaxAge() => MaxAgePattern;

    /// <summary>The lab root as a PEM file for openssl and curl (a public certificate: nothing secret), deleted afterwards.</summary>
    private sealed class RootFile : IDisposable
    {
        private readonly string _folder;

        private RootFile(string folder, string path)
        {
            _folder = folder;
            Path = path;
        }

        public string Path { get; }

        public static RootFile Write(Lab lab)
        {
            var folder = Directory.CreateTempSubdirectory("tlslab-grading-").FullName;
            return new RootFile(folder, lab.WriteRootCertificate(System.IO.Path.Combine(folder, "lab-root.pem")));
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
