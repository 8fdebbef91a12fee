using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 10 that the grading tests must reject. Compiled into the kit's proof project
// only (exercises/Tests/Exercises.Tests.csproj leaves this file out).

/// <summary>The right answer with one change to its SslOptions.</summary>
internal static class HandlerVariants
{
    public static SocketsHttpHandler With(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate, Action<SslClientAuthenticationOptions> change)
    {
        var handler = TlsLab.Exercises.SecureHandler.Create(trustedRoot, clientCertificate);
        change(handler.SslOptions);
        return handler;
    }
}

/// <summary>WRONG: the most common insecure .NET TLS line, "until the certificate is fixed".</summary>
public static class DangerousAcceptAny
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            HttpClientHandler.DangerousAcceptAnyServerCertificateValidator(new HttpRequestMessage(), certificate as X509Certificate2, chain, errors));
}

/// <summary>WRONG: "if .NET does not like it, build the chain again with the root added and unknown CAs allowed": any root at all gets in.</summary>
public static class RebuildsWithUnknownAuthorityAllowed
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.ExtraStore.Add(trustedRoot);
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            return certificate is X509Certificate2 leaf && chain.Build(leaf);
        });
}

/// <summary>WRONG: revocation switched off.</summary>
public static class HandlerWithoutRevocationCheck
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.CertificateChainPolicy!.RevocationMode = X509RevocationMode.NoCheck);
}

/// <summary>WRONG: soft fail: a revocation status nobody gives counts as good.</summary>
public static class HandlerWithSoftFail
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.CertificateChainPolicy!.VerificationFlags =
            X509VerificationFlags.IgnoreEndRevocationUnknown | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown);
}

/// <summary>WRONG: the root in CustomTrustStore, TrustMode left at System: .NET ignores that store, and the machine's roots decide.</summary>
public static class CustomStoreWithoutCustomRootTrust
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.CertificateChainPolicy!.TrustMode = X509ChainTrustMode.System);
}

/// <summary>WRONG: "install the root": added to the user's Root store, and the handler left at the machine's trust.</summary>
public static class RootAddedToTheMachineStore
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate)
    {
        using (var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
        {
            store.Open(OpenFlags.ReadWrite);
            store.Add(trustedRoot);
        }

        var ssl = new SslClientAuthenticationOptions { CertificateRevocationCheckMode = X509RevocationMode.Online };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        return new SocketsHttpHandler { SslOptions = ssl };
    }
}

/// <summary>WRONG: one static handler "against socket exhaustion": the first caller's root (and certificate) for everyone.</summary>
public static class OneSharedHandler
{
    private static readonly Lock Gate = new();
    private static SocketsHttpHandler? s_handler;

    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate)
    {
        lock (Gate)
        {
            return s_handler ??= TlsLab.Exercises.SecureHandler.Create(trustedRoot, clientCertificate);
        }
    }
}

/// <summary>WRONG: a selection callback that falls back to the user's personal store: what HttpClientHandler's
/// ClientCertificateOptions.Automatic does, written for SocketsHttpHandler.</summary>
public static class PicksFromTheUserStore
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl =>
        {
            ssl.ClientCertificateContext = null;
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) =>
            {
                if (clientCertificate is not null)
                {
                    return clientCertificate;
                }

                using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadOnly);
                return store.Certificates.FirstOrDefault(c => c.HasPrivateKey
                    && c.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages["1.3.6.1.5.5.7.3.2"] is not null))!;
            };
        });
}

/// <summary>WRONG: the client certificate remembered in a static field, "so that later handlers have it too".</summary>
public static class RemembersTheClientCertificate
{
    private static X509Certificate2? s_last;

    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate)
    {
        s_last = clientCertificate ?? s_last;
        return TlsLab.Exercises.SecureHandler.Create(trustedRoot, s_last);
    }
}

/// <summary>WRONG: a callback that forgives a name mismatch when the host is an IP address ("certificates never name addresses").</summary>
public static class HandlerForgivingIpLiterals
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.RemoteCertificateValidationCallback = (sender, _, _, errors) =>
            errors == SslPolicyErrors.None
            || (errors == SslPolicyErrors.RemoteCertificateNameMismatch && sender is SslStream { TargetHostName: var host }
                && IPAddress.TryParse(host, out _)));
}

