using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 8: a client that checks revocation online and fails closed.
/// </summary>
/// <remarks>
/// .NET caches the CRLs it downloads, so a client left at <see cref="X509RevocationMode.Offline"/> can look right
/// against a lab whose CRL an earlier check fetched. The checks that tell Online from Offline therefore use a
/// lab of their own, started for that check, whose addresses nothing has asked before; and the hard-fail check
/// uses a certificate whose lab has stopped, so that no answer can come.
/// </remarks>
public static class RevocationGrader
{
    private const int Exercise = 8;

    private const X509ChainStatusFlags NoAnswer = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    private const X509VerificationFlags SoftFailFlags =
        X509VerificationFlags.IgnoreEndRevocationUnknown
        | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown
        | X509VerificationFlags.IgnoreRootRevocationUnknown
        | X509VerificationFlags.IgnoreCtlSignerRevocationUnknown;

    /// <summary>The endpoints a revocation-checking client accepts: one plain, one whose server staples its OCSP answer.</summary>
    public static IReadOnlyList<string> AcceptedScenarios { get; } = ["good", "ocsp-stapled"];

    /// <summary>Exercise 2's broken endpoints, which checking revocation must not stop refusing.</summary>
    public static IReadOnlyList<string> OtherRefusals { get; } = ["expired", "self-signed", "untrusted-root", "wrong-host", "incomplete-chain"];

    /// <summary>Property: options from CreateOptions(name, lab root) accept <paramref name="scenario"/>, a good certificate that is not revoked.</summary>
    public static async Task GoodIsAcceptedAsync(Lab lab, RevocationApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var (options, call) = CreateOptions(api, endpoint.Host, lab.RootCertificate);
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded)
        {
            if (scenario == "good")
            {
                await AttackerInTheMiddle.ReadsNothingFromAsync(lab, call, host => CreateOptions(api, host, lab.RootCertificate).Options,
                    (new Hint(Exercise, 4), new Hint(Exercise, 1)), cancellationToken);
            }

            return;
        }

