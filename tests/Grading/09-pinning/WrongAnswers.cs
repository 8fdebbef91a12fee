using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Right09 = TlsLab.Exercises.PublicKeyPinning;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 9 that the grading tests must reject.

/// <summary>The right options with another validation callback.</summary>
internal static class PinningVariants
{
    public static SslClientAuthenticationOptions With(string targetHost, X509Certificate2 trustedRoot, RemoteCertificateValidationCallback callback)
    {
        var options = Right09.CreateOptions(targetHost, trustedRoot, []);
        options.RemoteCertificateValidationCallback = callback;
        return options;
    }
}

/// <summary>WRONG: the thumbprint as the pin: it names this certificate, not its key, and changes with every renewal.</summary>
public static class ThumbprintPins
{
    public static string PinOf(X509Certificate2 certificate) => certificate.Thumbprint;

    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins) =>
        PinningVariants.With(targetHost, trustedRoot, (_, _, chain, errors) =>
            errors == SslPolicyErrors.None && chain is not null && chain.ChainElements.Any(e => pins.Contains(e.Certificate.Thumbprint)));
}

/// <summary>WRONG: a hash of the whole certificate, which changes with every renewal too.</summary>
public static class WholeCertificatePin
{
    public static string PinOf(X509Certificate2 certificate) => Convert.ToBase64String(SHA256.HashData(certificate.RawData));
}

/// <summary>WRONG: a pin match returns true whatever .NET found: an expired or misnamed certificate with a pinned key gets in.</summary>
public static class PinOverrulesErrors
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins) =>
        PinningVariants.With(targetHost, trustedRoot, (_, certificate, _, _) =>
            certificate is not null && pins.Contains(Right09.PinOf(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()))));
}

/// <summary>WRONG: only the first pin is compared, so the backup pin never helps.</summary>
public static class FirstPinOnly
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins) =>
        PinningVariants.With(targetHost, trustedRoot, (_, _, chain, errors) =>
            errors == SslPolicyErrors.None && chain is not null && pins.Count > 0
            && chain.ChainElements.Any(e => Right09.PinOf(e.Certificate) == pins.First()));
}

/// <summary>WRONG: only the leaf's key is compared, so pinning the intermediate (to survive re-keying the leaf) never matches.</summary>
public static class LeafKeyOnly
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins) =>
        PinningVariants.With(targetHost, trustedRoot, (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None && certificate is not null
            && pins.Contains(Right09.PinOf(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()))));
}

/// <summary>WRONG: exercise 2's options and no pin check at all.</summary>
public static class PinsIgnored
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var options = Right09.CreateOptions(targetHost, trustedRoot, pins);
        options.RemoteCertificateValidationCallback = null;
        return options;
    }
}

/// <summary>WRONG: "the pin is the real check", so the chain is judged by the machine's trust store: a pinned key from any CA the machine
/// trusts gets in, and the root the caller gave is ignored.</summary>
public static class PinsOverTheMachineStore
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var options = Right09.CreateOptions(targetHost, trustedRoot, pins);
        options.CertificateChainPolicy!.CustomTrustStore.AddRange(MachineRoots.All());
        return options;
    }
}

/// <summary>WRONG: one static chain policy, its trust store refilled on each call.</summary>
public static class PinningWithASharedPolicy
{
    private static readonly X509ChainPolicy Policy = new() { TrustMode = X509ChainTrustMode.CustomRootTrust, DisableCertificateDownloads = true };

    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var options = Right09.CreateOptions(targetHost, trustedRoot, pins);
        lock (Policy)
        {
            Policy.CustomTrustStore.Clear();
            Policy.CustomTrustStore.Add(trustedRoot);
        }

        options.CertificateChainPolicy = Policy;
        return options;
    }
}

/// <summary>
/// WRONG (OkHttp's CVE-2016-2402): the pins are matched against every certificate the server sent (the leaf and
/// chain.ChainPolicy.ExtraStore), not against the chain .NET validated. A server may send anything along with a valid certificate.
/// </summary>
public static class PinsMatchedAgainstSentCertificates
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins) =>
        PinningVariants.With(targetHost, trustedRoot, (_, certificate, chain, errors) =>
        {
            if (errors != SslPolicyErrors.None || certificate is null || chain is null)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.ChainPolicy.ExtraStore.Append(leaf).Any(c => pins.Contains(Right09.PinOf(c)));
        });
}

/// <summary>WRONG: pins compared case-insensitively ("they are just strings"): base64 is case-sensitive, so another key's hash can match.</summary>
public static class CaseInsensitivePins
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var pinned = pins.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return PinningVariants.With(targetHost, trustedRoot, (_, _, chain, errors) =>
            errors == SslPolicyErrors.None && chain is not null && chain.ChainElements.Any(e => pinned.Contains(Right09.PinOf(e.Certificate))));
    }
}

