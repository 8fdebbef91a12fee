using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Wire;

namespace TlsLab.Grading;

/// <summary>Exercise 3: a floor under the protocol versions a client offers, graded by its ClientHello.</summary>
public static class ProtocolFloorGrader
{
    private const int Exercise = 3;
    private const ushort Tls10 = 0x0301;
    private const ushort Tls11 = 0x0302;
    private const ushort Tls12 = 0x0303;
    private const ushort Tls13 = 0x0304;

    /// <summary>The endpoints a TLS 1.2-and-1.3 client must still reach.</summary>
    public static IReadOnlyList<string> ReachableWithTls12AndUp { get; } = ["good", "tls12-only", "tls13-only"];

    /// <summary>AtLeastTls12 makes the client offer TLS 1.3 and 1.2 and nothing older, and says so explicitly.</summary>
    public static async Task AtLeastTls12OffersOnlyModernVersionsAsync(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string call = "ProtocolFloor.AtLeastTls12(options for 'good')";
        var options = Apply(api.AtLeastTls12, call, lab.CreateClientOptions("good"), new Hint(Exercise, 1));
        var (outcome, hello) = await ConnectAndReadHelloAsync(lab, "good", options, cancellationToken);
        var offered = Offered(hello);
        var tried = $"{call}, then a handshake with 'good'; the lab read the ClientHello your client sent";
        var happened = $"the ClientHello offered {Names(offered)}; {Describe.Outcome(outcome)}";

        if (offered.Contains(Tls10) || offered.Contains(Tls11) || ((options.EnabledSslProtocols & Obsolete) != 0))
        {
            throw new GradingFailure(
                "Your client still offers TLS 1.0 or 1.1.",
                tried,
                $"{happened}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "supported_versions lists TLS 1.3 and TLS 1.2 only",
                new Hint(Exercise, 2));
        }

        if (options.EnabledSslProtocols == SslProtocols.None)
        {
            throw new GradingFailure(
                "AtLeastTls12 left EnabledSslProtocols at None, the operating system's default.",
                tried,
                $"{happened}; EnabledSslProtocols is None, which means whatever this machine's TLS library allows (on Debian's OpenSSL that includes TLS 1.0 and 1.1)",
                "EnabledSslProtocols names TLS 1.2 and TLS 1.3 explicitly, so the floor is the same on every machine",
                new Hint(Exercise, 2));
        }

        if (PlatformSupport.Tls13)
        {
            if (!offered.Contains(Tls13) || !offered.Contains(Tls12))
            {
                throw new GradingFailure(
                    $"Your client offers {Names(offered)}; it should offer TLS 1.3 and TLS 1.2.",
                    tried,
                    happened,
                    "supported_versions lists TLS 1.3 and TLS 1.2 (dropping 1.2 is the next task, not this one)",
                    new Hint(Exercise, 2));
            }
        }
        else if (!options.EnabledSslProtocols.HasFlag(SslProtocols.Tls12))
        {
            throw new GradingFailure(
                $"EnabledSslProtocols is {options.EnabledSslProtocols}, which leaves out TLS 1.2.",
                tried,
                happened,
                $"EnabledSslProtocols includes Tls12 (this machine has no TLS 1.3: {PlatformSupport.Tls13Problem})",
                new Hint(Exercise, 2));
        }
    }

