using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>One endpoint of the zoo: what it serves and what it teaches.</summary>
public sealed record Scenario
{
    /// <summary>Every scenario of the zoo, in port order: with a base port, scenario N listens on base port + N.</summary>
    public static IReadOnlyList<Scenario> All => ScenarioCatalog.All;

    /// <summary>The names of all scenarios, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names => ScenarioCatalog.Names;

    /// <summary>Finds a scenario by name (any case), or returns null.</summary>
    public static Scenario? Find(string name) => ScenarioCatalog.Find(name);

    /// <summary>The scenario's name, e.g. <c>expired</c>; also the first label of its host name.</summary>
    public required string Name { get; init; }

    /// <summary>What a learner takes away from it, in one sentence.</summary>
    public required string Teaches { get; init; }

    /// <summary>Whether a correct client (trusting only the lab root, default protocols) connects; false: it refuses, or is refused.</summary>
    public required bool ShouldConnect { get; init; }

    /// <summary>When a correct client refuses: why.</summary>
    internal ExpectedRejection? Rejection { get; init; }

    /// <summary>False for the plaintext HTTP endpoint.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>The certificate the endpoint presents.</summary>
    internal ServerCertificateKind Certificate { get; init; } = ServerCertificateKind.Good;

    /// <summary>The key type of the endpoint's certificate.</summary>
    public KeyKind Key { get; init; } = KeyKind.EcdsaP256;

    /// <summary>The protocol versions the server accepts.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>True when the server accepts only CBC cipher suites (needs a settable cipher-suite policy).</summary>
    public bool CbcOnly { get; init; }

    /// <summary>True when the server requires a client certificate issued under the lab root.</summary>
    public bool RequiresClientCertificate { get; init; }

    /// <summary>True when the server asks for a client certificate but serves a client that sends none.</summary>
    internal bool RequestsClientCertificate { get; init; }

    /// <summary>The ALPN protocols the server accepts, in its order of preference; null for the lab's usual <c>http/1.1</c> only.</summary>
    internal IReadOnlyList<SslApplicationProtocol>? ApplicationProtocols { get; init; }

    /// <summary>When the scenario's name is not the host to validate (<c>wildcard</c> is validated as <c>one.wildcard.localhost</c>).</summary>
    internal string? HostName { get; init; }

    /// <summary>
    /// Where a careful .NET client on this platform decides differently from a correct modern client (the expectation), and why;
    /// null when it does not.
    /// </summary>
    internal string? DotNetDiffers { get; init; }

    /// <summary>
    /// Why .NET on this machine decides differently from the expectation (a correct modern client, such as a browser), when that
    /// difference is known and recorded here; null otherwise. Show such a result as a platform difference, not as a failure.
    /// </summary>
    // Recorded on Linux (OpenSSL's host check); on Windows and macOS the kit has not recorded what .NET does.
    public string? KnownPlatformDifference => OperatingSystem.IsLinux() ? DotNetDiffers : null;

    /// <summary>
    /// Other names the same endpoint is worth trying under (same port, same address), and whether a correct client accepts the
    /// certificate for each: the zoo's page tries them too.
    /// </summary>
    internal IReadOnlyList<AlternativeHost> AlsoTry { get; init; } = [];

    /// <summary>The host name a client sets as <c>TargetHost</c> (and sends as SNI).</summary>
    public string Host => HostName ?? $"{Name}.localhost";
}