/// <summary>WRONG: "no pins configured means no pinning": an empty set lets every valid certificate in (fail open).</summary>
public static class EmptyPinSetMeansNoPinning
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var pinned = pins.ToHashSet(StringComparer.Ordinal);
        return PinningVariants.With(targetHost, trustedRoot, (_, _, chain, errors) =>
            errors == SslPolicyErrors.None && chain is not null
                && (pinned.Count == 0 || chain.ChainElements.Any(e => pinned.Contains(Right09.PinOf(e.Certificate)))));
    }
}

/// <summary>WRONG: the right hash in base64url (the JWT habit), which no pin list written in base64 ever matches.</summary>
public static class Base64UrlPin
{
    public static string PinOf(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>WRONG: downloads left on: a pinned chain is completed from the address in the leaf when the server leaves out its intermediate.</summary>
public static class PinningDownloads
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        var options = Right09.CreateOptions(targetHost, trustedRoot, pins);
        options.CertificateChainPolicy!.DisableCertificateDownloads = false;
        return options;
    }
}

internal static class Exercise09Cases
{
    private static readonly PinningApi Right = PinningApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("9: thumbprint pinning",
            new PinningApi(ThumbprintPins.PinOf, ThumbprintPins.CreateOptions),
            ("9:PinOf_is_the_SHA256_of_the_SubjectPublicKeyInfo_in_base64", 1),
            ("9:CreateOptions_accepts_a_renewed_certificate_with_the_same_key", 5)),
        new("9: a hash of the whole certificate",
            Right with { PinOf = WholeCertificatePin.PinOf },
            ("9:PinOf_is_the_SHA256_of_the_SubjectPublicKeyInfo_in_base64", 1)),
        new("9: a pin match that overrules .NET's verdict",
            Right with { CreateOptions = PinOverrulesErrors.CreateOptions },
            ("9:CreateOptions_keeps_every_normal_check(expired)", 2),
            ("9:CreateOptions_keeps_every_normal_check(wrong-host)", 2),
            ("9:CreateOptions_keeps_every_normal_check(self-signed)", 2)),
        new("9: only the first pin",
            Right with { CreateOptions = FirstPinOnly.CreateOptions },
            ("9:CreateOptions_accepts_a_match_on_any_pin_of_the_set(backup)", 4)),
        new("9: only the leaf's key",
            Right with { CreateOptions = LeafKeyOnly.CreateOptions },
            ("9:CreateOptions_accepts_a_match_on_any_pin_of_the_set(intermediate)", 3)),
        new("9: pins matched against the certificates the server sent",
            Right with { CreateOptions = PinsMatchedAgainstSentCertificates.CreateOptions },
            ("9:CreateOptions_matches_pins_in_the_validated_chain_not_in_what_the_server_sent", 3)),
        new("9: pins compared case-insensitively",
            Right with { CreateOptions = CaseInsensitivePins.CreateOptions },
            ("9:CreateOptions_refuses_a_valid_certificate_whose_key_is_not_pinned(case-changed)", 3)),
        new("9: the pin in base64url",
            Right with { PinOf = Base64UrlPin.PinOf },
            ("9:PinOf_is_the_SHA256_of_the_SubjectPublicKeyInfo_in_base64", 1)),
        new("9: the machine's roots trusted too",
            Right with { CreateOptions = PinsOverTheMachineStore.CreateOptions },
            ("9:CreateOptions_refuses_a_pinned_certificate_from_a_root_the_machine_trusts", 2)),
        new("9: one static chain policy for every caller",
            Right with { CreateOptions = PinningWithASharedPolicy.CreateOptions },
            ("9:CreateOptions_returns_options_of_their_own_on_every_call", 2)),
        new("9: an empty pin set taken as no pinning",
            Right with { CreateOptions = EmptyPinSetMeansNoPinning.CreateOptions },
            ("9:CreateOptions_refuses_a_valid_certificate_whose_key_is_not_pinned(empty)", 4)),
        new("9: pins ignored",
            Right with { CreateOptions = PinsIgnored.CreateOptions },
            ("9:CreateOptions_refuses_a_valid_certificate_whose_key_is_not_pinned(other-keys)", 2),
            ("9:CreateOptions_refuses_a_valid_certificate_whose_key_is_not_pinned(empty)", 2)),
        new("9: missing intermediates downloaded (AIA)",
            Right with { CreateOptions = PinningDownloads.CreateOptions },
            ("9:CreateOptions_does_not_download_an_intermediate_the_server_left_out", 2)),
    ];
}
