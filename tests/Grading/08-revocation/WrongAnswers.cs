using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 8 that the grading tests must reject.

/// <summary>The right answer with one setting of the chain policy changed.</summary>
internal static class RevocationVariants
{
    public static SslClientAuthenticationOptions With(string targetHost, X509Certificate2 trustedRoot, Action<X509ChainPolicy> change)
    {
        var options = TlsLab.Exercises.RevocationCheck.CreateOptions(targetHost, trustedRoot);
        change(options.CertificateChainPolicy!);
        return options;
    }
}

/// <summary>WRONG: revocation switched off, the shortcut that lets a stolen certificate through.</summary>
public static class NoRevocationCheck
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.RevocationMode = X509RevocationMode.NoCheck);
}

/// <summary>WRONG: "don't let a slow responder hang the app": a retrieval timeout of 5 ticks, so no answer ever arrives in time.</summary>
public static class FiveTickRetrievalTimeout
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.UrlRetrievalTimeout = TimeSpan.FromTicks(5));
}

/// <summary>WRONG: the leaf alone is checked (RevocationFlag EndCertificateOnly): a revoked intermediate goes unnoticed.</summary>
public static class LeafOnlyRevocation
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.RevocationFlag = X509RevocationFlag.EndCertificateOnly);
}

/// <summary>WRONG: hard fail for the leaf, soft fail for the CAs ("an intermediate is rarely revoked"): an intermediate nobody answers for gets in.</summary>
public static class SoftFailForCertificateAuthorities
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.VerificationFlags = X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown);
}

/// <summary>WRONG: a callback that judges the leaf's own status and forgives whatever the rest of the chain reports: an expired intermediate
/// gets in. (A revoked one does not, here: on Linux .NET reports an issuer's revocation on the certificates below it too.)</summary>
public static class JudgesTheLeafAlone
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = TlsLab.Exercises.RevocationCheck.CreateOptions(targetHost, trustedRoot);
        options.RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            errors == SslPolicyErrors.None
            || (errors == SslPolicyErrors.RemoteCertificateChainErrors && chain is { ChainElements.Count: > 0 }
                && chain.ChainElements[0].ChainElementStatus.All(s => s.Status == X509ChainStatusFlags.NoError));
        return options;
    }
}

/// <summary>WRONG: the given root plus the machine's roots in CustomTrustStore, "so that real sites work too".</summary>
public static class RevocationPlusMachineRoots
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.CustomTrustStore.AddRange(MachineRoots.All()));
}

/// <summary>WRONG: the options cached in a static field and given the new host each time: callers share, and overwrite, one object.</summary>
public static class CachedOptions
{
    private static SslClientAuthenticationOptions? s_cached;

    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = s_cached ??= TlsLab.Exercises.RevocationCheck.CreateOptions(targetHost, trustedRoot);
        options.TargetHost = targetHost;
        return options;
    }
}

/// <summary>WRONG: Offline, which believes whatever an earlier check left in the cache and asks nobody.</summary>
public static class OfflineRevocationCheck
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.RevocationMode = X509RevocationMode.Offline);
}

/// <summary>WRONG: soft fail, "checked" but a missing answer counts as good.</summary>
public static class SoftFailRevocation
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.VerificationFlags =
            X509VerificationFlags.IgnoreEndRevocationUnknown | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown);
}

/// <summary>WRONG: soft fail for the leaf alone ("its responder is often slow"): an OCSP 'unknown' for the leaf counts as good.</summary>
public static class SoftFailForTheLeaf
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        RevocationVariants.With(targetHost, trustedRoot, p => p.VerificationFlags = X509VerificationFlags.IgnoreEndRevocationUnknown);
}

/// <summary>WRONG: a callback that refuses revoked certificates and nothing else.</summary>
public static class OnlyLooksForRevoked
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = TlsLab.Exercises.RevocationCheck.CreateOptions(targetHost, trustedRoot);
        options.RemoteCertificateValidationCallback = (_, _, chain, _) =>
            chain is not null && !chain.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.Revoked));
        return options;
    }
}

/// <summary>WRONG: the machine's trust store, with revocation on: it checks the revocation of certificates it never trusted.</summary>
public static class RevocationWithSystemTrust
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) =>
        new() { TargetHost = targetHost, CertificateRevocationCheckMode = X509RevocationMode.Online };
}

internal static class Exercise08Cases
{
    private static readonly RevocationApi Right = RevocationApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("8: revocation switched off (NoCheck)",
            new RevocationApi(NoRevocationCheck.CreateOptions),
            ("8:CreateOptions_refuses_revoked_because_it_is_revoked", 2),
            ("8:CreateOptions_refuses_a_certificate_whose_status_nobody_can_give", 2)),
        new("8: Offline (the cache only)",
            new RevocationApi(OfflineRevocationCheck.CreateOptions),
            ("8:CreateOptions_refuses_revoked_because_it_is_revoked", 2)),
        new("8: soft fail (Ignore...RevocationUnknown)",
            new RevocationApi(SoftFailRevocation.CreateOptions),
            ("8:CreateOptions_refuses_a_certificate_whose_status_nobody_can_give", 3),
            ("8:CreateOptions_refuses_a_certificate_whose_OCSP_responder_answers_unknown", 3)),
        new("8: soft fail for the leaf (IgnoreEndRevocationUnknown)",
            new RevocationApi(SoftFailForTheLeaf.CreateOptions),
            ("8:CreateOptions_refuses_a_certificate_whose_OCSP_responder_answers_unknown", 3)),
        new("8: a callback that looks only for Revoked",
            new RevocationApi(OnlyLooksForRevoked.CreateOptions),
            ("8:CreateOptions_still_refuses_each_broken_endpoint_for_its_own_reason(expired)", 4),
            ("8:CreateOptions_refuses_a_certificate_whose_status_nobody_can_give", 4)),
        new("8: a retrieval timeout of 5 ticks",
            new RevocationApi(FiveTickRetrievalTimeout.CreateOptions),
            ("8:CreateOptions_refuses_revoked_because_it_is_revoked", 2)),
        new("8: the leaf alone (EndCertificateOnly)",
            new RevocationApi(LeafOnlyRevocation.CreateOptions),
            ("8:CreateOptions_judges_every_certificate_of_the_chain(revoked-intermediate)", 2),
            ("8:CreateOptions_judges_every_certificate_of_the_chain(intermediate-status-unanswered)", 2)),
        new("8: soft fail for the CAs only",
            new RevocationApi(SoftFailForCertificateAuthorities.CreateOptions),
            ("8:CreateOptions_judges_every_certificate_of_the_chain(intermediate-status-unanswered)", 3)),
        new("8: a callback that judges the leaf alone",
            new RevocationApi(JudgesTheLeafAlone.CreateOptions),
            ("8:CreateOptions_judges_every_certificate_of_the_chain(expired-intermediate)", 4)),
        new("8: the machine's roots trusted too",
            new RevocationApi(RevocationPlusMachineRoots.CreateOptions),
            ("8:CreateOptions_refuses_a_certificate_from_a_root_the_machine_trusts", 1)),
        new("8: options cached in a static field",
            new RevocationApi(CachedOptions.CreateOptions),
            ("8:CreateOptions_returns_options_of_their_own_on_every_call", 1)),
        new("8: the machine's trust store",
            new RevocationApi(RevocationWithSystemTrust.CreateOptions),
            ("8:CreateOptions_accepts_a_good_certificate_nobody_revoked(good)", 1)),
    ];
}
