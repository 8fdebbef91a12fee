using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 10: the handler behind an HttpClient. Every check sends real requests through an <see cref="HttpClient"/> over the handler
/// the attendee's <c>SecureHandler.Create</c> made, to real TLS servers on loopback; the verdict is what HttpClient did (an answer, or an
/// HttpRequestException wrapping an AuthenticationException), and the reason is what .NET's own certificate check found
/// (<see cref="HandlerRequest"/> watches it).
/// </summary>
public static class HttpClientGrader
{
    private const int Exercise = 10;

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private const X509ChainStatusFlags NoAnswer = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    private const X509VerificationFlags SoftFailFlags =
        X509VerificationFlags.IgnoreEndRevocationUnknown
        | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown
        | X509VerificationFlags.IgnoreRootRevocationUnknown
        | X509VerificationFlags.IgnoreCtlSignerRevocationUnknown;

    /// <summary>Lab endpoints a careful handler reaches: a plain one, one that staples its OCSP answer, one per protocol version.</summary>
    public static IReadOnlyList<string> GoodScenarios { get; } = ["good", "ocsp-stapled", "tls12-only", "tls13-only"];

    /// <summary>Lab endpoints a careful handler refuses, each for the reason the lab documents.</summary>
    public static IReadOnlyList<string> BrokenScenarios { get; } =
        ["expired", "not-yet-valid", "self-signed", "untrusted-root", "wrong-host", "incomplete-chain", "revoked"];

    /// <summary>The chains whose intermediate decides (<see cref="RevocationChains"/>), and a leaf whose OCSP responder answers 'unknown'.</summary>
    public static IReadOnlyList<string> ChainScenarios { get; } = [.. RevocationChains.Names, "ocsp-unknown"];

    /// <summary>Property: a handler from Create(lab root, null) gets 200 from <paramref name="scenario"/>, a good endpoint, through HttpClient.</summary>
    public static async Task GoodIsReachedAsync(Lab lab, HttpClientApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var (request, call) = Make(api, lab.RootCertificate, "lab root", null);
        using (request)
        {
            var outcome = await request.GetAsync(endpoint.EndPoint, endpoint.Host, cancellationToken);
            if (outcome.Succeeded)
            {
                return;
            }

            var (cause, hint) = Diagnose(outcome, request, lab.RootCertificate);
            throw new GradingFailure(
                $"An HttpClient over your handler could not get '{scenario}', a good endpoint: {cause}.",
                $"{call}, then GET https://{endpoint.Host}:{endpoint.EndPoint.Port}/ (at {endpoint.EndPoint}) through an HttpClient over it " +
                    $"({Settings(request)})",
                outcome.ToString(),
                $"HTTP 200: '{scenario}' chains to the lab root, names {endpoint.Host}, and the lab's CRL and OCSP answers say it is good",
                new Hint(Exercise, hint));
        }
    }

