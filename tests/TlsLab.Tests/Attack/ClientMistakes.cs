using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Tests.Attack;

// THE WRONG WAY, kept on purpose: the client mistakes from the exercises, each as the options it builds, so the
// interceptor tests can show which forged certificate fools which of them.

/// <summary>One way to build a client's options (a mistake from the exercises, or the correct client), for a lab endpoint.</summary>
internal sealed record ClientMistake(string Name, Func<Lab, string, SslClientAuthenticationOptions> Options)
{
    public override string ToString() => Name;

    public static ClientMistake Correct { get; } = new("correct", (lab, host) => lab.CreateClientOptions(lab.Endpoints.First(e => e.Host == host).Name));

    /// <summary>WRONG (exercise 2): a callback that returns true.</summary>
    public static ClientMistake AcceptAll { get; } = new("accept-all", (_, host) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    });

    /// <summary>WRONG (exercises 2 and 4): trusts the right root, forgives a certificate for another name.</summary>
    public static ClientMistake IgnoresNameMismatch { get; } = new("ignores-name-mismatch", (lab, host) => new()
    {
        TargetHost = host,
        CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
        RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
    });

    /// <summary>WRONG (exercises 2 and 4): the lab root plus AllowUnknownCertificateAuthority, which lets any root vouch.</summary>
    public static ClientMistake AnyRoot { get; } = new("any-root", (lab, host) =>
    {
        var policy = ChainPolicies.TrustOnly(lab.RootCertificate);
        policy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        return new() { TargetHost = host, CertificateChainPolicy = policy };
    });

    /// <summary>WRONG (exercise 2): "our CA" recognised by the name at the top of the chain, which anyone can copy.</summary>
    public static ClientMistake RootByName { get; } = new("root-by-name", (lab, host) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = (_, _, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || chain is null)
            {
                return false;
            }

            var top = chain.ChainElements[^1].Certificate;
            var onlyTrustErrors = chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain);
            return onlyTrustErrors && (top.Subject == lab.RootCertificate.Subject || top.Issuer == lab.RootCertificate.Subject);
        },
    });

    /// <summary>WRONG (exercise 9): a pin on a certificate the server sends (the lab intermediate) that overrules .NET's verdict.</summary>
    public static ClientMistake PinOverrules { get; } = new("pin-overrules", (lab, host) =>
    {
        var pin = Pin(lab.Pki.Intermediate.PublicCertificate);
        return new()
        {
            TargetHost = host,
            CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                chain is not null && chain.ChainElements.Any(e => Pin(e.Certificate) == pin) || errors == SslPolicyErrors.None,
        };
    });

    public static IReadOnlyList<ClientMistake> All { get; } = [AcceptAll, IgnoresNameMismatch, AnyRoot, RootByName, PinOverrules, Correct];

    public static ClientMistake Find(string name) => All.Single(m => m.Name == name);

    private static string Pin(X509Certificate2 certificate) => Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
