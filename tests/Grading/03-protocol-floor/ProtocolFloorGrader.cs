using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 3: a floor under the protocol versions a client offers, graded by its ClientHello.</summary>
public static class ProtocolFloorGrader
{
    private const int Exercise = 3;
    private const ushort Tls10 = 0x0301;
    private const ushort Tls11 = 0x0302;
    private const ushort Tls12 = 0x0303;
    private const ushort Tls13 = 0x0304;
    private const SslProtocols Modern = SslProtocols.Tls12 | SslProtocols.Tls13;

    // One client certificate per lab run, for the check that AtLeastTls12 and OnlyTls13 keep it.
    private static readonly ConditionalWeakTable<Lab, X509Certificate2> ClientCertificates = new();

    /// <summary>The endpoints a TLS 1.2-and-1.3 client must still reach.</summary>
    public static IReadOnlyList<string> ReachableWithTls12AndUp { get; } = ["good", "tls12-only", "tls13-only"];

    /// <summary>The two methods, for the check that each changes the protocols and nothing else.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["AtLeastTls12", "OnlyTls13"];

    /// <summary>
    /// Property: whatever the caller had enabled before (nothing, or TLS 1.1), after AtLeastTls12 the
    /// options name exactly TLS 1.2 and TLS 1.3 and the ClientHello offers those two and nothing older.
    /// </summary>
    public static async Task AtLeastTls12OffersOnlyModernVersionsAsync(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);

