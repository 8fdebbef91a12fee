using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>
/// What an <see cref="Interceptor"/> presents for one <see cref="Forgery"/>: minted once, when it starts, from the real certificate's names
/// so that only what the forgery is about differs.
/// </summary>
internal sealed class ForgedCredentials : IDisposable
{
    /// <summary>The name on the <see cref="Forgery.OtherName"/> certificate: a name the lab's CA would sign for anyone who owns it.</summary>
    internal const string AttackerName = "attacker.localhost";

    private readonly List<IDisposable> _owned;

    private ForgedCredentials(X509Certificate2 presented, SslStreamCertificateContext? context, string description, List<IDisposable> owned)
    {
        Presented = presented;
        Context = context;
        Description = description;
        _owned = owned;
    }

    /// <summary>The certificate the client is shown (for <see cref="Forgery.RealCertificateWithoutKey"/>, without a key).</summary>
    public X509Certificate2 Presented { get; }

    /// <summary>What a server hands to <see cref="SslStream"/>; null when there is nothing it can serve (the real certificate without its key).</summary>
    public SslStreamCertificateContext? Context { get; }

    /// <summary>One line on what the client is shown and who signed it.</summary>
    public string Description { get; }

    public static ForgedCredentials Mint(Forgery forgery, X509Certificate2 real, WorkshopPki pki)
    {
        var dnsNames = DnsNames(real);
        var spec = new LeafSpec(real.GetNameInfo(X509NameType.SimpleName, forIssuer: false), dnsNames, IpAddresses(real));
        switch (forgery)
        {
            case Forgery.SelfSigned:
                {
                    var leaf = CertificateAuthority.CreateSelfSigned(spec, pki.Time);
                    return new(leaf, ServerCertificates.CreateContext(leaf, []),
                        $"self-signed, for {string.Join(", ", dnsNames)}: it vouches for itself", [leaf]);
                }

            case Forgery.OtherName:
                {
                    var leaf = pki.Intermediate.Issue(LeafSpec.ForServer(AttackerName));
                    return new(leaf, ServerCertificates.CreateContext(leaf, [pki.Intermediate.PublicCertificate]),
                        $"a genuine lab certificate, signed by '{pki.Intermediate.Subject}', for {AttackerName}", [leaf]);
                }

            case Forgery.ImpostorCa:
                {
                    // Same names, new keys: everything a person (or a callback comparing names) reads matches the lab's CAs.
                    var root = CertificateAuthority.CreateRoot(CommonName(pki.Root), KeyKind.EcdsaP256, null, null, pki.Time);
                    var intermediate = root.CreateIntermediate(CommonName(pki.Intermediate));
                    var leaf = intermediate.Issue(spec);
                    return new(leaf, ServerCertificates.CreateContext(leaf, [intermediate.PublicCertificate, root.PublicCertificate]),
                        $"for {string.Join(", ", dnsNames)}, signed by an impostor '{intermediate.Subject}' under an impostor '{root.Subject}'",
                        [leaf, intermediate, root]);
                }

            case Forgery.RealCertificateWithoutKey:
                {
                    var copy = X509CertificateLoader.LoadCertificate(real.RawData);
                    return new(copy, null, $"the real certificate ({copy.Subject}), without its private key", [copy]);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "Unknown forgery.");
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private static string CommonName(CertificateAuthority authority) => authority.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private static List<string> DnsNames(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        return names.Count > 0 ? names : [certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)];
    }

    private static List<System.Net.IPAddress> IpAddresses(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses())];
}