    /// <summary>AtLeastTls12 still reaches <paramref name="scenario"/>.</summary>
    public static async Task AtLeastTls12ReachesAsync(Lab lab, ProtocolFloorApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipUnlessServed(scenario);
        var call = $"ProtocolFloor.AtLeastTls12(options for '{scenario}')";
        var options = Apply(api.AtLeastTls12, call, lab.CreateClientOptions(scenario), new Hint(Exercise, 1));
        var outcome = await TlsProbe.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new GradingFailure(
                $"With AtLeastTls12 your client can no longer reach '{scenario}'.",
                $"{call}, then a handshake with '{scenario}' ({lab[scenario].Teaches})",
                $"{Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "the client connects: TLS 1.2 and TLS 1.3 servers are both fine",
                new Hint(Exercise, outcome.Problem == TlsProblem.NoCommonParameters ? 2 : 3));
        }
    }

    /// <summary>AtLeastTls12 changes only the protocols: TargetHost and trust still work (wrong-host is still refused).</summary>
    public static async Task AtLeastTls12KeepsTheOtherOptionsAsync(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string call = "ProtocolFloor.AtLeastTls12(options for 'wrong-host')";
        var given = lab.CreateClientOptions("wrong-host");
        var options = Apply(api.AtLeastTls12, call, given, new Hint(Exercise, 1));
        if (options.TargetHost != given.TargetHost || options.CertificateChainPolicy is null)
        {
            throw new GradingFailure(
                "AtLeastTls12 returned options without the TargetHost or trust it was given.",
                call,
                $"the returned options have {Describe.Trust(options)}",
                $"the same options, TargetHost '{given.TargetHost}' and the lab-root chain policy kept, with only EnabledSslProtocols changed",
                new Hint(Exercise, 3));
        }

        var outcome = await TlsProbe.ConnectAsync(lab["wrong-host"].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Problem != TlsProblem.NameMismatch)
        {
            throw new GradingFailure(
                "After AtLeastTls12, the client no longer refuses 'wrong-host' for its name.",
                $"{call}, then a handshake with 'wrong-host'",
                Describe.Outcome(outcome),
                Describe.Refusal(lab["wrong-host"].Scenario.Rejection!),
                new Hint(Exercise, 3));
        }
    }

    /// <summary>OnlyTls13 makes the client offer TLS 1.3 and nothing else.</summary>
    public static async Task OnlyTls13OffersOnlyTls13Async(Lab lab, ProtocolFloorApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipWithoutTls13();
        const string call = "ProtocolFloor.OnlyTls13(options for 'good')";
        var options = Apply(api.OnlyTls13, call, lab.CreateClientOptions("good"), new Hint(Exercise, 4));
        var (outcome, hello) = await ConnectAndReadHelloAsync(lab, "good", options, cancellationToken);
        var offered = Offered(hello);
        if (offered.Count != 1 || offered[0] != Tls13)
        {
            throw new GradingFailure(
                $"OnlyTls13 should offer TLS 1.3 alone, but the ClientHello offered {Names(offered)}.",
                $"{call}, then a handshake with 'good'; the lab read the ClientHello",
                $"the ClientHello offered {Names(offered)}; {Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "supported_versions lists TLS 1.3 only",
                new Hint(Exercise, 4));
        }
    }

    /// <summary>OnlyTls13 is refused by tls12-only (no common version) and still reaches tls13-only.</summary>
    public static async Task OnlyTls13MeetsTheVersionOnlyServersAsync(Lab lab, ProtocolFloorApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        SkipWithoutTls13();
        SkipUnlessServed(scenario);
        var call = $"ProtocolFloor.OnlyTls13(options for '{scenario}')";
        var options = Apply(api.OnlyTls13, call, lab.CreateClientOptions(scenario), new Hint(Exercise, 4));
        var outcome = await TlsProbe.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        var mustConnect = scenario != "tls12-only";
        if (mustConnect && !outcome.Succeeded)
        {
            throw new GradingFailure(
                $"With OnlyTls13 your client cannot reach '{scenario}', which speaks TLS 1.3.",
                $"{call}, then a handshake with '{scenario}'",
                $"{Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "the client connects with TLS 1.3",
                new Hint(Exercise, 4));
        }

        if (!mustConnect && outcome.Problem != TlsProblem.NoCommonParameters)
        {
            throw new GradingFailure(
                outcome.Succeeded
                    ? $"With OnlyTls13 your client still connected to 'tls12-only' using {outcome.Protocol}."
                    : $"With OnlyTls13, 'tls12-only' should refuse for lack of a common version, but the problem was TlsProblem.{outcome.Problem}.",
                $"{call}, then a handshake with 'tls12-only' (a server that stops at TLS 1.2)",
                $"{Describe.Outcome(outcome)}; EnabledSslProtocols is {options.EnabledSslProtocols}",
                "the handshake fails with TlsProblem.NoCommonParameters: the two sides share no version",
                new Hint(Exercise, 4));
        }
    }

#pragma warning disable SYSLIB0039 // naming the obsolete versions is the point: they must not be enabled
    private const SslProtocols Obsolete = SslProtocols.Tls | SslProtocols.Tls11;
#pragma warning restore SYSLIB0039

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

    private static async Task<(HandshakeOutcome Outcome, ClientHello Hello)> ConnectAndReadHelloAsync(
        Lab lab, string scenario, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        // Ask for a page rather than hanging up right after the handshake: a client that resets the
        // connection while the lab writes its TLS 1.3 session tickets can leave the lab's record of
        // that connection without its ClientHello.
        var outcome = await TlsProbe.ConnectAsync(lab[scenario].EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
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
        return (outcome, record.ClientHello
            ?? throw new InvalidOperationException($"The lab could not read a ClientHello from the client: {record.ClientHelloError}"));
    }

    // What the client offered: supported_versions when present (every TLS 1.3-capable client sends
    // it), otherwise only the legacy_version field is known, which is a maximum, not a list.
    private static List<ushort> Offered(ClientHello hello)
    {
        var versions = hello.SupportedVersions.Where(v => !TlsNames.IsGrease(v)).ToList();
        return versions.Count > 0 ? versions : [hello.LegacyVersion];
    }

    private static string Names(IEnumerable<ushort> versions) => string.Join(", ", versions.Select(TlsNames.Version));

    private static void SkipWithoutTls13()
    {
        if (!PlatformSupport.Tls13)
        {
            Assert.Skip($"This check needs TLS 1.3, which this machine does not have: {PlatformSupport.Tls13Problem} The exercise still counts; the rest of it is graded.");
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