/// <summary>WRONG: the client certificate written to a .pfx in the temp folder (default permissions) and loaded from there.</summary>
public static class ClientCertificateThroughATempFile
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate)
    {
        if (clientCertificate is null)
        {
            return TlsLab.Exercises.SecureHandler.Create(trustedRoot, null);
        }

        var path = Path.Combine(Path.GetTempPath(), $"client-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.pfx");
        File.WriteAllBytes(path, clientCertificate.Export(X509ContentType.Pkcs12));
        return TlsLab.Exercises.SecureHandler.Create(trustedRoot, X509CertificateLoader.LoadPkcs12FromFile(path, null));
    }
}

/// <summary>WRONG: TLS 1.2 pinned "for compatibility": a server that moved on to TLS 1.3 alone is locked out.</summary>
public static class PinnedToTls12
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.EnabledSslProtocols = SslProtocols.Tls12);
}

/// <summary>WRONG: certificate downloads left on: an intermediate the server left out is fetched from the address its leaf names.</summary>
public static class HandlerDownloadingIntermediates
{
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        HandlerVariants.With(trustedRoot, clientCertificate, ssl => ssl.CertificateChainPolicy!.DisableCertificateDownloads = false);
}

internal static class Exercise10Cases
{
    private static HttpClientApi With(Func<X509Certificate2, X509Certificate2?, SocketsHttpHandler> create) => new(create);

    public static WrongAnswer[] All { get; } =
    [
        new("10: DangerousAcceptAnyServerCertificateValidator", With(DangerousAcceptAny.Create),
            ("10:Create_refuses_each_broken_endpoint_for_its_own_reason(expired)", 3),
            ("10:Create_refuses_a_certificate_from_a_root_the_machine_trusts", 3)),
        new("10: a callback that rebuilds the chain with AllowUnknownCertificateAuthority", With(RebuildsWithUnknownAuthorityAllowed.Create),
            ("10:Create_refuses_each_broken_endpoint_for_its_own_reason(untrusted-root)", 3)),
        new("10: revocation switched off (NoCheck)", With(HandlerWithoutRevocationCheck.Create),
            ("10:Create_refuses_each_broken_endpoint_for_its_own_reason(revoked)", 2),
            ("10:Create_judges_every_certificate_of_the_chain_and_fails_closed(revoked-intermediate)", 2)),
        new("10: soft fail (Ignore...RevocationUnknown)", With(HandlerWithSoftFail.Create),
            ("10:Create_judges_every_certificate_of_the_chain_and_fails_closed(intermediate-status-unanswered)", 2),
            ("10:Create_judges_every_certificate_of_the_chain_and_fails_closed(ocsp-unknown)", 2)),
        new("10: CustomTrustStore without TrustMode CustomRootTrust", With(CustomStoreWithoutCustomRootTrust.Create),
            ("10:Create_gets_an_answer_from_good_endpoints_trusting_the_given_root(good)", 1)),
        new("10: the root added to the user's Root store", With(RootAddedToTheMachineStore.Create),
            ("10:Create_refuses_a_certificate_from_a_root_the_machine_trusts", 1),
            ("10:Create_leaves_no_key_on_disk_and_nothing_in_the_certificate_stores", 6)),
        new("10: one static handler for every caller", With(OneSharedHandler.Create),
            ("10:Create_makes_a_handler_of_its_own_on_every_call", 5)),
        new("10: a client certificate picked from the user's store (Automatic)", With(PicksFromTheUserStore.Create),
            ("10:Create_presents_the_client_certificate_only_when_given_one", 4)),
        new("10: the client certificate remembered in a static field", With(RemembersTheClientCertificate.Create),
            ("10:Create_presents_the_client_certificate_only_when_given_one", 4)),
        new("10: a callback that forgives name mismatches for IP literals", With(HandlerForgivingIpLiterals.Create),
            ("10:Create_checks_the_name_in_the_URI_as_names_are_compared", 3)),
        new("10: the client certificate through a .pfx in the temp folder", With(ClientCertificateThroughATempFile.Create),
            ("10:Create_leaves_no_key_on_disk_and_nothing_in_the_certificate_stores", 6)),
        new("10: TLS 1.2 pinned", With(PinnedToTls12.Create),
            ("10:Create_gets_an_answer_from_good_endpoints_trusting_the_given_root(tls13-only)", 1)),
        new("10: certificate downloads left on (DisableCertificateDownloads = false)", With(HandlerDownloadingIntermediates.Create),
            ("10:Create_refuses_each_broken_endpoint_for_its_own_reason(incomplete-chain)", 1)),
    ];
}
