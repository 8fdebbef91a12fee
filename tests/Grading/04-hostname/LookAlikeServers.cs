using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 4's fixtures the zoo lacks: servers whose certificates chain to the lab root but carry a
/// name that only looks like the one asked for, and one with three problems at once. Minted and
/// started once per lab, on first use, so each check costs one handshake.
/// </summary>
public sealed class LookAlikeServers
{
    private static readonly ConditionalWeakTable<Lab, Task<LookAlikeServers>> PerLab = [];

    private readonly Dictionary<string, (FixtureTlsServer Server, LookAlike Fixture)> _servers;

    private LookAlikeServers(Dictionary<string, (FixtureTlsServer, LookAlike)> servers) => _servers = servers;

    /// <summary>The look-alike certificates, each with the name a client asks for and what is wrong with it.</summary>
    public static IReadOnlyList<LookAlike> All { get; } =
    [
        new("evilgood.localhost", "good.localhost", "its only name is 'evilgood.localhost', which ends with the name asked for",
            pki => pki.Intermediate.Issue(new LeafSpec("evilgood.localhost", ["evilgood.localhost"], []))),
        new("good.localhost.evil", "good.localhost", "its only name is 'good.localhost.evil', which starts with the name asked for",
            pki => pki.Intermediate.Issue(new LeafSpec("good.localhost.evil", ["good.localhost.evil"], []))),
        new("cn-differs-from-san", "good.localhost", "its subject says CN=good.localhost, but its subject alternative names (the names that count) " +
            "are only 'somewhere-else.localhost'",
            pki => pki.Intermediate.Issue(new LeafSpec("good.localhost", [ScenarioCredentials.WrongHostName], []))),
        new("wildcard-two-labels", "www.good.localhost", "its only name is '*.localhost'; a wildcard stands for exactly one label, so it covers " +
            "'good.localhost' but not 'www.good.localhost'",
            pki => pki.Intermediate.Issue(new LeafSpec("*.localhost", ["*.localhost"], []))),
        new("ip-address-only", "good.localhost", "it names only the IP address 127.0.0.1 (an IP SAN) and no DNS name at all",
            pki => pki.Intermediate.Issue(new LeafSpec("127.0.0.1", [], [IPAddress.Loopback]))),
        new("ip-literal-not-named", "127.0.0.1", "the name asked for is the IP literal '127.0.0.1', and the certificate names " +
            "'ip-literal.localhost' and the address 127.0.0.2, not 127.0.0.1: an address is checked like any name, against the IP SANs",
            pki => pki.Intermediate.Issue(new LeafSpec("ip-literal.localhost", ["ip-literal.localhost"], [IPAddress.Parse("127.0.0.2")]))),
    ];

    /// <summary>
    /// A certificate with three problems: self-signed, expired, and for another name. A result must
    /// report both policy errors and both chain flags, not the first one it noticed.
    /// </summary>
    public static LookAlike ThreeProblems { get; } = new("three-problems", "good.localhost",
        "it is self-signed, expired last week, and issued to 'somewhere-else.localhost'",
        _ => CertificateAuthority.CreateSelfSigned(new LeafSpec(ScenarioCredentials.WrongHostName, [ScenarioCredentials.WrongHostName], [],
            NotBefore: DateTimeOffset.UtcNow.AddDays(-60), NotAfter: DateTimeOffset.UtcNow.AddDays(-7))));

    /// <summary>The fixtures for <paramref name="lab"/>, started on first use.</summary>
    public static Task<LookAlikeServers> ForAsync(Lab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return PerLab.GetValue(lab, l => Task.Run(() => Start(l)));
    }

    /// <summary>The look-alike fixture called <paramref name="name"/>.</summary>
    public static LookAlike Find(string name) =>
        name == ThreeProblems.Name ? ThreeProblems
        : All.SingleOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"No look-alike fixture '{name}'.");

    /// <summary>Where the server for <paramref name="name"/> listens.</summary>
    public IPEndPoint EndPoint(string name) => _servers[name].Server.EndPoint;

    // The servers live as long as the test process: the lab they borrow their PKI from does too.
    private static LookAlikeServers Start(Lab lab)
    {
        var servers = new Dictionary<string, (FixtureTlsServer, LookAlike)>(StringComparer.Ordinal);
        foreach (var fixture in All.Append(ThreeProblems))
        {
            var leaf = fixture.Mint(lab.Pki);
            X509Certificate2[] sent = fixture == ThreeProblems ? [] : [lab.Pki.Intermediate.PublicCertificate];
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = ServerCertificates.CreateContext(leaf, sent),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            };
            servers[fixture.Name] = (FixtureTlsServer.Serve(options), fixture);
        }

        return new LookAlikeServers(servers);
    }
}

/// <summary>One look-alike certificate: its name, the host a client asks for, and what is wrong with it.</summary>
/// <param name="Name">The fixture's name, used as a theory row.</param>
/// <param name="AskedFor">The host name the client validates.</param>
/// <param name="Why">Why the certificate is not valid for <paramref name="AskedFor"/>, in words.</param>
/// <param name="Mint">Mints the certificate from the lab's PKI.</param>
public sealed record LookAlike(string Name, string AskedFor, string Why, Func<WorkshopPki, X509Certificate2> Mint)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
