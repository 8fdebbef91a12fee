using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>One client certificate a mutual-TLS server must turn away, and what it teaches.</summary>
/// <param name="Name">Its name in the test's data.</param>
/// <param name="Teaches">What it is, as a failure message says it.</param>
/// <param name="Context">The certificate, its key and the intermediates the client sends with it.</param>
/// <param name="MachineTrusted">True when it chains to <see cref="MachineTrustedRoot"/>, which the machine trusts while the check runs.</param>
public sealed record ForeignClientCertificate(string Name, string Teaches, SslStreamCertificateContext Context, bool MachineTrusted = false);

/// <summary>
/// Exercise 7's certificates, minted once per lab: the server's own, a good client certificate from the lab's
/// intermediate, and client certificates a server that trusts only the lab root must turn away.
/// </summary>
public sealed class ClientCertificateFixtures
{
    private static readonly ConditionalWeakTable<Lab, ClientCertificateFixtures> PerLab = new();

    private ClientCertificateFixtures(Lab lab)
    {
        var pki = lab.Pki;
        var intermediate = pki.Intermediate.PublicCertificate;
        Server = ServerCertificates.CreateContext(pki.IssueServerCertificate(ServerHost), [intermediate]);
        Attendee = ServerCertificates.CreateContext(pki.IssueClientCertificate(AttendeeName), [intermediate]);

        // Same names as the lab's root and intermediate, other keys: what anyone can mint in a minute.
        using var impostorRoot = CertificateAuthority.CreateRoot(CommonName(pki.Root.Certificate));
        using var impostorIntermediate = impostorRoot.CreateIntermediate(CommonName(pki.Intermediate.Certificate));
        var now = DateTimeOffset.UtcNow;
        All =
        [
            new("stranger", "a client certificate from another CA (the lab's stranger root), not from the client CA",
                ServerCertificates.CreateContext(pki.StrangerIntermediate.Issue(LeafSpec.ForClient("stranger")), [pki.StrangerIntermediate.PublicCertificate])),
            new("machine-trusted", "a client certificate from a root that this machine trusts (as it trusts public CAs), not from the client CA",
                MachineTrustedRoot.Instance.ClientCertificate, MachineTrusted: true),
            new("impostor", "a client certificate whose CA has the client CA's name but another key",
                ServerCertificates.CreateContext(impostorIntermediate.Issue(LeafSpec.ForClient("impostor")), [impostorIntermediate.PublicCertificate])),
            new("server-usage", "a certificate from the client CA's intermediate that is for servers only (EKU serverAuth), not for clients",
                ServerCertificates.CreateContext(pki.IssueServerCertificate("not-a-client.localhost"), [intermediate])),
            new("expired", "a client certificate from the client CA that expired yesterday",
                ServerCertificates.CreateContext(pki.Intermediate.Issue(LeafSpec.ForClient("expired attendee") with
                {
                    NotBefore = now.AddDays(-30),
                    NotAfter = now.AddDays(-1),
                }), [intermediate])),
        ];
    }

    /// <summary>The name on the server certificate the tests give CreateServerOptions.</summary>
    public const string ServerHost = "mtls.localhost";

    /// <summary>The subject CN of the good client certificate.</summary>
    public const string AttendeeName = "workshop attendee";

    /// <summary>The server's certificate for <see cref="ServerHost"/>, with the lab intermediate.</summary>
    public SslStreamCertificateContext Server { get; }

    /// <summary>A client certificate from the lab's intermediate, with that intermediate.</summary>
    public SslStreamCertificateContext Attendee { get; }

    /// <summary>The certificates a server requiring the lab root's clients turns away.</summary>
    public IReadOnlyList<ForeignClientCertificate> All { get; }

    /// <summary>The names of <see cref="All"/>, for theory data.</summary>
    public static IReadOnlyList<string> Names { get; } = ["stranger", "machine-trusted", "impostor", "server-usage", "expired"];

    /// <summary>The certificates for <paramref name="lab"/>, minted on first use.</summary>
    public static ClientCertificateFixtures For(Lab lab) => PerLab.GetValue(lab, l => new ClientCertificateFixtures(l));

    /// <summary>One foreign certificate by name.</summary>
    public ForeignClientCertificate this[string name] => All.Single(f => f.Name == name);

    private static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}
