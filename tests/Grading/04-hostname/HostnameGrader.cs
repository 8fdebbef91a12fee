using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 4: connect to an address, validate a name, and explain a refusal from its flags.</summary>
public static class HostnameGrader
{
    private const int Exercise = 4;

    /// <summary>Endpoints whose certificate chain is refused, with the flag the result must carry.</summary>
    public static IReadOnlyList<string> ChainProblemScenarios { get; } = ["expired", "self-signed", "untrusted-root", "incomplete-chain"];

    /// <summary>The look-alike fixtures, by name, for theory rows.</summary>
    public static IReadOnlyList<string> LookAlikeNames { get; } = LookAlikeServers.All.Select(f => f.Name).ToArray();

    // Property: a certificate that chains to the trusted root and is valid for the name asked for is
    // accepted, and the result says so in a sentence (every result has a Reason, not only refusals).
    /// <summary>good, reached at 127.0.0.1 and validated as good.localhost, connects.</summary>
    public static async Task GoodByAddressConnectsAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var good = lab["good"];
        var (call, result) = await ConnectAsync(lab, api, good.EndPoint, good.Host, cancellationToken);
        if (result.Connected && result.PolicyErrors == SslPolicyErrors.None)
        {
            if (string.IsNullOrWhiteSpace(result.Reason))
            {
                throw new GradingFailure(
                    $"Connecting to 'good' as '{good.Host}' succeeded, but the result's Reason is empty.",
                    call,
                    Show(result),
                    "Connected = true, PolicyErrors = None and a Reason: one sentence that says the certificate was accepted (a caller logs it, " +
                        "whatever the outcome)",
                    new Hint(Exercise, 5));
            }

            await AttackerInTheMiddle.IsNotTakenInByAsync(lab, "HostnameCheck.ConnectAsync",
                async (address, host) => (await ConnectAsync(lab, api, address, host, cancellationToken)).Result.Connected,
                (new Hint(Exercise, 4), new Hint(Exercise, 3)));
            return;
        }