        // Both inputs at once: a handshake each, in parallel.
        var checks = await Task.WhenAll(
            AtLeastTls12OnAsync(lab, api, SslProtocols.None, "options for 'good'", cancellationToken),
            AtLeastTls12OnAsync(lab, api, Legacy, $"options for 'good' that already enable {Legacy} (a caller's old setting)", cancellationToken));
        if (checks.FirstOrDefault(c => c is not null) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Property: after AtLeastTls12 the client still completes a handshake with <paramref name="scenario"/> (TLS 1.2-only, TLS 1.3-only,
    /// both).</summary>
    public static async Task AtLeastTls12ReachesAsync(Lab lab, ProtocolFloorApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipUnlessServed(scenario);
        var call = $"ProtocolFloor.AtLeastTls12(options for '{scenario}')";
        var options = Apply(api.AtLeastTls12, call, lab.CreateClientOptions(scenario), new Hint(Exercise, 1));
        var outcome = await TlsClient.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (!outcome.Succeeded)
        {
            var versionProblem = outcome.Problem == TlsProblem.NoCommonParameters && outcome.Validation is null;
            throw new GradingFailure(
                versionProblem
                    ? $"With AtLeastTls12 your client can no longer reach '{scenario}': no protocol version in common (EnabledSslProtocols is " +
                        $"{options.EnabledSslProtocols})."
                    : $"With AtLeastTls12 your client can no longer reach '{scenario}': the certificate check failed ({outcome.Problem}), so the " +
                        "options lost their TargetHost or trust.",
                $"{call}, then a handshake with '{scenario}' ({lab[scenario].Teaches})",
                $"{Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "the client connects: TLS 1.2 and TLS 1.3 servers are both fine",
                new Hint(Exercise, versionProblem ? 2 : 3));
        }
    }

    /// <summary>Property: AtLeastTls12 keeps TargetHost and trust, so 'wrong-host' is still refused for its name.</summary>
    public static async Task AtLeastTls12KeepsTheOtherOptionsAsync(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string call = "ProtocolFloor.AtLeastTls12(options for 'wrong-host')";
        var given = lab.CreateClientOptions("wrong-host");
        var givenHost = given.TargetHost;
        var options = Apply(api.AtLeastTls12, call, given, new Hint(Exercise, 1));
        if (options.TargetHost != givenHost || options.CertificateChainPolicy is null)
        {
            throw new GradingFailure(
                "AtLeastTls12 returned options without the TargetHost or trust it was given.",
                call,
                $"the returned options have {Describe.Trust(options)}",
                $"the same options, TargetHost '{givenHost}' and the lab-root chain policy kept, with only EnabledSslProtocols changed",
                new Hint(Exercise, 3));
        }

        var outcome = await TlsClient.ConnectAsync(lab["wrong-host"].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Problem != TlsProblem.NameMismatch)
        {
            var versionProblem = outcome.Problem == TlsProblem.NoCommonParameters && outcome.Validation is null;
            throw new GradingFailure(
                outcome.Succeeded ? "After AtLeastTls12, the client connects to 'wrong-host': the name check is gone."
                    : versionProblem ? "After AtLeastTls12, 'wrong-host' is refused before its name is checked: no protocol version in common " +
                        $"(EnabledSslProtocols is {options.EnabledSslProtocols})."
                    : $"After AtLeastTls12, 'wrong-host' is refused as TlsProblem.{outcome.Problem} instead of for its name: the trust it was given changed.",
                $"{call}, then a handshake with 'wrong-host'",
                Describe.Outcome(outcome),
                Describe.Refusal(lab["wrong-host"].Scenario.Rejection!),
                new Hint(Exercise, versionProblem ? 2 : 3));
        }

        await AttackerInTheMiddle.ReadsNothingFromAsync(lab, "ProtocolFloor.AtLeastTls12(options for 'good')",
            _ => Apply(api.AtLeastTls12, call, lab.CreateClientOptions("good"), new Hint(Exercise, 1)), (new Hint(Exercise, 3), new Hint(Exercise, 3)),
            cancellationToken);
    }

    /// <summary>
    /// Property: <paramref name="method"/> changes EnabledSslProtocols and nothing else: every other
    /// setting the caller made (TargetHost, chain policy, validation callback, client certificate,
    /// ALPN, revocation mode, resumption) is still set, and still takes effect on the wire.
    /// </summary>
    public static async Task ChangesOnlyTheProtocolsAsync(Lab lab, ProtocolFloorApi api, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(method);
        var onlyTls13 = method == "OnlyTls13";
        if (onlyTls13)
        {
            SkipWithoutTls13();
        }

        const string scenario = "client-cert-required";
        var endpoint = lab[scenario];
        var callbackCalls = 0;
        var given = lab.CreateClientOptions(scenario);
        bool TheCallersCallback(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            Interlocked.Increment(ref callbackCalls);
            return errors == SslPolicyErrors.None;
        }

        given.RemoteCertificateValidationCallback = TheCallersCallback;
        given.ClientCertificates = [ClientCertificates.GetValue(lab, l => l.Pki.IssueClientCertificate("exercise 3 attendee"))];
        given.ApplicationProtocols = [SslApplicationProtocol.Http11];
        given.AllowTlsResume = false;
        var before = ClientOptionsSnapshot.Of(given);
        var call = $"ProtocolFloor.{method}(options for '{scenario}' with a validation callback, a client certificate and ALPN http/1.1)";
        var options = Apply(onlyTls13 ? api.OnlyTls13 : api.AtLeastTls12, call, given, new Hint(Exercise, onlyTls13 ? 4 : 1));

        var lost = ClientOptionsSnapshot.Of(options).ChangesSince(before, nameof(SslClientAuthenticationOptions.EnabledSslProtocols));
        if (lost.Count > 0)
        {
            throw new GradingFailure(
                $"{method} changed more than the protocols: {ClientOptionsSnapshot.Names(lost)}.",
                call,
                $"compared with the options it was given, the options it returned differ in: {string.Join("; ", lost)}",
                "the caller's options with EnabledSslProtocols changed and every other setting as it was",
                new Hint(Exercise, 3));
        }

        var (outcome, record) = await ConnectAndReadRecordAsync(lab, scenario, options, cancellationToken);
        var tried = $"{call}, then a handshake with '{scenario}', a server that requires a client certificate issued under the lab root";
        var missing = new List<string>();
        if (!outcome.Succeeded)
        {
            missing.Add($"the handshake failed ({Describe.Outcome(outcome)})");
        }

        if (Volatile.Read(ref callbackCalls) == 0)
        {
            missing.Add("the caller's validation callback was never called");
        }

        if (record.ClientHello is { } hello && !hello.Alpn.Contains("http/1.1"))
        {
            missing.Add($"the ClientHello offered no ALPN http/1.1 (it offered {(hello.Alpn.Count == 0 ? "no ALPN at all" : string.Join(", ", hello.Alpn))})");
        }

        if (record.ClientHello?.ServerName is { } sni && !string.Equals(sni, endpoint.Host, StringComparison.OrdinalIgnoreCase))
        {
            missing.Add($"the ClientHello named '{sni}' instead of '{endpoint.Host}'");
        }

        if (missing.Count > 0)
        {
            throw new GradingFailure(
                $"After {method}, the caller's settings no longer take effect: {missing[0]}.",
                tried,
                string.Join("; ", missing),
                "the client presents its certificate, offers ALPN http/1.1, consults the caller's callback and connects",
                new Hint(Exercise, 3));
        }
    }

    /// <summary>
    /// Property: whatever the caller had enabled before (nothing, or TLS 1.2 and 1.3), after OnlyTls13
    /// the ClientHello offers TLS 1.3 and nothing else.
    /// </summary>
    public static async Task OnlyTls13OffersOnlyTls13Async(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipWithoutTls13();
        var checks = await Task.WhenAll(
            OnlyTls13OnAsync(lab, api, SslProtocols.None, "options for 'good'", cancellationToken),
            OnlyTls13OnAsync(lab, api, Modern, "options for 'good' that already enable Tls12, Tls13 (AtLeastTls12's answer)", cancellationToken));
        if (checks.FirstOrDefault(c => c is not null) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Property: after OnlyTls13 the server 'tls12-only' ends the handshake for lack of a common version
    /// (the client offered no TLS 1.2 and never got as far as the certificate), and 'tls13-only' is reached.
    /// </summary>
    public static async Task OnlyTls13MeetsTheVersionOnlyServersAsync(Lab lab, ProtocolFloorApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipWithoutTls13();
        SkipUnlessServed(scenario);
        var call = $"ProtocolFloor.OnlyTls13(options for '{scenario}')";
        var options = Apply(api.OnlyTls13, call, lab.CreateClientOptions(scenario), new Hint(Exercise, 4));
        var mustConnect = scenario != "tls12-only";
        if (mustConnect)
        {
            var outcome = await TlsClient.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
            if (!outcome.Succeeded)
            {
                var certificateProblem = outcome.Validation is { Passed: false };
                throw new GradingFailure(
                    certificateProblem
                        ? $"With OnlyTls13 your client cannot reach '{scenario}': the certificate check failed ({outcome.Problem}), so the options " +
                            "lost their TargetHost or trust."
                        : $"With OnlyTls13 your client cannot reach '{scenario}', which speaks TLS 1.3 (EnabledSslProtocols is {options.EnabledSslProtocols}).",
                    $"{call}, then a handshake with '{scenario}'",
                    $"{Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                    "the client connects with TLS 1.3",
                    new Hint(Exercise, certificateProblem ? 3 : 4));
            }

            return;
        }

        var (refused, record) = await ConnectAndReadRecordAsync(lab, scenario, options, cancellationToken);
        var offered = record.ClientHello is { } hello ? Offered(hello) : [];
        var tried = $"{call}, then a handshake with 'tls12-only' (a server that stops at TLS 1.2)";
        var happened = $"{Describe.Outcome(refused)}; the ClientHello offered {Names(offered)}; EnabledSslProtocols is {options.EnabledSslProtocols}";
        const string expected = "the handshake fails with TlsProblem.NoCommonParameters: the ClientHello offers no TLS 1.2, so the server has nothing " +
            "to agree to, and no certificate is ever looked at";
        if (refused.Succeeded)
        {
            throw new GradingFailure(
                $"With OnlyTls13 your client still connected to 'tls12-only' using {refused.Protocol}.",
                tried, happened, expected, new Hint(Exercise, 4));
        }

        if (refused.Problem != TlsProblem.NoCommonParameters || refused.Validation is not null || offered.Contains(Tls12))
        {
            var why = offered.Contains(Tls12)
                ? "the ClientHello still offered TLS 1.2, so the refusal came later, from " +
                    $"{(refused.Validation is not null ? "the certificate check or a callback after TLS 1.2 was agreed" : "something other than the versions")}"
                : refused.Validation is not null ? "the certificate was checked, so the versions were agreed " +
                    "first" : $"the problem was TlsProblem.{refused.Problem}";
            throw new GradingFailure(
                $"With OnlyTls13, 'tls12-only' was refused, but not for lack of a common version: {why}.",
                tried, happened, expected, new Hint(Exercise, 4));
        }
    }

#pragma warning disable SYSLIB0039 // naming the obsolete versions is the point: they must not be enabled
    private const SslProtocols Legacy = SslProtocols.Tls11 | SslProtocols.Tls12;
#pragma warning restore SYSLIB0039

    private static async Task<GradingFailure?> AtLeastTls12OnAsync(Lab lab, ProtocolFloorApi api, SslProtocols preset, string input,
        CancellationToken cancellationToken)
    {
        var call = $"ProtocolFloor.AtLeastTls12({input})";
        var given = lab.CreateClientOptions("good");
        given.EnabledSslProtocols = preset;
        var options = Apply(api.AtLeastTls12, call, given, new Hint(Exercise, 1));
        var (outcome, record) = await ConnectAndReadRecordAsync(lab, "good", options, cancellationToken);
        var offered = Offered(record.ClientHello
            ?? throw new InvalidOperationException($"The lab could not read a ClientHello from the client: {record.ClientHelloError}"));
        var tried = $"{call}, then a handshake with 'good'; the lab read the ClientHello your client sent";
        var happened = $"the ClientHello offered {Names(offered)}; {Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}";
        var extra = options.EnabledSslProtocols & ~Modern;

        if (offered.Contains(Tls10) || offered.Contains(Tls11) || extra != SslProtocols.None)
        {
            var kept = preset != SslProtocols.None && (extra & preset) != SslProtocols.None;
            return new GradingFailure(
                kept
                    ? $"AtLeastTls12 kept the {extra} the caller had enabled: it adds TLS 1.2 and 1.3 instead of setting exactly those two."
                    : options.EnabledSslProtocols == SslProtocols.None ? "AtLeastTls12 left EnabledSslProtocols at None, the operating system's " +
                        "default, and here that still offers TLS 1.0 or 1.1."
                    : offered.Contains(Tls10) || offered.Contains(Tls11) ? "Your client still offers TLS 1.0 or 1.1." : "AtLeastTls12 enables " +
                        $"{extra} besides TLS 1.2 and 1.3.",
                tried,
                happened,
                "supported_versions lists TLS 1.3 and TLS 1.2 only, and EnabledSslProtocols is exactly Tls12, Tls13 (set it with =, not |=)",
                new Hint(Exercise, 2));
        }

        if (options.EnabledSslProtocols == SslProtocols.None)
        {
            return new GradingFailure(
                "AtLeastTls12 left EnabledSslProtocols at None, the operating system's default.",
                tried,
                $"{happened}, which means whatever this machine's TLS library allows (on Debian's OpenSSL that includes TLS 1.0 and 1.1)",
                "EnabledSslProtocols names TLS 1.2 and TLS 1.3 explicitly, so the floor is the same on every machine",
                new Hint(Exercise, 2));
        }

        if (PlatformSupport.Tls13)
        {
            if (!offered.Contains(Tls13) || !offered.Contains(Tls12))
            {
                return new GradingFailure(
                    $"Your client offers {Names(offered)}; it should offer TLS 1.3 and TLS 1.2.",
                    tried,
                    happened,
                    "supported_versions lists TLS 1.3 and TLS 1.2 (dropping 1.2 is the next task, not this one)",
                    new Hint(Exercise, 2));
            }
        }
        else if (!options.EnabledSslProtocols.HasFlag(SslProtocols.Tls12))
        {
            return new GradingFailure(
                $"EnabledSslProtocols is {options.EnabledSslProtocols}, which leaves out TLS 1.2.",
                tried,
                happened,
                $"EnabledSslProtocols includes Tls12 (this machine has no TLS 1.3: {PlatformSupport.Tls13Problem})",
                new Hint(Exercise, 2));
        }

        return null;
    }

    private static async Task<GradingFailure?> OnlyTls13OnAsync(Lab lab, ProtocolFloorApi api, SslProtocols preset, string input,
        CancellationToken cancellationToken)
    {
        var call = $"ProtocolFloor.OnlyTls13({input})";
        var given = lab.CreateClientOptions("good");
        given.EnabledSslProtocols = preset;
        var options = Apply(api.OnlyTls13, call, given, new Hint(Exercise, 4));
        var (outcome, record) = await ConnectAndReadRecordAsync(lab, "good", options, cancellationToken);
        var offered = Offered(record.ClientHello
            ?? throw new InvalidOperationException($"The lab could not read a ClientHello from the client: {record.ClientHelloError}"));
        if (offered.Count == 1 && offered[0] == Tls13 && options.EnabledSslProtocols == SslProtocols.Tls13)
        {
            return null;
        }

        var kept = preset != SslProtocols.None && (options.EnabledSslProtocols & preset & ~SslProtocols.Tls13) != SslProtocols.None;
        return new GradingFailure(
            kept
                ? $"OnlyTls13 kept the {options.EnabledSslProtocols & ~SslProtocols.Tls13} the caller had enabled: the ClientHello offered {Names(offered)}."
                : $"OnlyTls13 should offer TLS 1.3 alone, but the ClientHello offered {Names(offered)}.",
            $"{call}, then a handshake with 'good'; the lab read the ClientHello",
            $"the ClientHello offered {Names(offered)}; {Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
            "supported_versions lists TLS 1.3 only, and EnabledSslProtocols is exactly Tls13 (set it with =, not |=)",
            new Hint(Exercise, 4));
    }

    private static SslClientAuthenticationOptions Apply(
        Func<SslClientAuthenticationOptions, SslClientAuthenticationOptions> method, string call, SslClientAuthenticationOptions options, Hint hint)
    {
        var result = Attempt.Call(call, hint, () => method(options));
        return result ?? throw new GradingFailure(
            $"{call.Split('(')[0]} returned null.",
            call,
            "it returned null",
            "the options it was given, with EnabledSslProtocols set",
            new Hint(Exercise, 1));
    }

    private static async Task<(HandshakeOutcome Outcome, ConnectionRecord Record)> ConnectAndReadRecordAsync(
        Lab lab, string scenario, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        // Ask for a page rather than hanging up right after the handshake: a client that resets the
        // connection while the lab writes its TLS 1.3 session tickets can leave the lab's record of
        // that connection without its ClientHello.
        var outcome = await TlsClient.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.LocalPort == 0)
        {
            throw new InvalidOperationException($"The grader could not even open a TCP connection to '{scenario}': {outcome.Explanation}");
        }

        // Match on the scenario and the time as well as the client's port: Linux picks a client's
        // local port per destination, so two recent connections to different endpoints (or an old
        // one to the same endpoint) can share a port number.
        var port = outcome.LocalPort;
        var record = await lab.WaitForConnectionAsync(
            r => r.Client?.Port == port && r.Scenario == scenario && r.AcceptedAt >= started,
            TimeSpan.FromSeconds(5),
            cancellationToken);
        return (outcome, record);
    }

    // What the client offered: supported_versions when present (every TLS 1.3-capable client sends
    // it), otherwise only the legacy_version field is known, which is a maximum, not a list.
    private static List<ushort> Offered(ClientHello hello)
    {
        var versions = hello.SupportedVersions.Where(v => !TlsNames.IsGrease(v)).ToList();
        return versions.Count > 0 ? versions : [hello.LegacyVersion];
    }

    private static string Names(IEnumerable<ushort> versions)
    {
        var list = versions.ToList();
        return list.Count == 0 ? "nothing the lab could read" : string.Join(", ", list.Select(TlsNames.Version));
    }

    private static void SkipWithoutTls13()
    {
        if (!PlatformSupport.Tls13)
        {
            Assert.Skip($"This check needs TLS 1.3, which this machine does not have: {PlatformSupport.Tls13Problem} The exercise still counts; the " +
                "rest of it is graded.");
        }
    }

    private static void SkipUnlessServed(string scenario)
    {
        if (PlatformSupport.Problem(ScenarioCatalog.Find(scenario)!) is { } problem)
        {
            Assert.Skip($"The lab cannot serve '{scenario}' on this machine: {problem}");
        }
    }
}
