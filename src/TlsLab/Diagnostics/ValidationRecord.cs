using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Diagnostics;

/// <summary>
/// What a client's certificate validation saw: the policy errors and the chain as built. Made by
/// <see cref="ValidationRecorder"/>, read by <see cref="Explain"/>.
/// </summary>
public sealed record ValidationRecord(
    string TargetHost,
    SslPolicyErrors PolicyErrors,
    X509ChainStatusFlags ChainStatus,
    IReadOnlyList<ChainElementInfo> Chain,
    DateTimeOffset CheckedAt)
{
    /// <summary>True when the certificate passed: no policy errors at all.</summary>
    public bool Passed => PolicyErrors == SslPolicyErrors.None;

    /// <summary>
    /// True when the certificate passed the platform's checks and the validation callback refused it anyway (a pin, an extra rule):
    /// the refusal is the caller's own, not the platform's.
    /// </summary>
    internal bool RefusedByOwnCheck { get; init; }

    /// <summary>The server's own certificate, if it sent one.</summary>
    public ChainElementInfo? Leaf => Chain.Count > 0 ? Chain[0] : null;

    /// <summary>Copies the validation result out of the objects .NET hands to a validation callback.</summary>
    public static ValidationRecord Capture(string targetHost, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var elements = new List<ChainElementInfo>();
        var status = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                var flags = X509ChainStatusFlags.NoError;
                foreach (var s in element.ChainElementStatus)
                {
                    flags |= s.Status;
                }

                elements.Add(ChainElementInfo.From(element.Certificate, flags));
            }

            foreach (var s in chain.ChainStatus)
            {
                status |= s.Status;
            }
        }

        if (elements.Count == 0 && certificate is not null)
        {
            using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            elements.Add(ChainElementInfo.From(copy));
        }

        return new ValidationRecord(targetHost, errors, status, elements, DateTimeOffset.UtcNow);
    }
}