        var (cause, hint) = Diagnose(outcome, options, lab.RootCertificate);
        throw new GradingFailure(
            $"A client built with CreateOptions refused '{scenario}', a good certificate nobody revoked: {cause}.",
            $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)}; {Revocation(options)})",
            Describe.Outcome(outcome),
            $"the handshake succeeds: '{scenario}' chains to the lab root, and the lab's OCSP responder and CRL say it is good" +
                (scenario == "ocsp-stapled" ? " (this server also staples that answer to its handshake)" : string.Empty),
            new Hint(Exercise, hint));
    }

    /// <summary>Property: options from CreateOptions refuse a revoked certificate because it is revoked, asking a lab that no check has asked
    /// before (so nothing cached can answer for it).</summary>
    public static async Task RevokedIsRefusedAsRevokedAsync(RevocationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        await using var fresh = await Lab.StartAsync(new LabOptions { Scenarios = ["revoked"] }, cancellationToken);
        var revoked = fresh["revoked"];
        var expected = revoked.Scenario.Rejection!;
        var (options, call) = CreateOptions(api, revoked.Host, fresh.RootCertificate);
        var tried = $"{call} with a lab started for this check, then a TLS handshake with 'revoked' at {revoked.EndPoint} ({Revocation(options)}); " +
            "its intermediate revoked this certificate, and nothing has asked this lab's CRL or OCSP addresses before";
        var outcome = await TlsClient.ConnectAsync(revoked.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded)
        {
            var (why, hint) = WhyItConnected(outcome, options);
            throw new GradingFailure(
                $"Your client connected to 'revoked', whose certificate its CA has revoked: {why}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}",
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }

        if (outcome.Validation is not { } validation || !validation.ChainStatus.HasFlag(X509ChainStatusFlags.Revoked))
        {
            var (cause, hint) = Diagnose(outcome, options, fresh.RootCertificate);
            throw new GradingFailure(
                $"Your client refused 'revoked', but not because it is revoked: {cause}.",
                tried,
                Describe.Outcome(outcome),
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }
    }

    /// <summary>Property: when no CRL or OCSP answer can be had (the certificate's lab has stopped), options from CreateOptions refuse the
    /// certificate: they fail closed.</summary>
    public static async Task UnanswerableIsRefusedAsync(RevocationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string host = "unanswered.localhost";
        X509Certificate2 root;
        SslStreamCertificateContext certificate;
        await using (var stopped = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, cancellationToken))
        {
            root = X509CertificateLoader.LoadCertificate(stopped.RootCertificate.RawData);
            certificate = ServerCertificates.CreateContext(stopped.Pki.IssueServerCertificate(host), [stopped.Pki.Intermediate.PublicCertificate]);
        }

        using (root)
        {
            await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
                certificate);
            var (options, call) = CreateOptions(api, host, root);
            var tried = $"{call}, then a TLS handshake with a test server at {server.EndPoint} whose certificate comes from a lab that has " +
                $"stopped, so its CRL and OCSP addresses answer nothing ({Revocation(options)})";
            var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(15), cancellationToken);
            const string expected = "a refusal with chain status RevocationStatusUnknown (and OfflineRevocation): no answer is no proof, so the client " +
                "fails closed";
            if (outcome.Succeeded)
            {
                var (why, hint) = WhyItConnected(outcome, options);
                throw new GradingFailure(
                    $"Your client accepted a certificate whose revocation status nobody could give: {why}.",
                    tried,
                    $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}",
                    expected,
                    new Hint(Exercise, hint));
            }

            if (outcome.Validation is not { } validation || (validation.ChainStatus & NoAnswer) == 0)
            {
                var (cause, hint) = Diagnose(outcome, options, root);
                throw new GradingFailure(
                    $"Your client refused a certificate whose revocation status nobody could give, but for another reason: {cause}.",
                    tried,
                    Describe.Outcome(outcome),
                    expected,
                    new Hint(Exercise, hint));
            }
        }
    }

    /// <summary>Property: an OCSP responder that answers <c>unknown</c> for the leaf gives no proof: options from CreateOptions refuse the
    /// certificate as RevocationStatusUnknown (they fail closed), as if nobody had answered.</summary>
    public static async Task OcspUnknownIsRefusedAsync(RevocationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string host = "ocsp-unknown.localhost";
        var chains = RevocationChains.Instance;
        var (leaf, intermediate, responder) = chains.OcspUnknown(host);
        using (intermediate)
        {
            var certificate = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true);
            await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
                certificate);
            var (options, call) = CreateOptions(api, host, chains.Root);
            var tried = $"{call}, then a TLS handshake with a test server at {server.EndPoint} whose leaf names no CRL, only an OCSP responder " +
                $"on loopback, which answers 'unknown' for it, signed by the issuer ({Revocation(options)})";
            var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(15), cancellationToken);
            const string expected = "a refusal with chain status RevocationStatusUnknown: 'unknown' is no proof that the certificate is good, so the " +
                "client fails closed";
            if (outcome.Succeeded)
            {
                var (why, hint) = WhyItConnected(outcome, options);
                throw new GradingFailure(
                    $"Your client accepted a certificate whose OCSP responder answered 'unknown': {why}.",
                    tried,
                    $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}; the responder was asked {chains.Fetches(responder)} " +
                        "time(s)",
                    expected,
                    new Hint(Exercise, hint));
            }

            if (outcome.Validation is not { } validation || (validation.ChainStatus & NoAnswer) == 0)
            {
                var (cause, hint) = Diagnose(outcome, options, chains.Root);
                throw new GradingFailure(
                    $"Your client refused a certificate whose OCSP responder answered 'unknown', but for another reason: {cause}.",
                    tried,
                    Describe.Outcome(outcome),
                    expected,
                    new Hint(Exercise, hint));
            }
        }
    }

    /// <summary>Chains whose intermediate, not leaf, decides: see <see cref="RevocationChains"/>.</summary>
    public static IReadOnlyList<string> IntermediateChains => RevocationChains.Names;

    /// <summary>
    /// Property: revocation and validity are checked for every certificate of the chain, not only the leaf: a chain whose intermediate is
    /// revoked, expired, or of unknown status (its CRL address does not answer, while the leaf's does) is refused for that reason, and a
    /// chain whose every status is good is accepted.
    /// </summary>
    public static async Task EveryCertificateOfTheChainCountsAsync(RevocationApi api, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var chain = chains[name];
        var (options, call) = CreateOptions(api, chain.Host, chains.Root);
        call = call.Replace("lab root", "the test chains' root", StringComparison.Ordinal);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            chain.Certificate);
        var tried = $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents " +
            (chain.Expected == X509ChainStatusFlags.NoError
                ? "a leaf and an intermediate that no one revoked, each naming a CRL that answers"
                : $"a good leaf under {chain.Teaches}") + $" ({Revocation(options)})";
        var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(15), cancellationToken);
        if (chain.Expected == X509ChainStatusFlags.NoError)
        {
            if (outcome.Succeeded)
            {
                return;
            }

            var (cause, hint) = Diagnose(outcome, options, chains.Root);
            throw new GradingFailure(
                $"Your client refused a chain whose every certificate is good and answered for: {cause}.",
                tried,
                Describe.Outcome(outcome),
                "the handshake succeeds: both CRLs answer, and neither lists a certificate of the chain",
                new Hint(Exercise, hint));
        }

        var expected = $"a refusal with chain status {chain.Expected}: the intermediate vouches for the leaf, so its status counts as much as the " +
            "leaf's";
        if (outcome.Succeeded)
        {
            var (why, hint) = WhyItConnected(outcome, options);
            throw new GradingFailure(
                $"Your client accepted a chain with {chain.Teaches}: {why}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}",
                expected,
                new Hint(Exercise, hint));
        }

        if (outcome.Validation is not { } validation || !validation.ChainStatus.HasFlag(chain.Expected))
        {
            var (cause, hint) = Diagnose(outcome, options, chains.Root);
            throw new GradingFailure(
                $"Your client refused a chain with {chain.Teaches}, but not for that reason: {cause}.",
                tried,
                Describe.Outcome(outcome),
                expected,
                new Hint(Exercise, hint));
        }
    }

    /// <summary>Property: trust goes no further than the root given: a certificate from a root the machine trusts is refused as an untrusted chain
    /// (not merely because nobody answered for its revocation status).</summary>
    public static async Task MachineTrustedRootIsRefusedAsync(Lab lab, RevocationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "machine-trusted.localhost";
        await MachineTrustCheck.ExpectRefusedAsync(host, () => CreateOptions(api, host, lab.RootCertificate), new Hint(Exercise, 1), cancellationToken);
    }

    /// <summary>Property: each call of CreateOptions returns options of its own (twice in a row, and at once from several threads).</summary>
    public static void ReturnsFreshOptions(Lab lab, RevocationApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        FreshOptionsCheck.Expect(api.CreateOptions, "RevocationCheck.CreateOptions", (lab.RootCertificate, RevocationChains.Instance.Root),
            new Hint(Exercise, 1));
    }

    /// <summary>Property: options from CreateOptions still refuse each of exercise 2's broken endpoints for its own reason.</summary>
    public static async Task OtherRefusalsStayAsync(Lab lab, RevocationApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not a scenario a careful client refuses.",
            nameof(scenario));
        var (options, call) = CreateOptions(api, endpoint.Host, lab.RootCertificate);
        var tried = $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)})";
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded)
        {
            var (why, hint) = WhyItConnected(outcome, options);
            throw new GradingFailure(
                $"Your client connected to '{scenario}', which exercise 2's client refused ({expected.Summary}): {why}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}",
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }

        if (!Refusal.IsForItsOwnReason(outcome, expected))
        {
            var (cause, hint) = Diagnose(outcome, options, lab.RootCertificate);
            throw new GradingFailure(
                $"Your client refused '{scenario}', but for the wrong reason: {cause}.",
                tried,
                Describe.Outcome(outcome),
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }
    }

    /// <summary>Why a handshake that should have failed succeeded, most likely cause first.</summary>
    private static (string Why, int Hint) WhyItConnected(HandshakeOutcome outcome, SslClientAuthenticationOptions options)
    {
        if (outcome.Validation is { Passed: false } && options.RemoteCertificateValidationCallback is not null)
        {
            return ("your RemoteCertificateValidationCallback returned true where .NET's own check had found errors", 4);
        }

        var policy = options.CertificateChainPolicy;
        var mode = policy?.RevocationMode ?? options.CertificateRevocationCheckMode;
        if (mode == X509RevocationMode.NoCheck)
        {
            return ("RevocationMode is NoCheck, so nobody was asked whether the certificate was revoked", 2);
        }

        if (policy is not null && (policy.VerificationFlags & SoftFailFlags) != 0)
        {
            return ($"VerificationFlags {policy.VerificationFlags} accept a certificate whose revocation status is unknown (soft fail)", 3);
        }

        if (policy is not null && (policy.VerificationFlags & ~SoftFailFlags) != 0)
        {
            return ($"VerificationFlags {policy.VerificationFlags} tell .NET to forgive chain errors", 4);
        }

        if (policy is not null && policy.RevocationFlag == X509RevocationFlag.EndCertificateOnly && mode != X509RevocationMode.NoCheck)
        {
            return ("RevocationFlag EndCertificateOnly checks the leaf alone", 2);
        }

        return ($"the options trust more than the lab root ({Describe.Trust(options)})", 1);
    }

    /// <summary>The cause a refusal shows, in the order a learner should fix them, with the hint for it.</summary>
    private static (string Cause, int Hint) Diagnose(HandshakeOutcome outcome, SslClientAuthenticationOptions options, X509Certificate2 root)
    {
        var validation = outcome.Validation;
        var policy = options.CertificateChainPolicy;
        if (validation is null)
        {
            return ($"the handshake failed before any certificate was checked ({outcome.Problem}: {outcome.Explanation})", 1);
        }

        var status = validation.ChainStatus;
        var mode = policy?.RevocationMode ?? options.CertificateRevocationCheckMode;
        if ((status & NoAnswer) != 0 && mode == X509RevocationMode.Offline)
        {
            return ($"revocation status unknown ({status & NoAnswer}): RevocationMode Offline looks only in what earlier checks left in the cache, " +
                "and nothing had asked this lab yet; Online fetches the CRL or asks the OCSP responder", 2);
        }

        // A fetch needs tens of milliseconds even on loopback: a client that allows less gives up before any answer can come.
        if ((status & NoAnswer) != 0 && policy is not null && policy.UrlRetrievalTimeout > TimeSpan.Zero
            && policy.UrlRetrievalTimeout < TimeSpan.FromSeconds(1))
        {
            return ($"revocation status unknown ({status & NoAnswer}) for a certificate whose lab is running, and your own UrlRetrievalTimeout is " +
                $"{policy.UrlRetrievalTimeout.TotalMilliseconds:0.####} ms: the client gave up before the CRL or OCSP answer could arrive (leave " +
                "it at its default)", 2);
        }

        if ((status & NoAnswer) != 0)
        {
            return ($"revocation status unknown ({status & NoAnswer}) for a certificate whose lab is running: the lab's CRL and OCSP " +
                "addresses were not reached (a proxy set in HTTP_PROXY or http_proxy is the usual cause; a client that gives up early, " +
                $"UrlRetrievalTimeout {policy?.UrlRetrievalTimeout.TotalMilliseconds ?? 0:0.####} ms where 0 is the default, is the other)", 5);
        }

        if (validation.Passed)
        {
            return options.RemoteCertificateValidationCallback is not null
                ? ("your RemoteCertificateValidationCallback refused a certificate .NET's own check accepted", 4)
                : ($"the handshake failed after the certificate was accepted ({outcome.Problem})", 1);
        }

        if ((status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0
            && (policy is null || policy.TrustMode != X509ChainTrustMode.CustomRootTrust
                || !policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(root.RawData))))
        {
            return ("the chain does not reach a trusted root: trust the lab root alone, with TrustMode CustomRootTrust and the root in CustomTrustStore, " +
                "as in exercise 2", 1);
        }

        if (validation.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return ($"a name mismatch: the options ask for '{options.TargetHost}' (TargetHost must be the targetHost argument)", 1);
        }

        return ($"TlsProblem.{outcome.Problem} (policy errors {validation.PolicyErrors}, chain status {status})", 1);
    }

    private static string Revocation(SslClientAuthenticationOptions options) => options.CertificateChainPolicy is { } policy
        ? $"RevocationMode {policy.RevocationMode}, RevocationFlag {policy.RevocationFlag}, VerificationFlags {policy.VerificationFlags}"
        : $"no chain policy, CertificateRevocationCheckMode {options.CertificateRevocationCheckMode}";

    private static (SslClientAuthenticationOptions Options, string Call) CreateOptions(RevocationApi api, string host, X509Certificate2 root)
    {
        var call = $"RevocationCheck.CreateOptions(\"{host}\", lab root)";
        var options = Attempt.Call(call, new Hint(Exercise, 1), () => api.CreateOptions(host, root));
        return (options ?? throw new GradingFailure("CreateOptions returned null.", call, "it returned null", "a new SslClientAuthenticationOptions",
            new Hint(Exercise, 1)), call);
    }
}
