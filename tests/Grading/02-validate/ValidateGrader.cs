using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 2: validate properly, trusting only the lab root.</summary>
public static class ValidateGrader
{
    private const int Exercise = 2;

    // Soft-fail revocation (accepting "status unknown") is a legitimate offline choice; every other
    // flag forgives a chain error a careful client must see.
    private const X509VerificationFlags RevocationUnknownFlags =
        X509VerificationFlags.IgnoreEndRevocationUnknown
        | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown
        | X509VerificationFlags.IgnoreRootRevocationUnknown
        | X509VerificationFlags.IgnoreCtlSignerRevocationUnknown;

    /// <summary>The endpoints a client trusting only the lab root must refuse, each for its own reason.</summary>
    public static IReadOnlyList<string> RefusedScenarios { get; } =
        ["expired", "not-yet-valid", "self-signed", "untrusted-root", "incomplete-chain", "wrong-host"];

    /// <summary>Extra endpoints whose certificates look right and are not: see <see cref="TrustFixtures"/>.</summary>
    public static IReadOnlyList<string> LookAlikeFixtures => TrustFixtures.Names;

    /// <summary>Property: options from CreateOptions(name, lab root) complete a handshake with the lab's good endpoint for that name.</summary>
    public static async Task GoodIsAcceptedAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var call = $"ValidatingClient.CreateOptions(\"{good.Host}\", lab root)";
        var options = CreateOptions(api, call, good.Host, lab.RootCertificate);
        if (options.TargetHost != good.Host)
        {
            throw new GradingFailure(
                $"CreateOptions set TargetHost to '{options.TargetHost}' instead of the targetHost argument.",
                call,
                $"options.TargetHost is '{options.TargetHost}'",
                $"TargetHost = \"{good.Host}\": the name the certificate must carry",
                new Hint(Exercise, 1));
        }

        var outcome = await TlsClient.ConnectAsync(good.EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Succeeded)
        {
            await AttackerInTheMiddle.ReadsNothingFromAsync(lab, call, host => CreateOptions(api, call, host, lab.RootCertificate),
                (new Hint(Exercise, 3), new Hint(Exercise, 2)), cancellationToken);
            return;
        }

