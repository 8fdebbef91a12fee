using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Diagnostics;

namespace TlsLab.Zoo;

/// <summary>
/// Why a correct client refuses an endpoint, in the terms .NET reports it: the learner-facing
/// <see cref="TlsProblem"/>, plus the policy errors and chain status flags behind it (never
/// message text, which differs between Windows, macOS and Linux).
/// </summary>
/// <param name="Problem">The reason, as <see cref="Explain"/> classifies it.</param>
/// <param name="PolicyErrors">The <see cref="SslPolicyErrors"/> the validation callback sees (None when the handshake itself fails).</param>
/// <param name="ChainStatus">The chain status flag that must be present (NoError for a name mismatch).</param>
/// <param name="Summary">One sentence for the manifest and the tables.</param>
internal sealed record ExpectedRejection(
    TlsProblem Problem,
    SslPolicyErrors PolicyErrors,
    X509ChainStatusFlags ChainStatus,
    string Summary)
{
    /// <summary>True where the refusal is a failed handshake rather than a failed certificate check.</summary>
    public bool HandshakeFails => PolicyErrors == SslPolicyErrors.None;

    /// <summary>The certificate check fails with these chain errors.</summary>
    public static ExpectedRejection Chain(TlsProblem problem, X509ChainStatusFlags status, string summary) =>
        new(problem, SslPolicyErrors.RemoteCertificateChainErrors, status, summary);

    /// <summary>The certificate is fine but for another name.</summary>
    public static ExpectedRejection Name(string summary) =>
        new(TlsProblem.NameMismatch, SslPolicyErrors.RemoteCertificateNameMismatch, X509ChainStatusFlags.NoError, summary);

    /// <summary>The server ends the handshake (no shared protocol or cipher, no client certificate).</summary>
    public static ExpectedRejection Handshake(TlsProblem problem, string summary) =>
        new(problem, SslPolicyErrors.None, X509ChainStatusFlags.NoError, summary);
}
