using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Wire;

namespace TlsLab.Grading;

/// <summary>Exercise 6: a server restricted to Mozilla's intermediate profile.</summary>
public static class CipherGrader
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

    /// <summary>MozillaIntermediate holds every required suite and nothing outside the profile.</summary>
    public static void ListIsTheIntermediateProfile(CipherApi api)
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
            throw new GradingFailure(
                cbc.Count > 0
                    ? $"The list still allows CBC: {string.Join(", ", cbc)}."
                    : $"The list has suites outside the intermediate profile: {string.Join(", ", outside)}.",
                call,
                happened,
                "only TLS 1.3 suites and TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305 (the profile's DHE-RSA AEAD suites are tolerated)",
                new Hint(Exercise, 2));
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

    /// <summary>A server with CreateServerOptions refuses a client that offers only CBC suites.</summary>
    public static async Task RefusesACbcOnlyClientAsync(Lab lab, CipherApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (OperatingSystem.IsWindows() || !PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
        }
        else
        {
            await RefusesACbcOnlyClientCoreAsync(lab, api, cancellationToken);
        }
    }

    /// <summary>A server with CreateServerOptions negotiates an AEAD suite (ECDHE under TLS 1.2) with a default client.</summary>
    public static async Task NegotiatesAnAeadSuiteAsync(Lab lab, CipherApi api, KeyKind key, SslProtocols protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        if (OperatingSystem.IsWindows() || !PlatformSupport.CipherSuitesPolicy)
        {
            SkipWithoutCipherPolicies();
        }
        else if (protocol == SslProtocols.Tls13 && !PlatformSupport.Tls13)
        {
            Assert.Skip($"This machine has no TLS 1.3: {PlatformSupport.Tls13Problem}");
        }
        else
        {
            await NegotiatesAnAeadSuiteCoreAsync(lab, api, key, protocol, cancellationToken);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task RefusesACbcOnlyClientCoreAsync(Lab lab, CipherApi api, CancellationToken cancellationToken)
    {
        using var leaf = lab.Pki.IssueServerCertificate(ServerName, KeyKind.EcdsaP256);
        var (call, serverOptions) = CreateServerOptions(api, lab, leaf);
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

    [UnsupportedOSPlatform("windows")]
    private static async Task NegotiatesAnAeadSuiteCoreAsync(Lab lab, CipherApi api, KeyKind key, SslProtocols protocol, CancellationToken cancellationToken)
    {
        using var leaf = lab.Pki.IssueServerCertificate(ServerName, key);
        var (call, serverOptions) = CreateServerOptions(api, lab, leaf);
        var (outcome, serverError) = await HandshakeAsync(serverOptions, ClientOptions(lab, protocol), cancellationToken);
        var tried = $"{call} with an {key} certificate, then a {protocol} client with the platform's default suites";
        if (!outcome.Succeeded)
        {
            throw new GradingFailure(
                $"A {protocol} client could not connect to your server with an {key} certificate.",
                tried,
                $"{Describe.Outcome(outcome)}; the server side said: {(serverError is null ? "nothing" : Attempt.OneLine(serverError))}",
                $"the handshake completes with an AEAD suite" + (key == KeyKind.Rsa2048 ? " (an RSA certificate needs the ECDHE_RSA suites)" : string.Empty),
                new Hint(Exercise, key == KeyKind.Rsa2048 ? 4 : protocol == SslProtocols.Tls13 ? 3 : 5));
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

    [UnsupportedOSPlatform("windows")]
    private static (string Call, SslServerAuthenticationOptions Options) CreateServerOptions(CipherApi api, Lab lab, X509Certificate2 leaf)
    {
        const string call = "ModernCiphers.CreateServerOptions(context)";
        var context = ServerCertificates.CreateContext(leaf, [lab.Pki.Intermediate.PublicCertificate]);
        var options = Attempt.Call(call, new Hint(Exercise, 5), () => api.CreateServerOptions(context));
        if (options is null)
        {
            throw new GradingFailure("CreateServerOptions returned null.", call, "it returned null", "new SslServerAuthenticationOptions { ... }", new Hint(Exercise, 5));
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

        return (call, options);
    }

    private static SslClientAuthenticationOptions ClientOptions(Lab lab, SslProtocols protocol) => new()
    {
        TargetHost = ServerName,
        CertificateChainPolicy = lab.CreateChainPolicy(),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
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
            var outcome = await TlsProbe.ConnectAsync(endPoint, clientOptions, path: null, TimeSpan.FromSeconds(5), cancellationToken);
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
        Assert.Skip($"Cipher suites cannot be chosen per connection here: {PlatformSupport.CipherSuitesPolicyProblem ?? "CipherSuitesPolicy is not available on this platform."} " +
                    "On Windows the suites are a machine-wide setting (Group Policy, or PowerShell's Disable-TlsCipherSuite). The list itself is still graded.");
}
