using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Short, consistent wording for what the lab expects and what a handshake did.</summary>
public static class Describe
{
    /// <summary>E.g. "a refusal because the certificate expired yesterday (TlsProblem.Expired: policy errors RemoteCertificateChainErrors, chain
    /// status NotTimeValid)".</summary>
    internal static string Refusal(ExpectedRejection expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var flags = expected.HandshakeFails
            ? "the handshake fails"
            : "policy errors " +
                $"{expected.PolicyErrors}" + (expected.ChainStatus == X509ChainStatusFlags.NoError ? string.Empty : $", chain status {expected.ChainStatus}");
        return $"a refusal because {expected.Summary} (TlsProblem.{expected.Problem}: {flags})";
    }

    /// <summary>What a handshake attempt ended with, in one line.</summary>
    public static string Outcome(HandshakeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            return $"the client connected ({outcome.Protocol}, {outcome.CipherSuite})";
        }

        var validation = outcome.Validation;
        var flags = validation is null
            ? string.Empty
            : $" [policy errors {validation.PolicyErrors}, chain status {validation.ChainStatus}]";
        return $"refused as TlsProblem.{outcome.Problem}{flags}: {outcome.Explanation}";
    }

    /// <summary>What .NET's own validation said, when it ran.</summary>
    public static string DotNetVerdict(HandshakeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Validation is { } validation
            ? $".NET's own check found {validation.PolicyErrors} ({Explain.Validation(validation)})"
            : ".NET's certificate check did not run";
    }

    /// <summary>The trust an options object sets up, for messages.</summary>
    public static string Trust(SslClientAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.CertificateChainPolicy;
        var trust = policy is null
            ? "no CertificateChainPolicy (the machine's trust store)"
            : $"CertificateChainPolicy with TrustMode {policy.TrustMode}, {policy.CustomTrustStore.Count} certificate(s) in CustomTrustStore"
              + (policy.VerificationFlags == X509VerificationFlags.NoFlag ? string.Empty : $", VerificationFlags {policy.VerificationFlags}");
        var callback = options.RemoteCertificateValidationCallback is null ? "no validation callback" : "a RemoteCertificateValidationCallback";
        return $"TargetHost '{options.TargetHost}', {trust}, {callback}";
    }
}