        var hint = result.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? 2
            : result.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? 3
            : 4;
        throw new GradingFailure(
            $"Connecting to 'good' at {good.EndPoint} while validating '{good.Host}' failed; it should succeed.",
            call,
            Show(result),
            $"Connected = true, PolicyErrors = None: the certificate of 'good' is valid for '{good.Host}' and chains to the lab root",
            new Hint(Exercise, hint));
    }

    // Property: a valid certificate for another name is refused, as a name mismatch (and nothing else), with a reason naming the host.
    /// <summary>wrong-host is refused with exactly RemoteCertificateNameMismatch, and the reason names the host asked for.</summary>
    public static async Task WrongHostIsANameMismatchAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var wrongHost = lab["wrong-host"];
        var (call, result) = await ConnectAsync(lab, api, wrongHost.EndPoint, wrongHost.Host, cancellationToken);
        ExpectNameMismatch(result, call, wrongHost.Host,
            $"'wrong-host' presents a valid certificate, for another name ({ScenarioCredentials.WrongHostName})");
    }

    // Property: the name decides, not the address: the same server is refused under a name its certificate lacks.
    /// <summary>good validated as another lab name is refused: the name is what counts, not the address.</summary>
    public static async Task GoodAsAnotherNameIsRefusedAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var good = lab["good"];
        var otherName = lab["expired"].Host;
        var (call, result) = await ConnectAsync(lab, api, good.EndPoint, otherName, cancellationToken);
        ExpectNameMismatch(result, call, otherName,
            $"the certificate of 'good' is valid for {good.Host}, localhost, 127.0.0.1 and ::1, but not for '{otherName}'");
    }

    // Property: a certificate that does not chain to the trusted root is refused, and the result carries .NET's flags and a reason.
    /// <summary>A chain problem is refused with RemoteCertificateChainErrors, the scenario's chain status flag and a reason.</summary>
    public static async Task ChainProblemIsReportedAsync(Lab lab, HostnameApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection!;
        var (call, result) = await ConnectAsync(lab, api, endpoint.EndPoint, endpoint.Host, cancellationToken);
        var expectation = $"Connected = false, PolicyErrors = RemoteCertificateChainErrors, ChainStatus including {expected.ChainStatus}, and a " +
            $"Reason ({expected.Summary})";
        if (result.Connected)
        {
            // The chain is refused by trust (hint 3) unless the callback forgives it (hint 4); a client
            // that trusts unknown roots connects to the scenarios whose root is unknown, not to expired.
            var unknownRoot = expected.ChainStatus is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain;
            throw new GradingFailure(
                $"Your client connected to '{scenario}', which it must refuse: {expected.Summary}.",
                call,
                Show(result),
                $"{expectation}. " + (unknownRoot
                    ? "Trust must come from the lab root alone: TrustMode = CustomRootTrust with the root in CustomTrustStore (not ExtraStore, not " +
                        "AllowUnknownCertificateAuthority), and a callback that forgives nothing"
                    : "The callback must return errors == SslPolicyErrors.None, forgiving nothing"),
                new Hint(Exercise, unknownRoot ? 3 : 4));
        }

        if (result.PolicyErrors != SslPolicyErrors.RemoteCertificateChainErrors || !result.ChainStatus.HasFlag(expected.ChainStatus))
        {
            var missing = result.PolicyErrors == SslPolicyErrors.None
                ? "PolicyErrors is None although the connection was refused: the result does not carry what validation found"
                : result.ChainStatus == X509ChainStatusFlags.NoError
                    ? "ChainStatus is NoError: combine the Status of every entry in chain.ChainStatus"
                    : $"the flags do not match what .NET reports for '{scenario}'";
            throw new GradingFailure(
                $"The refusal of '{scenario}' does not report the right flags: {missing}.",
                call,
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }

        if (string.IsNullOrWhiteSpace(result.Reason))
        {
            throw new GradingFailure(
                $"The refusal of '{scenario}' has no Reason.",
                call,
                Show(result),
                "a sentence for a person: what is wrong with the certificate (Explain.Validation can write it)",
                new Hint(Exercise, 5));
        }
    }

    // Property: the name check is .NET's (RFC 6125 on the subject alternative names), not a home-made
    // one: a name that contains, starts or ends with the one asked for, a CN that differs from the
    // SANs, a wildcard stretched over two labels, an IP-address-only certificate are all refused.
    /// <summary>A certificate whose name only looks like the one asked for is refused as a name mismatch.</summary>
    public static async Task LookAlikeIsANameMismatchAsync(Lab lab, HostnameApi api, string lookAlike, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fixture = LookAlikeServers.Find(lookAlike);
        var servers = await LookAlikeServers.ForAsync(lab);
        var (call, result) = await ConnectAsync(lab, api, servers.EndPoint(lookAlike), fixture.AskedFor, cancellationToken);
        var why = $"the server's certificate chains to the lab root, but {fixture.Why}";
        if (result.Connected)
        {
            var byAddress = lookAlike == "ip-address-only";
            var literal = System.Net.IPAddress.TryParse(fixture.AskedFor, out _);
            throw new GradingFailure(
                byAddress
                    ? $"Your client accepted a certificate that names only 127.0.0.1 when it asked for '{fixture.AskedFor}': it validated the " +
                        "address, not the name."
                    : literal
                        ? $"Your client accepted a certificate that does not name '{fixture.AskedFor}' because the name asked for is an IP address: " +
                            "an address is checked against the certificate's IP SANs like any name, never waved through."
                        : $"Your client accepted a look-alike certificate as '{fixture.AskedFor}': {fixture.Why}.",
                $"{call}; {why}",
                Show(result),
                "Connected = false, PolicyErrors = RemoteCertificateNameMismatch: " + (byAddress
                    ? $"TargetHost must be '{fixture.AskedFor}', not the address you connect to"
                    : ".NET's own name check (TargetHost = the name asked for) must decide; a callback that forgives RemoteCertificateNameMismatch " +
                        "and compares names itself (Subject.Contains, the CN, EndsWith for a wildcard) lets look-alikes in"),
                new Hint(Exercise, byAddress ? 2 : 4));
        }

        ExpectNameMismatch(result, call, fixture.AskedFor, why);
    }

    // Property: an IP literal is a name like any other: a certificate that names the address (an IP SAN) is accepted for it.
    /// <summary>The ip-address-only server, validated as the IP literal 127.0.0.1 that its certificate names, connects.</summary>
    public static async Task IpLiteralNamedInTheCertificateConnectsAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var servers = await LookAlikeServers.ForAsync(lab);
        var (call, result) = await ConnectAsync(lab, api, servers.EndPoint("ip-address-only"), "127.0.0.1", cancellationToken);
        if (result.Connected && result.PolicyErrors == SslPolicyErrors.None)
        {
            return;
        }

        throw new GradingFailure(
            "Your client refused a certificate that names the IP address it was asked to validate.",
            $"{call}; the server's certificate chains to the lab root and names the IP address 127.0.0.1 (an IP SAN)",
            Show(result),
            "Connected = true, PolicyErrors = None: TargetHost = expectedHost, whether it is a DNS name or an IP literal; .NET checks an address " +
                "against the certificate's IP SANs",
            new Hint(Exercise, result.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? 3 : 2));
    }

    // Property: trust goes no further than trustedRoot: a valid certificate for the name asked for, from a root the machine trusts, is refused
    // as a chain error (UntrustedRoot or PartialChain).
    /// <summary>A certificate from a root the machine trusts (not trustedRoot) is refused, with the chain flags.</summary>
    public static async Task MachineTrustedRootIsRefusedAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "machine-trusted.localhost";
        var (call, result) = await MachineTrustCheck.RunAsync(host, endPoint => ConnectAsync(lab, api, endPoint, host, cancellationToken));
        if (!result.Connected && (result.ChainStatus & MachineTrustCheck.TrustFlags) != 0)
        {
            return;
        }

        // Only a revocation flag, no trust flag: the chain reached a root this client trusts; what stopped it is that the stranger CA
        // publishes no revocation addresses. The trust is the mistake, the refusal luck.
        var trustedAnyway = !result.Connected && result.ChainStatus != X509ChainStatusFlags.NoError
            && (result.ChainStatus & ~(X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) == 0;
        throw new GradingFailure(
            result.Connected
                ? "Your client accepted a certificate from a root the machine trusts, which is not trustedRoot: it trusts the machine's store too."
                : trustedAnyway
                    ? "Your client trusted a chain to a root the machine trusts, which is not trustedRoot; it was refused only because nobody " +
                        "answers for that CA's revocation status."
                    : "Your client refused a certificate from a root the machine trusts, but the result does not say its chain was the problem.",
            $"{call}; the server presents {MachineTrustCheck.Presents} (added to this user's trust store for the check, then removed)",
            Show(result),
            "Connected = false, PolicyErrors = RemoteCertificateChainErrors, ChainStatus including UntrustedRoot or PartialChain: " +
                "TrustMode = CustomRootTrust with trustedRoot alone in CustomTrustStore",
            new Hint(Exercise, result.Connected || trustedAnyway ? 3 : 5));
    }

    // Property: nothing is forgiven: a chain whose intermediate's revocation status nobody answers for (its CRL address refuses
    // connections) is not connected, and the result carries RevocationStatusUnknown.
    /// <summary>A certificate whose revocation nobody answers for is refused, with RevocationStatusUnknown.</summary>
    public static async Task UnansweredRevocationIsRefusedAsync(HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var chain = chains["intermediate-status-unanswered"];
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            chain.Certificate);
        var call = $"HostnameCheck.ConnectAsync({server.EndPoint}, \"{chain.Host}\", the test chain's root)";
        var result = await Attempt.CallAsync(call, new Hint(Exercise, 5),
            () => api.ConnectAsync(server.EndPoint, chain.Host, chains.Root, cancellationToken))
            ?? throw new GradingFailure("HostnameCheck.ConnectAsync returned null.", call, "it returned null",
                "a HostnameCheckResult, also (especially) when the certificate is refused", new Hint(Exercise, 5));
        if (!result.Connected && result.ChainStatus.HasFlag(X509ChainStatusFlags.RevocationStatusUnknown))
        {
            return;
        }

        throw new GradingFailure(
            result.Connected
                ? "Your check connected to a server whose chain nobody can vouch for: an unknown revocation status was forgiven."
                : "Your check refused a chain whose revocation status nobody answers for, but ChainStatus does not say RevocationStatusUnknown.",
            $"{call}; the server presents a good leaf under {chain.Teaches}",
            Show(result),
            "Connected = false, PolicyErrors = RemoteCertificateChainErrors, ChainStatus including RevocationStatusUnknown: the callback records " +
                "what .NET found and forgives nothing, not even an unknown revocation status",
            new Hint(Exercise, result.Connected ? 4 : 5));
    }

    // Property: nothing is fetched: a server that leaves out its intermediate is a chain error (PartialChain), although its leaf names a
    // loopback address where the intermediate can be downloaded (AIA).
    /// <summary>A missing intermediate is not downloaded: the result is a chain error.</summary>
    public static async Task MissingIntermediateIsNotDownloadedAsync(HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string host = "aia.localhost";
        var root = RevocationChains.Instance.Root;
        var call = "";
        var (result, fetched) = await DownloadableIntermediateCheck.RunAsync(host, async endPoint =>
        {
            call = $"HostnameCheck.ConnectAsync({endPoint}, \"{host}\", the test chain's root)";
            var made = call;
            return await Attempt.CallAsync(made, new Hint(Exercise, 5), () => api.ConnectAsync(endPoint, host, root, cancellationToken))
                ?? throw new GradingFailure("HostnameCheck.ConnectAsync returned null.", made, "it returned null",
                    "a HostnameCheckResult, also (especially) when the certificate is refused", new Hint(Exercise, 5));
        });
        if (!result.Connected && result.ChainStatus.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return;
        }

        throw new GradingFailure(
            fetched > 0
                ? $"Your check downloaded the intermediate a server left out ({fetched} time(s)) and " +
                    $"{(result.Connected ? "connected" : "did not report PartialChain")}: it should never fetch what the server did not send."
                : "Your check did not report a server that left out its intermediate as an incomplete chain (PartialChain).",
            $"{call}; the server presents {DownloadableIntermediateCheck.Presents}",
            Show(result),
            "Connected = false, PolicyErrors = RemoteCertificateChainErrors, ChainStatus including PartialChain: DisableCertificateDownloads = true",
            new Hint(Exercise, fetched > 0 ? 3 : 5));
    }

    // Property: no state is shared between calls: six calls at once (good, wrong-host, expired, twice each), each result is its own.
    /// <summary>Concurrent calls for different endpoints each report their own verdict.</summary>
    public static async Task ConcurrentCallsKeepTheirOwnResultsAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var cases = new (string Scenario, bool Connected, SslPolicyErrors Errors, X509ChainStatusFlags Flag)[]
        {
            ("good", true, SslPolicyErrors.None, X509ChainStatusFlags.NoError),
            ("wrong-host", false, SslPolicyErrors.RemoteCertificateNameMismatch, X509ChainStatusFlags.NoError),
            ("expired", false, SslPolicyErrors.RemoteCertificateChainErrors, X509ChainStatusFlags.NotTimeValid),
        };

        // Four rounds of the three at once: a race shows up in some interleaving, not necessarily the first.
        for (var round = 0; round < 4; round++)
        {
            var doubled = cases.Concat(cases).ToArray();
            var results = await Task.WhenAll(doubled.Select(c => ConnectAsync(lab, api, lab[c.Scenario].EndPoint, lab[c.Scenario].Host, cancellationToken)));
            for (var i = 0; i < doubled.Length; i++)
            {
                var (scenario, connected, errors, flag) = doubled[i];
                var (call, result) = results[i];
                if (result.Connected == connected && result.PolicyErrors == errors && result.ChainStatus.HasFlag(flag))
                {
                    continue;
                }

                throw new GradingFailure(
                    $"Called at the same time as two others, ConnectAsync reported for '{scenario}' what belongs to another call.",
                    $"{call}, at the same time as five more calls: two each for 'good', 'wrong-host' and 'expired' (round {round + 1} of 4)",
                    Show(result),
                    $"Connected = {connected}, PolicyErrors = {errors}" +
                    (flag == X509ChainStatusFlags.NoError ? string.Empty : $", ChainStatus including {flag}") +
                        ": what validation saw is kept per call (a local variable the callback closes over), never in a static field",
                    new Hint(Exercise, 5));
            }
        }
    }

    // Property: a refusal reports everything validation found, not the first problem: every policy
    // error and every chain status flag, combined.
    /// <summary>A certificate with a name problem and two chain problems is reported with all of them.</summary>
    public static async Task ThreeProblemsAreAllReportedAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fixture = LookAlikeServers.ThreeProblems;
        var servers = await LookAlikeServers.ForAsync(lab);
        var (call, result) = await ConnectAsync(lab, api, servers.EndPoint(fixture.Name), fixture.AskedFor, cancellationToken);
        const SslPolicyErrors errors = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors;
        const X509ChainStatusFlags flags = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.NotTimeValid;
        var tried = $"{call}; the server's certificate: {fixture.Why}";
        var expectation = $"Connected = false, PolicyErrors = {errors}, ChainStatus including {flags}, and a Reason";
        if (result.Connected)
        {
            throw new GradingFailure(
                $"Your client connected to a server whose certificate is self-signed, expired and for another name.",
                tried,
                Show(result),
                expectation,
                new Hint(Exercise, 4));
        }

        if (result.PolicyErrors != errors)
        {
            throw new GradingFailure(
                $"The refusal reports PolicyErrors {result.PolicyErrors}, but .NET found {errors}: report the callback's errors as they are, not one of them.",
                tried,
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }

        if ((result.ChainStatus & flags) != flags)
        {
            throw new GradingFailure(
                $"The refusal reports ChainStatus {result.ChainStatus}, but the chain had {flags}: combine the Status of every entry in " +
                    "chain.ChainStatus with |, not only the first.",
                tried,
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }

        if (string.IsNullOrWhiteSpace(result.Reason))
        {
            throw new GradingFailure("The refusal of a certificate with three problems has no " +
                "Reason.", tried, Show(result), expectation, new Hint(Exercise, 5));
        }
    }

    // Property: the caller's cancellation token is honoured all the way down: against a server that
    // never answers, ConnectAsync returns (or throws OperationCanceledException) soon after cancellation.
    /// <summary>Against a server that accepts and never speaks, ConnectAsync gives up when its token is cancelled.</summary>
    public static async Task GivesUpWhenCancelledAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);

        // A server of its own per check, so that "the client is mid-handshake" means this client.
        await using var silent = FixtureTlsServer.Silent();
        var limit = TimeSpan.FromSeconds(2);
        var call = $"HostnameCheck.ConnectAsync({silent.EndPoint}, \"good.localhost\", lab root, a token cancelled once the ClientHello has arrived)";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var attempt = Attempt.CaptureAsync(call, new Hint(Exercise, 7),
            () => api.ConnectAsync(silent.EndPoint, "good.localhost", lab.RootCertificate, cancel.Token).WaitAsync(limit, CancellationToken.None));

        // Cancel mid-handshake: as soon as the client's first bytes arrive (or after 1 s if none do,
        // which also ends a client stuck before its handshake).
        await Task.WhenAny(silent.HeardFromClient, attempt, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
        await cancel.CancelAsync();
        var (result, error) = await attempt;
        if (error is TimeoutException)
        {
            throw new GradingFailure(
                "HostnameCheck.ConnectAsync was still waiting after its cancellation token was cancelled.",
                $"{call}; the server accepts the TCP connection, reads the ClientHello and never answers",
                $"{limit.TotalSeconds:0} s after the call it had neither returned nor thrown",
                "an OperationCanceledException (or a refusal) soon after the token is cancelled: pass cancellationToken on to ConnectAsync and " +
                    "AuthenticateAsClientAsync",
                new Hint(Exercise, 7));
        }

        if (result is { Connected: true })
        {
            throw new GradingFailure(
                "HostnameCheck.ConnectAsync reported a connection to a server that never completed a handshake.",
                call,
                Show(result),
                "Connected = true only after AuthenticateAsClientAsync succeeded",
                new Hint(Exercise, 6));
        }
    }

    private static void ExpectNameMismatch(HostnameVerdict result, string call, string expectedHost, string why)
    {
        var expectation = "Connected = false, PolicyErrors = RemoteCertificateNameMismatch (and nothing else), ChainStatus = NoError, and a Reason " +
            $"that names '{expectedHost}'";
        if (result.Connected)
        {
            throw new GradingFailure(
                $"Your client accepted a certificate that is not valid for '{expectedHost}'.",
                $"{call}; {why}",
                Show(result),
                $"{expectation}. Either TargetHost was not '{expectedHost}' (the address instead?) or the callback let a name mismatch through",
                new Hint(Exercise, 2));
        }

        if (result.PolicyErrors != SslPolicyErrors.RemoteCertificateNameMismatch || result.ChainStatus != X509ChainStatusFlags.NoError)
        {
            throw new GradingFailure(
                $"The refusal is right but its flags are not: PolicyErrors {result.PolicyErrors}, ChainStatus {result.ChainStatus}.",
                $"{call}; {why}",
                Show(result),
                expectation,
                new Hint(Exercise, result.PolicyErrors == SslPolicyErrors.None ? 5 : 3));
        }

        if (string.IsNullOrWhiteSpace(result.Reason) || !result.Reason.Contains(expectedHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new GradingFailure(
                $"The Reason for refusing a name mismatch does not say which name was asked for ('{expectedHost}').",
                $"{call}; {why}",
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }
    }

    private static async Task<(string Call, HostnameVerdict Result)> ConnectAsync(
        Lab lab, HostnameApi api, System.Net.IPEndPoint address, string expectedHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var call = $"HostnameCheck.ConnectAsync({address}, \"{expectedHost}\", lab root)";
        var result = await Attempt.CallAsync(call, new Hint(Exercise, 5),
            () => api.ConnectAsync(address, expectedHost, lab.RootCertificate, cancellationToken));
        return (call, result ?? throw new GradingFailure(
            "HostnameCheck.ConnectAsync returned null.",
            call,
            "it returned null",
            "a HostnameCheckResult, also (especially) when the certificate is refused",
            new Hint(Exercise, 5)));
    }

    private static string Show(HostnameVerdict result) =>
        $"Connected = {result.Connected}, PolicyErrors = {result.PolicyErrors}, ChainStatus = {result.ChainStatus}, Reason = " +
            $"{(result.Reason is null ? "null" : $"\"{result.Reason}\"")}";
}