        var (cause, hint) = Diagnose(outcome, options, lab.RootCertificate, expected: null);
        throw new GradingFailure(
            $"A client built with CreateOptions refused the lab's good endpoint: {cause}.",
            $"{call}, then a TLS handshake with 'good' at {good.EndPoint} ({Describe.Trust(options)})",
            Happened(outcome, options, lab.RootCertificate),
            "the handshake succeeds and GET / answers HTTP/1.1 200 OK: a client trusting the lab root must accept 'good'",
            new Hint(Exercise, hint));
    }

    /// <summary>Property: options from CreateOptions refuse <paramref name="scenario"/>, and .NET's reason is the one the lab documents (not another
    /// error that happens to refuse it too).</summary>
    public static async Task ScenarioIsRefusedForItsReasonAsync(Lab lab, ValidateApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not a scenario a careful client " +
            "refuses.", nameof(scenario));
        var call = $"ValidatingClient.CreateOptions(\"{endpoint.Host}\", lab root)";
        var options = CreateOptions(api, call, endpoint.Host, lab.RootCertificate);
        var tried = $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)})";

        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Succeeded)
        {
            var (why, hint) = WhyItConnected(outcome, options);
            throw new GradingFailure(
                $"Your client connected to '{scenario}', which it must refuse ({expected.Summary}): {why}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}{Forgiven(options)}",
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }

        if (!Refusal.IsForItsOwnReason(outcome, expected))
        {
            var (cause, hint) = Diagnose(outcome, options, lab.RootCertificate, expected);
            throw new GradingFailure(
                $"Your client refused '{scenario}', but for the wrong reason: {cause}.",
                tried,
                Happened(outcome, options, lab.RootCertificate),
                Describe.Refusal(expected),
                new Hint(Exercise, hint));
        }
    }

    /// <summary>
    /// Property: the only root the options trust is the lab root, and no verification flag forgives a
    /// chain error: the policy's CustomTrustStore holds the lab root alone (not the machine's roots as
    /// well), TrustMode is CustomRootTrust unless a callback decides, and VerificationFlags ignore at
    /// most revocation status that is unknown.
    /// </summary>
    public static void TrustsTheLabRootAlone(Lab lab, ValidateApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var host = lab["good"].Host;
        var call = $"ValidatingClient.CreateOptions(\"{host}\", lab root)";
        var options = CreateOptions(api, call, host, lab.RootCertificate);
        var policy = options.CertificateChainPolicy;
        var root = lab.RootCertificate;
        var tried = $"{call}, then a look at the chain policy it returns ({Describe.Trust(options)})";
        var expected = "CertificateChainPolicy with TrustMode CustomRootTrust and exactly one certificate in CustomTrustStore, the lab root " +
            $"('{root.Subject}')";

        if (policy is null || policy.TrustMode == X509ChainTrustMode.System)
        {
            // With a callback, the callback may build its own chain; the handshakes judge that.
            if (options.RemoteCertificateValidationCallback is null)
            {
                var what = policy is null ? "no CertificateChainPolicy" : "a CertificateChainPolicy with TrustMode System";
                throw new GradingFailure(
                    $"CreateOptions trusts the machine's trust store: {what}, so every root this machine trusts is trusted, and the trustedRoot " +
                        "argument is not.",
                    tried,
                    $"the options have {what}"
                        + (policy is { CustomTrustStore.Count: > 0 } ? $"; the {policy.CustomTrustStore.Count} certificate(s) in CustomTrustStore are " +
                            "ignored unless TrustMode is CustomRootTrust" : string.Empty),
                    expected,
                    new Hint(Exercise, 2));
            }
        }
        else
        {
            var others = policy.CustomTrustStore.Cast<X509Certificate2>().Where(c => !c.RawData.AsSpan().SequenceEqual(root.RawData)).ToList();
            if (others.Count > 0)
            {
                throw new GradingFailure(
                    $"CreateOptions trusts {others.Count} root(s) besides the lab root: CustomTrustStore holds {policy.CustomTrustStore.Count} certificates.",
                    tried,
                    "CustomTrustStore holds, besides the lab root: " +
                        $"{string.Join("; ", others.Take(3).Select(c => $"'{c.Subject}'"))}" +
                        $"{(others.Count > 3 ? $" and {others.Count - 3} more" : string.Empty)}. " +
                        "Any of them could vouch for a fake lab endpoint, and no test endpoint chains to them, so nothing else would show it",
                    expected,
                    new Hint(Exercise, 2));
            }
        }

        if (policy is not null && (policy.VerificationFlags & ~RevocationUnknownFlags) is var forgiving and not X509VerificationFlags.NoFlag)
        {
            throw new GradingFailure(
                $"CreateOptions switches part of the chain check off: VerificationFlags {policy.VerificationFlags}.",
                tried,
                $"VerificationFlags is {policy.VerificationFlags}: {Forgives(forgiving)}",
                "VerificationFlags NoFlag (at most the Ignore...RevocationUnknown flags, for revocation status that cannot be checked offline)",
                new Hint(Exercise, 3));
        }
    }

    /// <summary>
    /// Property: options from CreateOptions refuse certificates that look right but that the lab root
    /// never vouched for as a server: a chain to an impostor root with the lab root's name, a client-only
    /// certificate, a certificate signed by a non-CA. .NET must see a chain error, and nothing may overrule it.
    /// </summary>
    public static async Task LookAlikeIsRefusedAsync(Lab lab, ValidateApi api, string fixtureName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var fixture = TrustFixtures.For(lab)[fixtureName];
        var call = $"ValidatingClient.CreateOptions(\"{fixture.Host}\", lab root)";
        var options = CreateOptions(api, call, fixture.Host, lab.RootCertificate);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: " +
            "close\r\n\r\n"], TimeSpan.Zero, fixture.Certificate);
        var tried = $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents {fixture.Teaches} ({Describe.Trust(options)})";
        var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        var expected = "a refusal: .NET reports RemoteCertificateChainErrors, and the client stops there";
        if (outcome.Succeeded)
        {
            var (why, hint) = WhyItConnected(outcome, options);
            throw new GradingFailure(
                $"Your client accepted {fixture.Teaches}: {why}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}{Forgiven(options)}",
                expected,
                new Hint(Exercise, hint));
        }

        if (outcome.Validation is not { } validation || !validation.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var (cause, hint) = Diagnose(outcome, options, lab.RootCertificate, expected: null);
            throw new GradingFailure(
                $"Your client refused {fixture.Teaches}, but not because of its chain: {cause}.",
                tried,
                Describe.Outcome(outcome),
                expected,
                new Hint(Exercise, hint));
        }
    }

    /// <summary>
    /// Property: revocation stays on, for the whole chain: options from CreateOptions(name, root) refuse a good leaf whose intermediate its
    /// root has revoked (see <see cref="RevocationChains"/>), as Revoked.
    /// </summary>
    public static async Task RevokedIntermediateIsRefusedAsync(ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var chain = chains["revoked-intermediate"];
        var call = $"ValidatingClient.CreateOptions(\"{chain.Host}\", the test chain's root)";
        var options = CreateOptions(api, call, chain.Host, chains.Root);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            chain.Certificate);
        var tried = $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents a good leaf under {chain.Teaches}; its " +
            $"root's CRL, on loopback, lists the intermediate ({Describe.Trust(options)})";
        var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Validation is { } seen && seen.ChainStatus.HasFlag(X509ChainStatusFlags.Revoked) && !outcome.Succeeded)
        {
            return;
        }

        var policy = options.CertificateChainPolicy;
        var why = outcome.Succeeded && outcome.Validation is { Passed: false } && options.RemoteCertificateValidationCallback is not null
            ? "your RemoteCertificateValidationCallback overruled .NET"
            : policy is null ? "no CertificateChainPolicy"
            : policy.RevocationMode == X509RevocationMode.NoCheck ? "RevocationMode is NoCheck, so nobody was asked"
            : policy.RevocationFlag == X509RevocationFlag.EndCertificateOnly ? "RevocationFlag is EndCertificateOnly, so the intermediate was not asked about"
            : policy.RevocationMode == X509RevocationMode.Offline ? "RevocationMode is Offline, so only what an earlier check cached was consulted"
            : $"{Describe.Trust(options)}, RevocationMode {policy.RevocationMode}, RevocationFlag {policy.RevocationFlag}";
        throw new GradingFailure(
            outcome.Succeeded
                ? $"Your client accepted a chain whose intermediate has been revoked: {why}."
                : $"Your client refused a chain whose intermediate has been revoked, but not as revoked: {why}.",
            tried,
            Describe.Outcome(outcome),
            "a refusal with chain status Revoked: leave RevocationMode at Online and RevocationFlag at ExcludeRoot (the defaults), which ask about " +
                "every certificate below the root",
            new Hint(Exercise, outcome.Succeeded && options.RemoteCertificateValidationCallback is not null ? 3 : 4));
    }

    /// <summary>Property: nothing is fetched: a server that leaves out its intermediate is refused as PartialChain, although its leaf
    /// names a loopback address where the intermediate can be downloaded (AIA).</summary>
    public static Task MissingIntermediateIsNotDownloadedAsync(ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string host = "aia.localhost";
        var call = $"ValidatingClient.CreateOptions(\"{host}\", the test chain's root)";
        var options = CreateOptions(api, call, host, RevocationChains.Instance.Root);
        return DownloadableIntermediateCheck.ExpectRefusedAsync(host, call, options, new Hint(Exercise, 4), cancellationToken);
    }

    /// <summary>Property: trust goes no further than the root given: a certificate for the very name asked for, from a root the machine trusts,
    /// is refused as an untrusted chain.</summary>
    public static async Task MachineTrustedRootIsRefusedAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "machine-trusted.localhost";
        var call = $"ValidatingClient.CreateOptions(\"{host}\", lab root)";
        await MachineTrustCheck.ExpectRefusedAsync(host, () => (CreateOptions(api, call, host, lab.RootCertificate), call), new Hint(Exercise, 2),
            cancellationToken);
    }

    /// <summary>Property: each call of CreateOptions returns options of its own (twice in a row, and at once from several threads).</summary>
    public static void ReturnsFreshOptions(Lab lab, ValidateApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        FreshOptionsCheck.Expect(api.CreateOptions, "ValidatingClient.CreateOptions", (lab.RootCertificate, RevocationChains.Instance.Root),
            new Hint(Exercise, 1));
    }

    /// <summary>Property: GetStatusLineAsync completes a handshake with the options it is given, returns the status line, and leaves those options
    /// as they were.</summary>
    public static async Task GetsOkOverTlsAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var options = lab.CreateClientOptions("good");
        var before = ClientOptionsSnapshot.Of(options);
        var call = $"ValidatingClient.GetStatusLineAsync({good.EndPoint}, options for '{good.Host}' trusting the lab root)";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(good.EndPoint, options, cancellationToken));
        if (error is not null)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync threw {error.GetType().Name} against the lab's good " +
                    "endpoint" + (error is AuthenticationException
                        ? ", with options that are known to work: does it hand them to AuthenticateAsClientAsync?"
                        : "."),
                $"{call}; these options are known to work",
                $"{Attempt.OneLine(error)}. In plain words: {Explain.Failure(error)}",
                "\"HTTP/1.1 200 OK\"",
                new Hint(Exercise, 5),
                error);
        }

        ThrowIfChanged(options, before, call);
        if (statusLine != "HTTP/1.1 200 OK")
        {
            throw new GradingFailure(
                $"GetStatusLineAsync returned {Quote(statusLine)} from the good endpoint instead of the status line.",
                call,
                $"it returned {Quote(statusLine)}",
                "\"HTTP/1.1 200 OK\": send a GET with a Host header (as in exercise 1) over the SslStream and read one line",
                new Hint(Exercise, 5));
        }
    }

    /// <summary>Property: over TLS too, GetStatusLineAsync returns exactly the server's first line, however it is split into records, after sending
    /// a GET whose Host is the options' TargetHost.</summary>
    public static async Task ReadsAWholeLineAcrossRecordsAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string expected = "HTTP/1.1 202 Accepted";
        var fixtures = TrustFixtures.For(lab);
        await using var server = new RecordingHttpServer(
            ["HTTP/1.", "1 20", "2 Accepted\r", "\nContent-Length: 0\r\nConnection: close\r\n\r\n"],
            TimeSpan.FromMilliseconds(50),
            fixtures.Records);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = TrustFixtures.RecordsHost,
            CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
        };
        var before = ClientOptionsSnapshot.Of(options);
        var call = $"ValidatingClient.GetStatusLineAsync({server.EndPoint}, options for '{options.TargetHost}' trusting the lab root)";
        var tried = $"{call}; the test server answers in {server.Pieces.Count} TLS records, 50 ms apart ({server.Describe()})";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(server.EndPoint, options, cancellationToken));
        if (error is not null)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync threw {error.GetType().Name} against a good TLS server that answers in several records.",
                tried,
                $"{Attempt.OneLine(error)}. In plain words: {Explain.Failure(error)}",
                $"\"{expected}\"",
                new Hint(Exercise, 5),
                error);
        }

        ThrowIfChanged(options, before, call);
        var sent = server.Received.IsCompletedSuccessfully ? Encoding.ASCII.GetString(server.Received.Result) : string.Empty;
        var host = sent.Split("\r\n").Skip(1).FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?["Host:".Length..].Trim();
        if (!sent.StartsWith("GET / HTTP/1.1\r\n", StringComparison.Ordinal) || !string.Equals(host, options.TargetHost,
            StringComparison.OrdinalIgnoreCase) || !sent.EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            throw new GradingFailure(
                $"GetStatusLineAsync sent {(host is null ? "a request without a Host header" : $"a request for Host '{host}'")} over TLS instead of " +
                    $"exercise 1's GET / for '{options.TargetHost}'.",
                tried,
                $"the server received {Quote(sent.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))}",
                $"\"GET / HTTP/1.1\\r\\nHost: {options.TargetHost}\\r\\n...\\r\\n\\r\\n\" (the Host header names the site you validated: options.TargetHost)",
                new Hint(Exercise, 5));
        }

        if (statusLine != expected)
        {
            var what = statusLine is { Length: > 0 } && (expected + "\r").StartsWith(statusLine, StringComparison.Ordinal)
                ? $"only {Quote(statusLine)}, what the first record(s) held: one read of an SslStream returns one TLS record, not a line"
                : Quote(statusLine);
            throw new GradingFailure(
                $"GetStatusLineAsync did not return the whole status line over TLS: it returned {what}.",
                tried,
                $"it returned {Quote(statusLine)}",
                $"\"{expected}\", the whole first line without its line ending (read it as in exercise 1: a StreamReader over the SslStream)",
                new Hint(Exercise, 5));
        }
    }

    /// <summary>Property: a certificate refused during the handshake reaches the caller as the AuthenticationException .NET throws, not as a return
    /// value.</summary>
    public static async Task LetsARefusalSurfaceAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var expired = lab["expired"];
        var options = lab.CreateClientOptions("expired");
        var call = $"ValidatingClient.GetStatusLineAsync({expired.EndPoint}, options for '{expired.Host}' trusting the lab root)";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(expired.EndPoint, options, cancellationToken));
        if (error is null)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync returned {Quote(statusLine)} from 'expired' instead of failing.",
                $"{call}; the endpoint's certificate expired yesterday",
                $"it returned {Quote(statusLine)}: either validation was switched off (a callback of its own, on the SslStream or the options), or a " +
                    "failure was turned into an ordinary return value",
                "an AuthenticationException from AuthenticateAsClientAsync, passed on to the caller",
                new Hint(Exercise, 5));
        }

        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return;
            }
        }

        throw new GradingFailure(
            $"GetStatusLineAsync failed against 'expired' with {error.GetType().Name}, not AuthenticationException.",
            call,
            Attempt.OneLine(error),
            "the AuthenticationException that AuthenticateAsClientAsync throws, unchanged (or as the InnerException of yours)",
            new Hint(Exercise, 5),
            error);
    }

    /// <summary>Property: a server that completes the handshake, reads the request and closes without answering makes GetStatusLineAsync throw,
    /// not return null or an empty line.</summary>
    public static async Task FailsWhenTheServerClosesWithoutAnsweringAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        await using var server = new RecordingHttpServer([], TimeSpan.Zero, TrustFixtures.For(lab).Records);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = TrustFixtures.RecordsHost,
            CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
        };
        var call = $"ValidatingClient.GetStatusLineAsync({server.EndPoint}, options for '{options.TargetHost}' trusting the lab root)";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(server.EndPoint, options, cancellationToken));
        if (error is not null)
        {
            return;
        }

        throw new GradingFailure(
            $"GetStatusLineAsync returned {Quote(statusLine)} from a server that closed the connection without answering.",
            $"{call}; the test server completes the handshake, reads the request, then closes (close_notify) without a byte of answer",
            $"it returned {Quote(statusLine)}",
            "an exception (an IOException: \"closed without answering\"), as in exercise 1: a null or an empty string looks like an answer",
            new Hint(Exercise, 5));
    }

    /// <summary>
    /// Property: one call, one connection. When the first connection is reset mid-handshake (what an attacker in the middle
    /// does to provoke a retry), the error reaches the caller: no second connection, and above all none made with other
    /// options (TLS 1.2 "for compatibility" hands the attacker the downgrade it wanted).
    /// </summary>
    public static async Task LetsAResetSurfaceAsync(Lab lab, ValidateApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        await using var server = new ResetFirstServer(TrustFixtures.For(lab).Records);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = TrustFixtures.RecordsHost,
            CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
            EnabledSslProtocols = SslProtocols.Tls13,
        };
        var before = ClientOptionsSnapshot.Of(options);
        var call = $"ValidatingClient.GetStatusLineAsync({server.EndPoint}, options for '{options.TargetHost}' trusting the lab root, TLS 1.3 only)";
        var tried = $"{call}; the test server resets the first connection as soon as the ClientHello arrives (TCP RST), and answers 200 on " +
            "any later connection";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(server.EndPoint, options, cancellationToken));
        var connections = server.Connections;
        ThrowIfChanged(options, before, call);
        if (connections > 1 || error is null)
        {
            var downgraded = server.ServedProtocol is { } served && served != SslProtocols.Tls13;
            var servedWith = server.ServedProtocol;
            throw new GradingFailure(
                downgraded
                    ? $"GetStatusLineAsync retried after a reset with {servedWith}, although the caller allowed TLS 1.3 only: an attacker who resets " +
                        "one connection downgrades every call."
                    : error is null
                        ? $"GetStatusLineAsync returned {Quote(statusLine)} although its connection was reset: it made {connections} connection(s) for " +
                            "one call."
                        : $"GetStatusLineAsync made {connections} connections for one call: after a reset it tried again.",
                tried,
                $"the server accepted {connections} connection(s)" + (server.ServedProtocol is { } p ? $"; it served one with {p}" : string.Empty) +
                    (error is null ? $"; the call returned {Quote(statusLine)}" : $"; the call then threw {Attempt.OneLine(error)}"),
                "one connection, and the IOException of the reset passed on to the caller: whether to try again, and with which options, is the " +
                    "caller's decision",
                new Hint(Exercise, 5));
        }

        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or AuthenticationException)
            {
                return;
            }
        }

        throw new GradingFailure(
            $"GetStatusLineAsync failed after a reset with {error.GetType().Name}, which hides what happened.",
            tried,
            Attempt.OneLine(error),
            "the IOException (connection reset) that AuthenticateAsClientAsync throws, unchanged (or as the InnerException of yours)",
            new Hint(Exercise, 5),
            error);
    }

    private const X509ChainStatusFlags RevocationStatus = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    /// <summary>The cause a refusal shows, in the order a learner should fix them, with the hint for it.</summary>
    private static (string Cause, int Hint) Diagnose(HandshakeOutcome outcome, SslClientAuthenticationOptions options, X509Certificate2 root,
        ExpectedRejection? expected)
    {
        var validation = outcome.Validation;
        var policy = options.CertificateChainPolicy;
        if (validation is null && policy is { TrustMode: X509ChainTrustMode.System, CustomTrustStore.Count: > 0 })
        {
            // .NET refuses to build any chain then ("Custom trust certificates were provided while in System trust mode"), so the
            // handshake stops before a certificate is judged: the cause is the trust store, not the handshake.
            return ("TrustMode is System, so the machine's trust store would decide, and .NET will not even build a chain while " +
                "CustomTrustStore holds certificates in that mode: set TrustMode = X509ChainTrustMode.CustomRootTrust", 2);
        }

        if (validation is null)
        {
            return ($"the handshake failed before any certificate was checked ({outcome.Problem}; EnabledSslProtocols is {options.EnabledSslProtocols})", 1);
        }

        var status = validation.ChainStatus;
        // Soft-fail revocation (the Ignore...RevocationUnknown flags) still reports the status; it is not the cause then.
        var revocationIgnored = policy is not null && (policy.VerificationFlags & RevocationUnknownFlags) != 0;
        if ((status & RevocationStatus) != 0 && !revocationIgnored)
        {
            var mode = policy?.RevocationMode ?? options.CertificateRevocationCheckMode;
            return ($"revocation status unknown ({status & RevocationStatus}): with RevocationMode {mode}, .NET asks the CRL or OCSP address " +
                "each certificate names, and got no answer (the lab serves them on loopback while it runs)", 4);
        }

        if (validation.Passed)
        {
            return (options.RemoteCertificateValidationCallback is not null
                ? "your RemoteCertificateValidationCallback refused a certificate .NET's own check accepted"
                : "the handshake failed after the certificate was accepted " +
                    $"({outcome.Problem})", options.RemoteCertificateValidationCallback is not null ? 3 : 1);
        }

        var trustProblem = status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain);
        var trustIsTheLesson = expected?.ChainStatus is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain;
        if (trustProblem != 0 && !trustIsTheLesson)
        {
            var where = policy is null ? "there is no CertificateChainPolicy, so the machine's trust store decides, and the lab root is not in it"
                : policy.TrustMode == X509ChainTrustMode.System ? "TrustMode is System, so the machine's trust store decides and CustomTrustStore is ignored"
                : !policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(root.RawData))
                    ? "CustomTrustStore does not hold the lab " +
                        $"root{(policy.ExtraStore.Count > 0 ? " (ExtraStore only helps build chains; it makes nothing trusted)" : string.Empty)}"
                    : "the chain does not reach the lab root";
            return ($"the chain does not reach a trusted root ({trustProblem}): {where}", 2);
        }

        var wrongName = validation.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && expected?.Problem != TlsProblem.NameMismatch;
        if (wrongName)
        {
            return ($"a name mismatch: the options ask for '{options.TargetHost}', which the certificate does not carry (TargetHost must be the " +
                "targetHost argument)", 1);
        }

        return expected is null
            ? ($"TlsProblem.{outcome.Problem} (policy errors {validation.PolicyErrors}, chain status {status})", 2)
            : ($"TlsProblem.{outcome.Problem} instead of TlsProblem.{expected.Problem} (policy errors {validation.PolicyErrors}, chain status " +
                $"{status}); a different reason usually means the client does not trust exactly the lab root", 2);
    }

    /// <summary>
    /// What a refusal looked like. When the chain stopped at a root the options do not trust, and that root is the lab's own (the server
    /// is a lab endpoint), .NET's sentence ("someone else's PKI") is wrong for this client: say whose root it was.
    /// </summary>
    private static string Happened(HandshakeOutcome outcome, SslClientAuthenticationOptions options, X509Certificate2 root)
    {
        var policy = options.CertificateChainPolicy;
        var trustsRoot = policy is { TrustMode: X509ChainTrustMode.CustomRootTrust }
            && policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(root.RawData));
        if (outcome.Validation is not { } validation || trustsRoot
            || (validation.ChainStatus & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) == 0
            || validation.Chain.Count == 0
            || !(validation.Chain[^1].Thumbprint == root.Thumbprint || validation.Chain[^1].Issuer == root.Subject))
        {
            return Describe.Outcome(outcome);
        }

        var store = policy is null ? "no CertificateChainPolicy, so the machine's trust store decides"
            : policy.TrustMode == X509ChainTrustMode.System ? "TrustMode System, so the machine's trust store decides"
            : $"CustomTrustStore holds {policy.CustomTrustStore.Count} certificate(s), none of them the lab root";
        return $"refused as TlsProblem.{outcome.Problem} [policy errors {validation.PolicyErrors}, chain status {validation.ChainStatus}]: the chain " +
            $"leads to the lab's own root '{root.GetNameInfo(X509NameType.SimpleName, forIssuer: false)}', which these options do not trust " +
            $"({store})";
    }

    /// <summary>Why a handshake that should have failed succeeded: a callback overruled .NET, or .NET was told to forgive.</summary>
    private static (string Why, int Hint) WhyItConnected(HandshakeOutcome outcome, SslClientAuthenticationOptions options)
    {
        if (outcome.Validation is { Passed: false } && options.RemoteCertificateValidationCallback is not null)
        {
            return ("your RemoteCertificateValidationCallback returned true where .NET's own check had found errors", 3);
        }

        if (options.CertificateChainPolicy is { } policy
            && (policy.VerificationFlags & ~RevocationUnknownFlags) is var flags and not X509VerificationFlags.NoFlag)
        {
            return ($"VerificationFlags {policy.VerificationFlags} told .NET to forgive the error", 3);
        }

        return ($"the chain policy trusts something besides the lab root ({Describe.Trust(options)})", 2);
    }

    private static string Forgiven(SslClientAuthenticationOptions options) =>
        options.CertificateChainPolicy is { } policy && (policy.VerificationFlags & ~RevocationUnknownFlags) is var flags and not X509VerificationFlags.NoFlag
            ? $"; with VerificationFlags {policy.VerificationFlags}, .NET forgives: {Forgives(flags)}"
            : string.Empty;

    private static string Forgives(X509VerificationFlags flags)
    {
        var parts = new List<string>();
        if (flags.HasFlag(X509VerificationFlags.AllowUnknownCertificateAuthority))
        {
            parts.Add("AllowUnknownCertificateAuthority accepts a chain that ends at ANY root, the self-signed endpoint's included");
        }

        if ((flags & (X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested)) != 0)
        {
            parts.Add("the Ignore...TimeValid flags accept expired and not-yet-valid certificates");
        }

        if (flags.HasFlag(X509VerificationFlags.IgnoreWrongUsage))
        {
            parts.Add("IgnoreWrongUsage accepts a certificate that is not for servers");
        }

        if (flags.HasFlag(X509VerificationFlags.IgnoreInvalidBasicConstraints))
        {
            parts.Add("IgnoreInvalidBasicConstraints accepts a certificate signed by one that is not a CA");
        }

        return parts.Count > 0 ? string.Join("; ", parts) : "each Ignore... flag accepts a chain with that error";
    }

    private static void ThrowIfChanged(SslClientAuthenticationOptions options, ClientOptionsSnapshot before, string call)
    {
        var changes = ClientOptionsSnapshot.Of(options).ChangesSince(before);
        if (changes.Count > 0)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync changed the options it was given: {(changes.Count == 1 ? changes[0] : ClientOptionsSnapshot.Names(changes))}.",
                call,
                $"after the call, the caller's options differ: {string.Join("; ", changes)}",
                "the options exactly as the caller made them: they are the caller's decision, and may be shared with other connections",
                new Hint(Exercise, 5));
        }
    }

    private static SslClientAuthenticationOptions CreateOptions(ValidateApi api, string call, string host, X509Certificate2 root)
    {
        var options = Attempt.Call(call, new Hint(Exercise, 1), () => api.CreateOptions(host, root));
        return options ?? throw new GradingFailure(
            "CreateOptions returned null.",
            call,
            "it returned null",
            "a new SslClientAuthenticationOptions",
            new Hint(Exercise, 1));
    }

    private static string Quote(string? text) => text is null ? "null" : $"\"{text}\"";
}