    /// <summary>Property: a handler from Create(lab root, null) refuses <paramref name="scenario"/>, and HttpClient reports it as an
    /// HttpRequestException wrapping an AuthenticationException, for the reason the lab documents (policy errors and chain status).</summary>
    public static async Task BrokenIsRefusedAsync(Lab lab, HttpClientApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not a scenario a careful client refuses.",
            nameof(scenario));
        var (request, call) = Make(api, lab.RootCertificate, "lab root", null);
        using (request)
        {
            var outcome = await request.GetAsync(endpoint.EndPoint, endpoint.Host, cancellationToken);
            var tried = $"{call}, then GET https://{endpoint.Host}:{endpoint.EndPoint.Port}/ ('{scenario}', at {endpoint.EndPoint}) through an " +
                $"HttpClient over it ({Settings(request)})";
            var wanted = $"an HttpRequestException wrapping an AuthenticationException, because {expected.Summary} (policy errors " +
                $"{expected.PolicyErrors}" + (expected.ChainStatus == X509ChainStatusFlags.NoError ? ")" : $", chain status {expected.ChainStatus})");
            if (outcome.Succeeded)
            {
                var (why, hint) = WhyItConnected(outcome, request, scenario);
                throw new GradingFailure($"An HttpClient over your handler got an answer from '{scenario}', which it must refuse: {why}.", tried,
                    outcome.ToString(), wanted, new Hint(Exercise, hint));
            }

            if (outcome.RefusedByTls && outcome.Validation is { } seen && seen.PolicyErrors == expected.PolicyErrors
                && seen.ChainStatus.HasFlag(expected.ChainStatus))
            {
                if (scenario == "incomplete-chain")
                {
                    // The lab's leaves name no caIssuers address, so the refusal above says nothing about downloads; this server's does.
                    await IncompleteChainStaysIncompleteAsync(api, cancellationToken);
                }

                return;
            }

            var (cause, hint2) = Diagnose(outcome, request, lab.RootCertificate);
            throw new GradingFailure($"An HttpClient over your handler refused '{scenario}', but not for its own reason: {cause}.", tried,
                outcome.ToString(), wanted, new Hint(Exercise, hint2));
        }
    }

    /// <summary>An intermediate the server left out is not fetched from the address its leaf names: the request is refused with PartialChain.</summary>
    private static async Task IncompleteChainStaysIncompleteAsync(HttpClientApi api, CancellationToken cancellationToken)
    {
        const string host = "downloadable-intermediate.localhost";
        var (request, call) = Make(api, RevocationChains.Instance.Root, "the test chains' root", null);
        using (request)
        {
            var (outcome, fetched) = await DownloadableIntermediateCheck.RunAsync(host,
                endPoint => request.GetAsync(endPoint, host, cancellationToken));
            if (outcome.RefusedByTls && outcome.Validation is { } seen && seen.ChainStatus.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                return;
            }

            var policy = request.Handler.SslOptions.CertificateChainPolicy;
            var why = fetched > 0
                ? $"it downloaded the missing intermediate from the address in the certificate ({fetched} time(s))" +
                    (policy is { DisableCertificateDownloads: false } ? ": DisableCertificateDownloads is false" : string.Empty)
                : "the chain was not refused as incomplete";
            throw new GradingFailure(
                outcome.Succeeded
                    ? $"An HttpClient over your handler got an answer from a server that did not send its intermediate: {why}."
                    : $"An HttpClient over your handler refused a server that did not send its intermediate, but not as an incomplete chain: {why}.",
                $"{call}, then GET https://{host}/ through an HttpClient over it, to a test server that presents " +
                    $"{DownloadableIntermediateCheck.Presents} ({Settings(request)})",
                outcome.ToString(),
                "an HttpRequestException wrapping an AuthenticationException, with chain status PartialChain: a server must send its " +
                    "intermediates; DisableCertificateDownloads = true in the chain policy keeps the handler from fetching what it left out",
                new Hint(Exercise, 1));
        }
    }

    /// <summary>Property: trust goes no further than the root given: a certificate for the very name asked, from a root the machine trusts,
    /// is refused as an untrusted chain.</summary>
    public static async Task MachineTrustedRootIsRefusedAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "machine-trusted.localhost";
        var (request, call, result) = await MachineTrustCheck.RunAsync(host, async endPoint =>
        {
            // Made inside the trust window: code that copies the machine's roots does so when it makes the handler.
            var (request, call) = Make(api, lab.RootCertificate, "lab root", null);
            return (request, call, await request.GetAsync(endPoint, host, cancellationToken));
        });
        using var disposeRequest = request;
        var settings = Settings(request);
        if (!result.Succeeded && result.RefusedByTls && result.Validation is { } seen && (seen.ChainStatus & MachineTrustCheck.TrustFlags) != 0)
        {
            return;
        }

        var policy = request.Handler.SslOptions.CertificateChainPolicy;
        var (why, hint) = result.Succeeded || policy is null || policy.TrustMode == X509ChainTrustMode.System
            ? WhyItConnected(result with { Status = 0 }, request, "machine-trusted")
            : Diagnose(result, request, lab.RootCertificate);
        throw new GradingFailure(
            result.Succeeded
                ? $"An HttpClient over your handler accepted a certificate from a root the machine trusts, which is not the root it was given: {why}."
                : $"An HttpClient over your handler trusted a chain to a root the machine trusts, and refused it only for another reason: {why}.",
            $"{call}, then GET https://{host}/ through an HttpClient over it, to a test server that presents {MachineTrustCheck.Presents} " +
                $"(added to this user's trust store for the check, then removed; {settings})",
            result.ToString(),
            "an HttpRequestException wrapping an AuthenticationException, with chain status UntrustedRoot or PartialChain: the root given is the " +
                "only one trusted",
            new Hint(Exercise, hint));
    }

    /// <summary>
    /// Property: every certificate of the chain counts, and no answer is no proof: a chain whose intermediate is revoked, expired, or
    /// of unknown status (its CRL address does not answer), and a leaf whose OCSP responder answers 'unknown', are refused for that reason;
    /// a chain whose every status is good gets 200.
    /// </summary>
    public static async Task EveryCertificateOfTheChainCountsAsync(HttpClientApi api, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        string host, teaches;
        X509ChainStatusFlags expected;
        SslStreamCertificateContext certificate;
        if (name == "ocsp-unknown")
        {
            host = "ocsp-unknown.localhost";
            var (leaf, intermediate, _) = chains.OcspUnknown(host);
            certificate = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true);
            teaches = "a leaf whose only revocation address is an OCSP responder that answers 'unknown' for it";
            expected = X509ChainStatusFlags.RevocationStatusUnknown;
        }
        else
        {
            var chain = chains[name];
            (host, teaches, expected, certificate) = (chain.Host, chain.Teaches, chain.Expected, chain.Certificate);
        }

        await using var server = new RecordingHttpServer([Ok], TimeSpan.Zero, certificate);
        var (request, call) = Make(api, chains.Root, "the test chains' root", null);
        using (request)
        {
            var outcome = await request.GetAsync(server.EndPoint, host, cancellationToken);
            var tried = $"{call}, then GET https://{host}/ through an HttpClient over it, to a test server at {server.EndPoint} that presents " +
                (expected == X509ChainStatusFlags.NoError ? "a leaf and an intermediate that no one revoked, each naming a CRL that answers" :
                    name == "ocsp-unknown" ? teaches : $"a good leaf under {teaches}") + $" ({Settings(request)})";
            if (expected == X509ChainStatusFlags.NoError)
            {
                if (outcome.Succeeded)
                {
                    return;
                }

                var (cause, hint) = Diagnose(outcome, request, chains.Root);
                throw new GradingFailure($"An HttpClient over your handler refused a chain whose every certificate is good and answered for: {cause}.",
                    tried, outcome.ToString(), "HTTP 200: both CRLs answer, and neither lists a certificate of the chain", new Hint(Exercise, hint));
            }

            var wanted = $"an HttpRequestException wrapping an AuthenticationException, with chain status {expected}: " +
                (name == "ocsp-unknown" ? "'unknown' is no proof that the certificate is good" : "the intermediate's status counts as much as the leaf's");
            if (outcome.Succeeded)
            {
                var (why, hint) = WhyItConnected(outcome, request, name);
                throw new GradingFailure($"An HttpClient over your handler accepted {(name == "ocsp-unknown" ? teaches : $"a chain with {teaches}")}: {why}.",
                    tried, outcome.ToString(), wanted, new Hint(Exercise, hint));
            }

            if (!outcome.RefusedByTls || outcome.Validation is not { } seen || !seen.ChainStatus.HasFlag(expected))
            {
                var (cause, hint) = Diagnose(outcome, request, chains.Root);
                throw new GradingFailure($"An HttpClient over your handler refused {(name == "ocsp-unknown" ? teaches : $"a chain with {teaches}")}, " +
                    $"but not for that reason: {cause}.", tried, outcome.ToString(), wanted, new Hint(Exercise, hint));
            }
        }
    }

    /// <summary>
    /// Property: a connection reset in the handshake reaches the caller as an HttpRequestException, on the one connection the request made
    /// (no second attempt behind its back, where an attacker could choose what it gets); the next request is served.
    /// </summary>
    public static async Task ResetSurfacesAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "reset.localhost";
        var certificate = ServerCertificates.CreateContext(lab.Pki.IssueServerCertificate(host), [lab.Pki.Intermediate.PublicCertificate]);
        await using var server = new ResetFirstServer(certificate);
        var (request, call) = Make(api, lab.RootCertificate, "lab root", null);
        using (request)
        {
            var first = await request.GetAsync(server.EndPoint, host, cancellationToken);
            var tried = $"{call}, then GET https://{host}/ twice through one HttpClient over it, to a test server at {server.EndPoint} that resets " +
                "the first connection once the ClientHello arrives and serves every later one";
            if (first.Succeeded || first.Error is not HttpRequestException || server.Connections != 1)
            {
                throw new GradingFailure(
                    first.Succeeded
                        ? $"The first request got an answer although its connection was reset: the handler tried again ({server.Connections} connections)."
                        : $"The reset did not reach the caller as one failed request on one connection ({server.Connections} connections).",
                    tried,
                    $"first request: {first}; the server accepted {server.Connections} connection(s)",
                    "the first request fails with an HttpRequestException after exactly one connection: a retry is the caller's decision, made " +
                        "knowingly, never the handler's",
                    new Hint(Exercise, 3));
            }

            var second = await request.GetAsync(server.EndPoint, host, cancellationToken);
            if (!second.Succeeded)
            {
                var (cause, hint) = Diagnose(second, request, lab.RootCertificate);
                throw new GradingFailure($"After a reset, the next request through the same HttpClient failed too: {cause}.", tried,
                    $"second request: {second}", "HTTP 200 on a new connection: one reset must not break the handler", new Hint(Exercise, hint));
            }
        }
    }

    /// <summary>
    /// Property: the client certificate goes with the handler it was given to and no other: a handler given one gets through the lab's
    /// client-cert-required and presents exactly that one to a server that asks; a handler given none presents none, even when this user's
    /// store holds a suitable certificate and another handler was given one just before.
    /// </summary>
    public static async Task ClientCertificateOnlyWhenGivenAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        using var mine = lab.Pki.IssueClientCertificate("exercise 10 client");
        var required = lab["client-cert-required"];
        var (withCertificate, call) = Make(api, lab.RootCertificate, "lab root", mine, "the client certificate");
        using (withCertificate)
        {
            var outcome = await withCertificate.GetAsync(required.EndPoint, required.Host, cancellationToken);
            if (!outcome.Succeeded)
            {
                var (cause, hint) = outcome.Validation is { Passed: true } || outcome.Validation is null
                    ? ("the lab refused the client: was the certificate sent? (ClientCertificateContext, or ClientCertificates in the SslOptions)", 4)
                    : Diagnose(outcome, withCertificate, lab.RootCertificate);
                throw new GradingFailure($"An HttpClient over a handler given a client certificate could not get 'client-cert-required': {cause}.",
                    $"{call}, then GET https://{required.Host}:{required.EndPoint.Port}/ ('client-cert-required' demands a certificate from the lab)",
                    outcome.ToString(), "HTTP 200: the handler presents the certificate it was given", new Hint(Exercise, hint));
            }
        }

        const string host = "asks.localhost";
        var certificate = ServerCertificates.CreateContext(lab.Pki.IssueServerCertificate(host), [lab.Pki.Intermediate.PublicCertificate]);
        await using var server = new CertificateAskingServer(certificate);
        (withCertificate, call) = Make(api, lab.RootCertificate, "lab root", mine, "the client certificate");
        using (withCertificate)
        {
            var outcome = await withCertificate.GetAsync(server.EndPoint, host, cancellationToken);
            var presented = server.Presented.LastOrDefault();
            if (!outcome.Succeeded || presented != mine.GetCertHashString())
            {
                throw new GradingFailure("A handler given a client certificate did not present exactly that certificate to a server that asked.",
                    $"{call}, then GET https://{host}/ to a test server that asks every client for a certificate and serves it whatever it presents",
                    $"{outcome}; the server saw {(presented is null ? "no certificate" : $"a certificate with thumbprint {presented}")}",
                    $"the given certificate (thumbprint {mine.GetCertHashString()})", new Hint(Exercise, 4));
            }
        }

        using var other = lab.Pki.IssueClientCertificate("someone else in your certificate store");
        using (UserStoreClientCertificate.Add(other))
        {
            var (without, callWithout) = Make(api, lab.RootCertificate, "lab root", null);
            using (without)
            {
                var outcome = await without.GetAsync(server.EndPoint, host, cancellationToken);
                var presented = server.Presented.LastOrDefault();
                if (!outcome.Succeeded || presented is not null)
                {
                    var whose = presented == mine.GetCertHashString() ? "the certificate an earlier handler was given (kept in a static field?)"
                        : presented == other.GetCertHashString() ? "a certificate from this user's personal store (a selection callback, or " +
                            "HttpClientHandler's ClientCertificateOptions.Automatic, picks any certificate it finds there)"
                        : presented is null ? "no certificate, but the request failed" : $"a certificate with thumbprint {presented}";
                    throw new GradingFailure(
                        presented is null
                            ? "A handler given no client certificate could not get an answer from a server that asks for one and serves anyone."
                            : $"A handler given no client certificate presented one: {whose}.",
                        $"{callWithout} (just after a handler was given one, and while this user's personal store holds a client certificate " +
                            $"with its key, added for the check), then GET https://{host}/ to a test server that asks for a certificate",
                        $"{outcome}; the server saw {whose}",
                        "no certificate presented: a handler given none has none to present, and certificates in a store are not the caller's to hand out",
                        new Hint(Exercise, 4));
                }
            }
        }
    }

    /// <summary>
    /// Property: each call makes a handler of its own. Two handlers made at once with different roots are different objects with different
    /// options, and each reaches the server its own root vouches for and refuses the other's.
    /// </summary>
    public static async Task EachHandlerHasItsOwnTrustAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var made = await Task.WhenAll(
            Task.Run(() => Make(api, lab.RootCertificate, "lab root", null), cancellationToken),
            Task.Run(() => Make(api, chains.Root, "another root", null), cancellationToken));
        var ((a, callA), (b, callB)) = (made[0], made[1]);
        using (a)
        using (b)
        {
            var tried = $"{callA} and {callB} at once";
            var shared = ReferenceEquals(a.Handler, b.Handler) ? "the same SocketsHttpHandler"
                : ReferenceEquals(a.Handler.SslOptions, b.Handler.SslOptions) ? "two handlers sharing one SslOptions object"
                : a.Handler.SslOptions.CertificateChainPolicy is { } pa && ReferenceEquals(pa, b.Handler.SslOptions.CertificateChainPolicy)
                    ? "two handlers sharing one CertificateChainPolicy" : null;
            if (shared is not null)
            {
                throw new GradingFailure($"Two calls of Create with different roots returned {shared}: the second caller's trust is the first's.", tried,
                    $"they returned {shared}", "two handlers of their own, each with its own options and chain policy", new Hint(Exercise, 5));
            }

            var chain = chains["good-chain"];
            await using var chainServerA = new RecordingHttpServer([Ok], TimeSpan.Zero, chain.Certificate);
            await using var chainServerB = new RecordingHttpServer([Ok], TimeSpan.Zero, chain.Certificate);
            var good = lab["good"];
            var results = await Task.WhenAll(
                a.GetAsync(good.EndPoint, good.Host, cancellationToken),
                a.GetAsync(chainServerA.EndPoint, chain.Host, cancellationToken),
                b.GetAsync(chainServerB.EndPoint, chain.Host, cancellationToken),
                b.GetAsync(good.EndPoint, good.Host, cancellationToken));
            var expected = new[] { true, false, true, false };
            var what = new[]
            {
                $"the handler given the lab root, to 'good' (lab)", $"the handler given the lab root, to {chain.Host} (the other root's server)",
                $"the handler given the other root, to {chain.Host} (its own server)", $"the handler given the other root, to 'good' (lab)",
            };
            for (var i = 0; i < results.Length; i++)
            {
                if (results[i].Succeeded != expected[i])
                {
                    throw new GradingFailure(
                        $"Two handlers made at once with different roots do not each trust their own root: {what[i]} " +
                            $"{(expected[i] ? "was refused" : "got an answer")}.",
                        $"{tried}, then four requests at once, each handler to a server of each root",
                        string.Join("; ", what.Select((w, j) => $"{w}: {results[j]}")),
                        "each handler reaches the server its own root vouches for and refuses the other's: nothing the first call set up may " +
                            "leak into the second",
                        new Hint(Exercise, 5));
                }
            }
        }
    }

    /// <summary>
    /// Property: the name checked is the name in the URI (or its Host header), compared as names are: case does not matter, and an IP literal is
    /// checked against the certificate's IP addresses like any name.
    /// </summary>
    public static async Task TheNameInTheUriIsCheckedAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var shouted = good.Host.ToUpperInvariant();
        var (request, call) = Make(api, lab.RootCertificate, "lab root", null);
        using (request)
        {
            var outcome = await request.GetAsync(good.EndPoint, shouted, cancellationToken);
            if (!outcome.Succeeded)
            {
                var (cause, hint) = Diagnose(outcome, request, lab.RootCertificate);
                throw new GradingFailure($"An HttpClient over your handler refused 'good' asked for as {shouted}: {cause}.",
                    $"{call}, then GET https://{shouted}:{good.EndPoint.Port}/ ('good', whose certificate names {good.Host})", outcome.ToString(),
                    "HTTP 200: DNS names are compared ignoring case", new Hint(Exercise, hint));
            }
        }

        // The address the URI names, 127.0.0.1, is not among the certificate's: it names another address and a DNS name.
        var certificate = ServerCertificates.CreateContext(
            lab.Pki.IssueServerCertificate("ip-literal.localhost", KeyKind.EcdsaP256, IPAddress.Parse("127.0.0.2")), [lab.Pki.Intermediate.PublicCertificate]);
        await using var server = new RecordingHttpServer([Ok], TimeSpan.Zero, certificate);
        (request, call) = Make(api, lab.RootCertificate, "lab root", null);
        using (request)
        {
            var outcome = await request.GetAsync(server.EndPoint, host: null, cancellationToken);
            if (outcome.RefusedByTls && outcome.Validation is { } seen && seen.PolicyErrors == SslPolicyErrors.RemoteCertificateNameMismatch)
            {
                return;
            }

            var (why, hint) = outcome.Succeeded ? WhyItConnected(outcome, request, "ip-literal") : Diagnose(outcome, request, lab.RootCertificate);
            throw new GradingFailure(
                $"An HttpClient over your handler {(outcome.Succeeded ? "accepted" : "refused, but not as a name mismatch,")} a certificate that does not " +
                    $"name the IP address in the URI: {why}.",
                $"{call}, then GET https://{server.EndPoint}/ (an IP literal) to a test server whose certificate, from the lab root, names " +
                    "ip-literal.localhost and 127.0.0.2, not 127.0.0.1",
                outcome.ToString(),
                "an HttpRequestException wrapping an AuthenticationException, with policy errors RemoteCertificateNameMismatch: an address is " +
                    "checked against the certificate's IP addresses like any name",
                new Hint(Exercise, hint));
        }
    }

    /// <summary>Property: Create and a request through its handler leave no file holding the client certificate or its key, and add nothing to
    /// this user's certificate stores (the root given, or the client certificate).</summary>
    public static async Task LeavesNothingBehindAsync(Lab lab, HttpClientApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        using var mine = lab.Pki.IssueClientCertificate("exercise 10 side effects");
        var root = lab.RootCertificate;
        var ours = new[] { root.Thumbprint, mine.Thumbprint };

        // A leftover of an earlier call (in this run or a crashed one) would hide what this call adds.
        RemoveFromStores(ours);
        var stores = CertificateStores.Now();
        var files = KeyFilesOnDisk.Start(mine);
        var required = lab["client-cert-required"];
        var (request, call) = Make(api, root, "lab root", mine, "a client certificate");
        HandlerOutcome outcome;
        using (request)
        {
            outcome = await request.GetAsync(required.EndPoint, required.Host, cancellationToken);
        }

        var added = CertificateStores.Added(stores, c => !ours.Contains(c.Thumbprint, StringComparer.Ordinal));
        RemoveFromStores(ours);
        if (request.RootAddedToStore)
        {
            added = [$"CurrentUser\\Root: {root.Subject}", .. added];
        }

        var found = files.Find();
        KeyFilesOnDisk.Delete(found);
        if (added.Count > 0 || found.Count > 0)
        {
            var what = string.Join("; ", added.Concat(found.Select(f => f.ToString())));
            throw new GradingFailure(
                added.Count > 0
                    ? "Create changed this user's certificate stores: trust and keys given to one handler became the whole machine's."
                    : "Create left the client certificate or its key in a file on disk.",
                $"{call}, then GET 'client-cert-required' through it; the stores (CurrentUser Root, CA, My) and the temp, home and current folders " +
                    "compared before and after",
                $"{what} (removed by the grader); the request: {outcome}",
                "nothing added anywhere: a root in CustomTrustStore and a certificate in ClientCertificateContext live in memory, with the handler",
                new Hint(Exercise, 6));
        }
    }

    /// <summary>The handler's TLS settings, for messages (the attendee's own, not the grader's watch).</summary>
    private static string Settings(HandlerRequest request)
    {
        var ssl = request.Handler.SslOptions;
        var policy = ssl.CertificateChainPolicy;
        var trust = policy is null
            ? "no CertificateChainPolicy (the machine's trust store)"
            : $"CertificateChainPolicy with TrustMode {policy.TrustMode}, {policy.CustomTrustStore.Count} certificate(s) in CustomTrustStore, " +
                $"RevocationMode {policy.RevocationMode}, RevocationFlag {policy.RevocationFlag}" +
                (policy.VerificationFlags == X509VerificationFlags.NoFlag ? string.Empty : $", VerificationFlags {policy.VerificationFlags}");
        return $"{trust}, {(request.HasOwnCallback ? "a RemoteCertificateValidationCallback" : "no validation callback")}";
    }

    /// <summary>Why a request that should have been refused got an answer, most likely cause first.</summary>
    private static (string Why, int Hint) WhyItConnected(HandlerOutcome outcome, HandlerRequest request, string scenario)
    {
        var ssl = request.Handler.SslOptions;
        var policy = ssl.CertificateChainPolicy;
        if (outcome.Validation is { Passed: false } && request.HasOwnCallback)
        {
            return ("your RemoteCertificateValidationCallback returned true where .NET's own check had found errors " +
                "(DangerousAcceptAnyServerCertificateValidator, or a chain built again on terms of its own)", 3);
        }

        if (outcome.Validation is null)
        {
            return ("no certificate check ran for this request (a connection kept from an earlier request?)", 5);
        }

        var mode = policy?.RevocationMode ?? ssl.CertificateRevocationCheckMode;
        if (scenario is "revoked" or "revoked-intermediate" or "intermediate-status-unanswered" or "ocsp-unknown")
        {
            if (mode == X509RevocationMode.NoCheck)
            {
                return ("RevocationMode is NoCheck, so nobody was asked whether a certificate was revoked", 2);
            }

            if (policy is not null && (policy.VerificationFlags & SoftFailFlags) != 0)
            {
                return ($"VerificationFlags {policy.VerificationFlags} accept a certificate whose revocation status is unknown (soft fail)", 2);
            }

            if (policy is { RevocationFlag: X509RevocationFlag.EndCertificateOnly })
            {
                return ("RevocationFlag EndCertificateOnly checks the leaf alone", 2);
            }
        }

        if (policy is not null && (policy.VerificationFlags & ~SoftFailFlags) != 0)
        {
            return ($"VerificationFlags {policy.VerificationFlags} tell .NET to forgive chain errors", 1);
        }

        if (policy is null || policy.TrustMode == X509ChainTrustMode.System)
        {
            return ($"{(policy is null ? "there is no CertificateChainPolicy" : "TrustMode is System")}, so the machine's trust store decides", 1);
        }

        if (scenario == "incomplete-chain" && !policy.DisableCertificateDownloads)
        {
            return ("certificate downloads are on, so .NET fetched the intermediate the server left out", 1);
        }

        return ($"the handler trusts more than the root it was given ({Settings(request)})", 1);
    }

    /// <summary>The cause a refusal shows, in the order a learner should fix them, with the hint for it.</summary>
    private static (string Cause, int Hint) Diagnose(HandlerOutcome outcome, HandlerRequest request, X509Certificate2 root)
    {
        var ssl = request.Handler.SslOptions;
        var policy = ssl.CertificateChainPolicy;
        var validation = outcome.Validation;
        if (outcome.Error is not HttpRequestException)
        {
            return ($"the request did not end as HttpClient reports a network or TLS failure ({Attempt.OneLine(outcome.Error!)})", 1);
        }

        if (validation is null)
        {
            return ssl.EnabledSslProtocols is not (System.Security.Authentication.SslProtocols.None
                or (System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13))
                ? ($"the handshake failed before any certificate was checked, and EnabledSslProtocols is {ssl.EnabledSslProtocols} (leave it at None, " +
                    "the platform's choice, or say Tls12 | Tls13)", 1)
                : ($"the handshake failed before any certificate was checked ({Attempt.OneLine(outcome.Error)})", 1);
        }

        var status = validation.ChainStatus;
        if (validation.Passed)
        {
            return request.HasOwnCallback
                ? ("your RemoteCertificateValidationCallback refused a certificate .NET's own check accepted", 3)
                : ($"the handshake failed after the certificate was accepted ({Attempt.OneLine(outcome.Error)})", 4);
        }

        if ((status & NoAnswer) != 0 && (validation.PolicyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) == 0
            && (status & ~NoAnswer) == 0)
        {
            var mode = policy?.RevocationMode ?? ssl.CertificateRevocationCheckMode;
            return mode == X509RevocationMode.Offline
                ? ($"revocation status unknown ({status & NoAnswer}): RevocationMode Offline looks only in the cache; Online asks", 2)
                : ($"revocation status unknown ({status & NoAnswer}) for a certificate whose CRL and OCSP addresses answer (a proxy in " +
                    $"HTTP_PROXY, or a UrlRetrievalTimeout too short to hear the answer?)", 2);
        }

        if ((status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0
            && (policy is null || policy.TrustMode != X509ChainTrustMode.CustomRootTrust
                || !policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(root.RawData))))
        {
            return (policy is { TrustMode: not X509ChainTrustMode.CustomRootTrust } && policy.CustomTrustStore.Count > 0
                ? $"the chain does not reach a trusted root: the root is in CustomTrustStore, but TrustMode is {policy.TrustMode}, so .NET ignores that " +
                    "store (TrustMode CustomRootTrust makes it count)"
                : "the chain does not reach a trusted root: trust the given root alone, with TrustMode CustomRootTrust and the root in CustomTrustStore", 1);
        }

        return ($"policy errors {validation.PolicyErrors}, chain status {status}", 1);
    }

    private static void RemoveFromStores(string[] thumbprints)
    {
        foreach (var name in new[] { StoreName.Root, StoreName.CertificateAuthority, StoreName.My })
        {
            using var store = new X509Store(name, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            foreach (var certificate in store.Certificates.Where(c => thumbprints.Contains(c.Thumbprint, StringComparer.Ordinal)).ToList())
            {
                store.Remove(certificate);
            }
        }
    }

    private static bool IsInUserRootStore(X509Certificate2 root)
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        return store.Certificates.Any(c => c.Thumbprint == root.Thumbprint);
    }

    private static (HandlerRequest Request, string Call) Make(HttpClientApi api, X509Certificate2 root, string rootName, X509Certificate2? client,
        string clientName = "null")
    {
        var call = $"SecureHandler.Create({rootName}, {clientName})";
        var trusted = IsInUserRootStore(root);
        var handler = Attempt.Call(call, new Hint(Exercise, 1), () => api.Create(root, client));

        // What Create adds to the machine is undone at once (the side-effects task reports it): other checks of this run, and other
        // programs of this user, must not trust the lab root because of it.
        var undone = !trusted && IsInUserRootStore(root);
        if (undone)
        {
            RemoveFromStores([root.Thumbprint]);
        }

        _ = handler ?? throw new GradingFailure("Create returned null.", call, "it returned null", "a new SocketsHttpHandler", new Hint(Exercise, 1));
        var request = Attempt.Call($"{call}, then watching its SslOptions", new Hint(Exercise, 5), () => new HandlerRequest(handler));
        request.RootAddedToStore = undone;
        return (request, call);
    }
}
