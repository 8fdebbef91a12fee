using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Exercise 6: a server restricted to Mozilla's intermediate profile.</summary>
public static class CiphersGrader
{
    private const int Exercise = 6;
    private const string ServerName = "exercise6.localhost";

    /// <summary>The suites the list must contain: TLS 1.3's three, and TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305.</summary>
    public static IReadOnlyList<TlsCipherSuite> Required { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Suites the profile also lists (finite-field DHE); allowed, not required.</summary>
    public static IReadOnlyList<TlsCipherSuite> AlsoInProfile { get; } =
    [
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    // Property: the list is the profile: every required suite, nothing outside it.
    /// <summary>MozillaIntermediate holds every required suite and nothing outside the profile.</summary>
    public static void ListIsTheIntermediateProfile(CiphersApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string call = "ModernCiphers.MozillaIntermediate";
        var list = Attempt.Call(call, new Hint(Exercise, 1), () => api.MozillaIntermediate());
        if (list is null || list.Count == 0)
        {
            throw new GradingFailure("ModernCiphers.MozillaIntermediate is empty.", call, list is null ? "it is null" : "it has no suites",
                $"the {Required.Count} suites of the profile", new Hint(Exercise, 1));
        }

        var happened = $"it lists {list.Count}: {string.Join(", ", list)}";
        var outside = list.Where(s => !Required.Contains(s) && !AlsoInProfile.Contains(s)).Distinct().ToList();
        if (outside.Count > 0)
        {
            var cbc = outside.Where(s => TlsNames.IsCbc((ushort)s)).ToList();
            var staticRsa = outside.Where(IsStaticRsa).ToList();
            var tls13 = outside.Where(s => TlsNames.IsTls13Suite((ushort)s)).ToList();
            throw new GradingFailure(
                cbc.Count > 0
                    ? $"The list still allows CBC: {string.Join(", ", cbc)}."
                    : staticRsa.Count > 0
                        ? $"The list allows static RSA key exchange (no forward secrecy): {string.Join(", ", staticRsa)}."
                        : tls13.Count == outside.Count
                            ? $"The list has TLS 1.3 suites the profile leaves out: {string.Join(", ", tls13)}."
                            : $"The list has suites outside the intermediate profile: {string.Join(", ", outside)}.",
                call,
                happened,
                "only TLS 1.3's three suites and TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305 (the profile's DHE-RSA AEAD suites are tolerated)",
                new Hint(Exercise, cbc.Count == 0 && staticRsa.Count == 0 && tls13.Count == outside.Count ? 3 : 2));
        }

        var missing = Required.Where(s => !list.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            var hint = missing.Any(s => TlsNames.IsTls13Suite((ushort)s)) ? 3
                : missing.Any(s => s.ToString().Contains("_RSA_", StringComparison.Ordinal)) ? 4
                : 2;
            throw new GradingFailure(
                $"The list is missing {missing.Count} suite(s) of the profile: {string.Join(", ", missing)}.",
                call,
                happened,
                $"all of: {string.Join(", ", Required)}",
                new Hint(Exercise, hint));
        }
    }

    // Property: on the wire, a client that offers only CBC suites finds no common suite.
    /// <summary>A server with CreateServerOptions refuses a client that offers only CBC suites.</summary>
    public static async Task RefusesACbcOnlyClientAsync(Lab lab, CiphersApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (!PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
            return;
        }

        var (call, serverOptions) = CreateServerOptions(api, lab, await LeafAsync(lab, KeyKind.EcdsaP256));
        var client = ClientOptions(lab, SslProtocols.Tls12);
        client.CipherSuitesPolicy = CipherPolicies.CbcOnly;
        var (outcome, serverError) = await HandshakeAsync(serverOptions, client, cancellationToken);
        if (outcome.Succeeded)
        {
            throw new GradingFailure(
                $"Your server accepted a client that offers only CBC suites, and negotiated {outcome.CipherSuite}.",
                $"{call}, then a TLS 1.2 client offering only CBC suites ({string.Join(", ", CipherPolicies.CbcOnly.AllowedCipherSuites)})",
                Describe.Outcome(outcome),
                "the handshake fails: the server and the client share no suite (TlsProblem.NoCommonParameters)",
                new Hint(Exercise, 2));
        }

        if (outcome.Problem != TlsProblem.NoCommonParameters)
        {
            throw new GradingFailure(
                $"The CBC-only client was refused, but as TlsProblem.{outcome.Problem} rather than for lack of a common suite.",
                $"{call}, then a TLS 1.2 client offering only CBC suites",
                $"{Describe.Outcome(outcome)}; the server side said: {(serverError is null ? "nothing" : Attempt.OneLine(serverError))}",
                "TlsProblem.NoCommonParameters",
                new Hint(Exercise, 5));
        }
    }

    // Property: an ordinary client still connects, with an ECDHE AEAD suite, over each protocol and with each key type.
    /// <summary>A server with CreateServerOptions negotiates an AEAD suite (ECDHE under TLS 1.2) with a default client.</summary>
    public static async Task NegotiatesAnAeadSuiteAsync(Lab lab, CiphersApi api, KeyKind key, SslProtocols protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (!PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
            return;
        }

        if (protocol == SslProtocols.Tls13 && !PlatformSupport.Tls13)
        {
            Assert.Skip($"This machine has no TLS 1.3: {PlatformSupport.Tls13Problem}");
        }

        var (call, serverOptions) = CreateServerOptions(api, lab, await LeafAsync(lab, key));
        var (outcome, serverError) = await HandshakeAsync(serverOptions, ClientOptions(lab, protocol), cancellationToken);
        var tried = $"{call} with an {key} certificate, then a {protocol} client with the platform's default suites";
        if (!outcome.Succeeded)
        {
            if (serverOptions.EnabledSslProtocols != SslProtocols.None && !serverOptions.EnabledSslProtocols.HasFlag(protocol))
            {
                throw new GradingFailure(
                    $"Your server does not enable {protocol} (EnabledSslProtocols is {serverOptions.EnabledSslProtocols}), so a {protocol} client " +
                        "cannot connect.",
                    tried,
                    $"{Describe.Outcome(outcome)}; the server side said: {(serverError is null ? "nothing" : Attempt.OneLine(serverError))}",
                    "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13",
                    new Hint(Exercise, 5));
            }

            var allowed = serverOptions.CipherSuitesPolicy!.AllowedCipherSuites.ToList();
            var forKey = key == KeyKind.Rsa2048 ? "_ECDHE_RSA_" : "_ECDHE_ECDSA_";
            if (protocol == SslProtocols.Tls12 && !allowed.Any(s => ("_" + s).Contains(forKey, StringComparison.Ordinal)))
            {
                throw new GradingFailure(
                    $"Your server's CipherSuitesPolicy has no TLS 1.2 suite for an {(key == KeyKind.Rsa2048 ? "RSA" : "ECDSA")} certificate " +
                        $"({forKey.Trim('_')}), so a TLS 1.2 client cannot connect to a server that has one.",
                    tried,
                    $"{Describe.Outcome(outcome)}; the policy allows {string.Join(", ", allowed)}",
                    $"the {forKey.Trim('_')} suites of the profile, next to the other kind: one policy serves either certificate",
                    new Hint(Exercise, 4));
            }

            if (protocol == SslProtocols.Tls13 && !allowed.Any(s => TlsNames.IsTls13Suite((ushort)s)))
            {
                throw new GradingFailure(
                    "Your server's CipherSuitesPolicy has no TLS 1.3 suite, so a TLS 1.3 client cannot connect.",
                    tried,
                    $"{Describe.Outcome(outcome)}; the policy allows {string.Join(", ", allowed)}",
                    "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256 in the same policy",
                    new Hint(Exercise, 3));
            }

            throw new GradingFailure(
                $"A {protocol} client could not connect to your server with an {key} certificate.",
                tried,
                $"{Describe.Outcome(outcome)}; the server side said: {(serverError is null ? "nothing" : Attempt.OneLine(serverError))}",
                $"the handshake completes with an AEAD suite" + (key == KeyKind.Rsa2048 ? " (an RSA certificate needs the ECDHE_RSA suites)" : string.Empty),
                new Hint(Exercise, key == KeyKind.Rsa2048 ? 4 : protocol == SslProtocols.Tls13 ? 3 : 5));
        }

        // Under TLS 1.3 the client finishes before the server has judged it: a server that then turns the client away (it wanted a
        // client certificate, say) shows only on the server's side.
        if (serverError is not null)
        {
            throw new GradingFailure(
                $"Your server turned away an ordinary {protocol} client after the handshake: " +
                    (serverOptions.ClientCertificateRequired ? "it requires a client certificate (ClientCertificateRequired = true)."
                        : $"{serverError.GetType().Name}."),
                tried,
                $"the client finished its handshake; the server's failed: {Attempt.OneLine(serverError)}",
                "both sides complete the handshake: options for cipher suites and versions, nothing that asks the client to prove who it is",
                new Hint(Exercise, 5));
        }

        var suite = (ushort)outcome.CipherSuite!.Value;
        var ecdheOrTls13 = TlsNames.IsTls13Suite(suite) || outcome.CipherSuite.Value.ToString().Contains("ECDHE", StringComparison.Ordinal);
        if (!TlsNames.IsAead(suite) || !ecdheOrTls13)
        {
            throw new GradingFailure(
                $"Your server negotiated {outcome.CipherSuite}, which is not an ECDHE AEAD suite.",
                tried,
                Describe.Outcome(outcome),
                "a TLS 1.3 suite, or TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305",
                new Hint(Exercise, 2));
        }
    }

    // Property: the options allow exactly the list (the policy is made from MozillaIntermediate:
    // nothing added "for old clients", nothing lost) and no protocol older than TLS 1.2.
    /// <summary>CreateServerOptions's CipherSuitesPolicy allows exactly MozillaIntermediate, over TLS 1.2 and 1.3 only.</summary>
    public static async Task OptionsAllowExactlyTheListAsync(Lab lab, CiphersApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (!PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
            return;
        }

        var (call, options) = CreateServerOptions(api, lab, await LeafAsync(lab, KeyKind.EcdsaP256));
        var list = Attempt.Call("ModernCiphers.MozillaIntermediate", new Hint(Exercise, 1), () => api.MozillaIntermediate()) ?? [];
        var allowed = options.CipherSuitesPolicy!.AllowedCipherSuites.ToList();
        var happened = $"options.CipherSuitesPolicy.AllowedCipherSuites: {string.Join(", ", allowed)}";
        var extra = allowed.Where(s => !list.Contains(s)).Distinct().ToList();
        if (extra.Count > 0)
        {
            throw new GradingFailure(
                $"CreateServerOptions allows {extra.Count} suite(s) that MozillaIntermediate does not list: " +
                    $"{string.Join(", ", extra.Select(s => $"{s} ({Why(s)})"))}.",
                call,
                happened,
                "CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate): the list itself, nothing added for old clients",
                new Hint(Exercise, 5));
        }

        var lost = list.Where(s => !allowed.Contains(s)).Distinct().ToList();
        if (lost.Count > 0)
        {
            throw new GradingFailure(
                $"CreateServerOptions leaves out {lost.Count} suite(s) of MozillaIntermediate: {string.Join(", ", lost)}.",
                call,
                happened,
                "CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate): the whole list",
                new Hint(Exercise, 5));
        }

        var older = options.EnabledSslProtocols & ~(SslProtocols.Tls12 | SslProtocols.Tls13);
        if (older != SslProtocols.None)
        {
            throw new GradingFailure(
                $"CreateServerOptions enables protocols older than TLS 1.2 ({older}), which the profile drops.",
                call,
                $"options.EnabledSslProtocols is {options.EnabledSslProtocols}",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, as in exercise 3",
                new Hint(Exercise, 5));
        }

        // None leaves the floor to the platform: TLS 1.2 here, TLS 1.0 on an older Windows or OpenSSL
        // configuration. The profile is a promise about versions too, so it must be written down,
        // as exercise 3 asks of the client.
        if (options.EnabledSslProtocols == SslProtocols.None)
        {
            throw new GradingFailure(
                "CreateServerOptions leaves EnabledSslProtocols at None, so the operating system decides which versions the server accepts.",
                call,
                "options.EnabledSslProtocols is None (the platform's default, which still includes TLS 1.0 and 1.1 on some systems)",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, as in exercise 3: the profile names its versions",
                new Hint(Exercise, 5));
        }

        var missing = (SslProtocols.Tls12 | SslProtocols.Tls13) & ~options.EnabledSslProtocols;
        if (missing != SslProtocols.None)
        {
            throw new GradingFailure(
                $"CreateServerOptions leaves out {missing}, so clients that speak only that version cannot connect.",
                call,
                $"options.EnabledSslProtocols is {options.EnabledSslProtocols}",
                "EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13: the profile serves both",
                new Hint(Exercise, 5));
        }
    }

    // Property: on the wire, with an ECDSA and with an RSA certificate, the server refuses every suite
    // outside the profile, each offered alone (so no single extra suite can hide behind a good one).
    /// <summary>A client offering one suite outside the profile, for each such suite in turn, is refused.</summary>
    public static async Task RefusesEachSuiteOutsideTheProfileAsync(Lab lab, CiphersApi api, KeyKind key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (!PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
            return;
        }

        var (call, options) = CreateServerOptions(api, lab, await LeafAsync(lab, key));
        var probes = (key == KeyKind.Rsa2048 ? RsaProbes : EcdsaProbes)
            .Where(s => PlatformSupport.Tls13 || !TlsNames.IsTls13Suite((ushort)s))
            .ToList();
        var attempts = new List<(TlsCipherSuite Suite, SslClientAuthenticationOptions Options)>();
        foreach (var suite in probes)
        {
            attempts.Add((suite, ProbeOptions(lab, suite)));
        }

        (TlsCipherSuite Suite, HandshakeOutcome Outcome)[] results;
        await using (var server = FixtureTlsServer.Serve(options))
        {
            results = await Task.WhenAll(attempts.Select(async attempt =>
                (attempt.Suite, await TlsClient.ConnectAsync(server.EndPoint, attempt.Options, path: null, TimeSpan.FromSeconds(5), cancellationToken))));
        }

        var accepted = results.Where(r => r.Outcome.Succeeded).ToList();
        if (accepted.Count == 0)
        {
            return;
        }

        var list = Attempt.Call("ModernCiphers.MozillaIntermediate", new Hint(Exercise, 1), () => api.MozillaIntermediate()) ?? [];
        var first = accepted[0].Suite;
        var fromList = list.Contains(first);
        var certificate = key == KeyKind.Rsa2048 ? "an RSA" : "an ECDSA";
        throw new GradingFailure(
            $"With {certificate} certificate your server accepted a client offering only {first} ({Why(first)})" +
            (accepted.Count > 1 ? $", and {accepted.Count - 1} more suite(s) outside the profile." : ".") +
            (fromList ? string.Empty : " MozillaIntermediate does not list it: CreateServerOptions added it to the policy."),
            $"{call} with {certificate} certificate; then {probes.Count} clients at once, each offering one suite outside the profile: " +
                $"{string.Join(", ", probes)}",
            string.Join("; ", accepted.Select(a => $"{a.Suite}: {Describe.Outcome(a.Outcome)}")),
            "every one refused for lack of a common suite (TlsProblem.NoCommonParameters)",
            new Hint(Exercise, !fromList ? 5 : TlsNames.IsTls13Suite((ushort)first) ? 3 : 2));
    }

    // One ECDSA and one RSA leaf per lab: an RSA key costs up to a second to generate on a busy laptop.
    private static readonly ConditionalWeakTable<Lab, ConcurrentDictionary<KeyKind, Lazy<Task<X509Certificate2>>>> Leaves = [];

    /// <summary>Suites outside the profile an ECDSA server could negotiate: ECDHE_ECDSA with CBC or CCM, and TLS 1.3's CCM suites.</summary>
    private static IReadOnlyList<TlsCipherSuite> EcdsaProbes { get; } =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CCM,
        TlsCipherSuite.TLS_AES_128_CCM_SHA256,
        TlsCipherSuite.TLS_AES_128_CCM_8_SHA256,
    ];

    /// <summary>Suites outside the profile an RSA server could negotiate: ECDHE_RSA with CBC, and static RSA key exchange.</summary>
    private static IReadOnlyList<TlsCipherSuite> RsaProbes { get; } =
    [
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
    ];

    private static Task<X509Certificate2> LeafAsync(Lab lab, KeyKind key) =>
        Leaves.GetValue(lab, _ => new())
            .GetOrAdd(key, k => new Lazy<Task<X509Certificate2>>(() => Task.Run(() => lab.Pki.IssueServerCertificate(ServerName, k))))
            .Value;

    // A client that offers exactly one suite, over the protocol that suite belongs to.
    [UnsupportedOSPlatform("windows")]
    private static SslClientAuthenticationOptions ProbeOptions(Lab lab, TlsCipherSuite suite)
    {
        var options = ClientOptions(lab, TlsNames.IsTls13Suite((ushort)suite) ? SslProtocols.Tls13 : SslProtocols.Tls12);
        options.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
        return options;
    }

    private static string Why(TlsCipherSuite suite) =>
        TlsNames.IsCbc((ushort)suite) ? "CBC with a separate MAC"
        : IsStaticRsa(suite) ? "static RSA key exchange: no forward secrecy"
        : TlsNames.IsTls13Suite((ushort)suite) ? "a TLS 1.3 suite the profile leaves out"
        : "not in the profile";

    [UnsupportedOSPlatform("windows")]
    private static (string Call, SslServerAuthenticationOptions Options) CreateServerOptions(CiphersApi api, Lab lab, X509Certificate2 leaf)
    {
        const string call = "ModernCiphers.CreateServerOptions(context)";
        var context = ServerCertificates.CreateContext(leaf, [lab.Pki.Intermediate.PublicCertificate]);
        var options = Attempt.Call(call, new Hint(Exercise, 5), () => api.CreateServerOptions(context));
        if (options is null)
        {
            throw new GradingFailure("CreateServerOptions returned null.", call, "it returned null", "new SslServerAuthenticationOptions { ... " +
                "}", new Hint(Exercise, 5));
        }

        if (options.CipherSuitesPolicy is null)
        {
            throw new GradingFailure(
                "CreateServerOptions sets no CipherSuitesPolicy, so the server would accept whatever the platform allows (CBC included).",
                call,
                "options.CipherSuitesPolicy is null",
                "CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate)",
                new Hint(Exercise, 5));
        }

        if (options.ServerCertificateContext is null && options.ServerCertificate is null && options.ServerCertificateSelectionCallback is null)
        {
            throw new GradingFailure(
                "CreateServerOptions sets no certificate, so no handshake can complete.",
                call,
                "ServerCertificateContext, ServerCertificate and ServerCertificateSelectionCallback are all null",
                "ServerCertificateContext = the context passed in",
                new Hint(Exercise, 5));
        }

        if (options.ServerCertificateContext is null && options.ServerCertificate is not null)
        {
            throw new GradingFailure(
                "CreateServerOptions sets ServerCertificate instead of the context it was given, so the server would send its certificate without the " +
                    "intermediate.",
                call,
                $"ServerCertificate is '{options.ServerCertificate.Subject}', ServerCertificateContext is null",
                "ServerCertificateContext = the context passed in (it carries the intermediates)",
                new Hint(Exercise, 5));
        }

        if (options.ServerCertificateContext is { } served && served.TargetCertificate.Thumbprint != context.TargetCertificate.Thumbprint)
        {
            throw new GradingFailure(
                $"CreateServerOptions serves '{served.TargetCertificate.Subject}', not the certificate it was given.",
                call,
                $"ServerCertificateContext.TargetCertificate is '{served.TargetCertificate.Subject}' ({served.TargetCertificate.Thumbprint})",
                $"ServerCertificateContext = the context passed in ('{context.TargetCertificate.Subject}')",
                new Hint(Exercise, 5));
        }

        return (call, options);
    }

    private static bool IsStaticRsa(TlsCipherSuite suite) => suite.ToString().StartsWith("TLS_RSA_", StringComparison.Ordinal);

    private static SslClientAuthenticationOptions ClientOptions(Lab lab, SslProtocols protocol) => new()
    {
        TargetHost = ServerName,
        CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
        EnabledSslProtocols = protocol,
    };

    // One handshake against a throwaway listener that serves the attendee's options.
    private static async Task<(HandshakeOutcome Outcome, Exception? ServerError)> HandshakeAsync(
        SslServerAuthenticationOptions serverOptions, SslClientAuthenticationOptions clientOptions, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var endPoint = (IPEndPoint)listener.LocalEndpoint;
            var serverSide = ServeOnceAsync(listener, serverOptions, cancellationToken);
            var outcome = await TlsClient.ConnectAsync(endPoint, clientOptions, path: null, TimeSpan.FromSeconds(5), cancellationToken);
            return (outcome, await serverSide);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<Exception?> ServeOnceAsync(TcpListener listener, SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var socket = await listener.AcceptSocketAsync(deadline.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(options, deadline.Token);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }

    private static void SkipWithoutCipherPolicies() =>
        Assert.Skip("Cipher suites cannot be chosen per connection here: " +
            $"{PlatformSupport.CipherSuitesPolicyProblem ?? "CipherSuitesPolicy is not available on this platform."} " +
                    "On Windows the suites are a machine-wide setting (Group Policy, or PowerShell's Disable-TlsCipherSuite). The list itself is " +
                        "still graded.");
}
