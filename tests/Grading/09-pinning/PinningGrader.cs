using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 9: public-key pinning on top of normal validation. Pins are always computed by the kit
/// (<see cref="PinFixtures.Pin"/>), so CreateOptions is judged on its own, whatever PinOf does.
/// </summary>
public static class PinningGrader
{
    private const int Exercise = 9;

    /// <summary>Pin sets that must let good in: its pin after an unused one (a backup pin), and the intermediate's pin alone.</summary>
    public static IReadOnlyList<string> MatchingSets { get; } = ["backup", "intermediate"];

    /// <summary>Pin sets that must keep good out although its certificate is valid: other keys only, and no pins at all.</summary>
    public static IReadOnlyList<string> NonMatchingSets { get; } = ["other-keys", "empty", "case-changed"];

    /// <summary>Lab endpoints refused by normal validation, which a pin of their own key must not let in.</summary>
    public static IReadOnlyList<string> RefusedScenarios { get; } = ["expired", "wrong-host", "untrusted-root", "self-signed", "incomplete-chain"];

    /// <summary>Property: PinOf(certificate) is base64(SHA-256(SubjectPublicKeyInfo)), for an ECDSA and an RSA key.</summary>
    public static void PinOfHashesTheSubjectPublicKeyInfo(Lab lab, PinningApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var fixtures = PinFixtures.For(lab);
        foreach (var (certificate, kind) in new[] { (fixtures.EcdsaLeaf, "ECDSA P-256"), (fixtures.RsaLeaf, "RSA 2048") })
        {
            var call = $"PublicKeyPinning.PinOf(a certificate with an {kind} key, for {certificate.GetNameInfo(X509NameType.DnsName, false)})";
            var pin = Attempt.Call(call, new Hint(Exercise, 1), () => api.PinOf(certificate));
            var expected = PinFixtures.Pin(certificate);
            if (pin == expected)
            {
                continue;
            }

            throw new GradingFailure(
                $"PinOf returned {(pin is null ? "null" : $"\"{pin}\"")} for an {kind} key: {WhatItHashed(pin, certificate)}.",
                call,
                $"it returned {(pin is null ? "null" : $"\"{pin}\"")}",
                $"\"{expected}\": the SHA-256 hash of certificate.PublicKey.ExportSubjectPublicKeyInfo(), in base64 (what curl's --pinnedpubkey " +
                    "and HPKP use)",
                new Hint(Exercise, 1));
        }
    }

    /// <summary>Property: with good's own pin, CreateOptions accepts good.</summary>
    public static async Task GoodWithItsPinIsAcceptedAsync(Lab lab, PinningApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var pin = PinFixtures.Pin(await PinFixtures.PresentedLeafAsync(good, cancellationToken));
        await ExpectAcceptedAsync(lab, api, good, [pin], "good's own pin", 3, cancellationToken);
    }

    /// <summary>Property: a pin set matches when any of its pins names any key of the validated chain.</summary>
    public static async Task AnyPinOfTheSetMatchesAsync(Lab lab, PinningApi api, string set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var fixtures = PinFixtures.For(lab);
        var pin = PinFixtures.Pin(await PinFixtures.PresentedLeafAsync(good, cancellationToken));
        var (pins, what, hint) = set switch
        {
            "backup" => ((string[])[fixtures.UnusedPin, pin], "a pin set whose first pin names another key and whose second (the backup) names good's", 4),
            "intermediate" => ([fixtures.IntermediatePin], "the lab intermediate's pin alone (the key that signed good's certificate)", 3),
            _ => throw new ArgumentException($"No pin set '{set}'.", nameof(set)),
        };
        await ExpectAcceptedAsync(lab, api, good, pins, what, hint, cancellationToken);
        if (set == "intermediate")
        {
            // The attacker's certificate for another name is signed by this very intermediate: only .NET's verdict, kept, refuses it.
            await AttackerInTheMiddle.ReadsNothingFromAsync(lab, $"PublicKeyPinning.CreateOptions(\"{good.Host}\", lab root, {what})",
                host => CreateOptions(api, host, lab, pins, what).Options, (new Hint(Exercise, 2), new Hint(Exercise, 2)), cancellationToken);
        }
    }

    /// <summary>Property: a certificate that validates but whose chain holds no pinned key is refused.</summary>
    public static async Task UnpinnedKeyIsRefusedAsync(Lab lab, PinningApi api, string set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var fixtures = PinFixtures.For(lab);
        var (pins, what) = set switch
        {
            "other-keys" => ((string[])[fixtures.UnusedPin, PinFixtures.Pin(fixtures.EcdsaLeaf)], "two pins of other keys"),
            "empty" => ([], "an empty pin set"),
            "case-changed" => ([SwapCase(PinFixtures.Pin(await PinFixtures.PresentedLeafAsync(good, cancellationToken)))],
                "good's pin with the case of its letters swapped (base64 is case-sensitive: another hash)"),
            _ => throw new ArgumentException($"No pin set '{set}'.", nameof(set)),
        };
        var (options, call) = CreateOptions(api, good.Host, lab, pins, what);
        var outcome = await TlsClient.ConnectAsync(good.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (!outcome.Succeeded)
        {
            return;
        }

        // An empty set is its own mistake when a callback exists: "no pins" taken as "no pinning" (fail open), hint 4.
        var emptyAccepted = pins.Length == 0 && options.RemoteCertificateValidationCallback is not null;
        throw new GradingFailure(
            emptyAccepted
                ? $"Your client accepted good with {what}: with no pin nothing can match, so every server must be refused (fail closed)."
                : $"Your client accepted good with {what}: none names a key in good's chain.",
            $"{call}, then a TLS handshake with 'good' at {good.EndPoint}; its certificate is valid, but its key is not pinned",
            Describe.Outcome(outcome),
            "a refusal: the certificate validates, and then the pin check finds no pinned key in the chain",
            new Hint(Exercise, options.RemoteCertificateValidationCallback is null ? 2 : emptyAccepted ? 4 : 3));
    }

    /// <summary>
    /// Property: pins are matched against the chain .NET validated, never against what the server sent. A server presents a valid
    /// certificate with another key, plus an extra certificate that carries the pinned key (OkHttp's CVE-2016-2402): it is refused.
    /// </summary>
    public static async Task PinnedKeyOnlySentIsRefusedAsync(Lab lab, PinningApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var fixtures = PinFixtures.For(lab);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            fixtures.SentNotValidated);
        var (options, call) = CreateOptions(api, PinFixtures.SentHost, lab, [fixtures.SentPin], "the pin of a key the server does not use");
        var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (!outcome.Succeeded)
        {
            return;
        }

        throw new GradingFailure(
            "Your client accepted a server because a certificate it sent carries the pinned key, although that certificate is not in the " +
                "chain .NET validated: the pins were matched against what the server sent.",
            $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents a valid certificate for " +
                $"{PinFixtures.SentHost} (another key, from the lab's intermediate) and sends along an extra certificate carrying the " +
                "pinned key, posing as the lab root",
            Describe.Outcome(outcome),
            "a refusal: the validated chain (chain.ChainElements) holds no pinned key. The certificates the server sent " +
                "(chain.ChainPolicy.ExtraStore) are whatever an attacker chose to send",
            new Hint(Exercise, 3));
    }

    /// <summary>Property: a pin never widens trust: a certificate from a root the machine trusts, whose own key is pinned, is still refused as an
    /// untrusted chain.</summary>
    public static async Task MachineTrustedRootIsRefusedAsync(Lab lab, PinningApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "machine-trusted.localhost";
        var pin = PinFixtures.Pin(MachineTrustCheck.CertificateFor(host).TargetCertificate);
        await MachineTrustCheck.ExpectRefusedAsync(host, () => CreateOptions(api, host, lab, [pin], "the pin of that server's own key"),
            new Hint(Exercise, 2), cancellationToken);
    }

    /// <summary>Property: each call of CreateOptions returns options of its own (twice in a row, and at once from several threads).</summary>
    public static void ReturnsFreshOptions(Lab lab, PinningApi api)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var pins = new[] { PinFixtures.For(lab).UnusedPin };
        FreshOptionsCheck.Expect((host, root) => api.CreateOptions(host, root, pins), "PublicKeyPinning.CreateOptions",
            (lab.RootCertificate, RevocationChains.Instance.Root), new Hint(Exercise, 2));
    }

    /// <summary>Property: a pin survives renewal: the server presents a renewed certificate (same key, new thumbprint) and is accepted with the
    /// pin PinOf made before renewal.</summary>
    public static async Task RenewedCertificateIsAcceptedAsync(Lab lab, PinningApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var fixtures = PinFixtures.For(lab);
        await using var server = new RecordingHttpServer(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"], TimeSpan.Zero,
            fixtures.Renewed);
        // The pin is made with the attendee's own PinOf, as their client would store it: a thumbprint "pin" fails here, and only here.
        var pinCall = $"PublicKeyPinning.PinOf(the certificate for {PinFixtures.RenewedHost} before renewal)";
        var pins = new[] { Attempt.Call(pinCall, new Hint(Exercise, 1), () => api.PinOf(fixtures.Original)) };
        var (options, call) = CreateOptions(api, PinFixtures.RenewedHost, lab, pins, "that pin");
        call = $"{pinCall}, then {call}";
        var outcome = await TlsClient.ConnectAsync(server.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded)
        {
            return;
        }

        // If the attendee's own PinOf gives the renewal the same pin, renewal is not the problem: CreateOptions computes another pin.
        var stable = Attempt.Call(pinCall, new Hint(Exercise, 1), () => api.PinOf(fixtures.Renewed.TargetCertificate)) == pins[0];
        var thumbprint = !stable && outcome.Validation is { Passed: true } && options.RemoteCertificateValidationCallback is not null;
        if (stable && outcome.Validation is { Passed: true })
        {
            throw new GradingFailure(
                "Your client refused a renewed certificate although your PinOf gives it the same pin: CreateOptions compares the pins with " +
                    "something else than PinOf computes.",
                $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents the renewal (same key)",
                Describe.Outcome(outcome),
                "the handshake succeeds: the callback computes PinOf(element.Certificate) for each element of the chain and looks it up in pins",
                new Hint(Exercise, 3));
        }

        throw new GradingFailure(
            thumbprint
                ? "Your client refused a renewed certificate with the same key: the pin check compares something that renewal changes (the " +
                    "thumbprint, or a hash of the whole certificate), not the key."
                : $"Your client refused a renewed certificate for {PinFixtures.RenewedHost}: {outcome.Explanation}",
            $"{call}, then a TLS handshake with a test server at {server.EndPoint} that presents the renewal: same key and names, new serial, " +
                $"new dates, thumbprint {fixtures.RenewedThumbprint} (the original's was {fixtures.Original.Thumbprint})",
            Describe.Outcome(outcome),
            "the handshake succeeds: the key did not change, so neither did its SubjectPublicKeyInfo pin",
            new Hint(Exercise, thumbprint ? 5 : 2));
    }

    /// <summary>Property: a pin never overrules normal validation: each broken lab endpoint, pinned by its own key, is still refused for its own
    /// reason.</summary>
    public static async Task NormalChecksStayAsync(Lab lab, PinningApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not refused by a careful client.", nameof(scenario));
        var pin = PinFixtures.Pin(await PinFixtures.PresentedLeafAsync(endpoint, cancellationToken));
        var (options, call) = CreateOptions(api, endpoint.Host, lab, [pin], $"the pin of {scenario}'s own key");
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (Refusal.IsForItsOwnReason(outcome, expected))
        {
            return;
        }

        throw new GradingFailure(
            outcome.Succeeded
                ? $"Your client accepted '{scenario}' because its key is pinned, although {expected.Summary}: a pin match must never overrule .NET's " +
                    "verdict."
                : $"Your client refused '{scenario}', but not for its own reason ({expected.Summary}).",
            $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)})",
            outcome.Succeeded ? $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}" : Describe.Outcome(outcome),
            Describe.Refusal(expected),
            new Hint(Exercise, 2));
    }

    private static async Task ExpectAcceptedAsync(Lab lab, PinningApi api, LabEndpoint endpoint, IReadOnlyCollection<string> pins, string what,
        int hint, CancellationToken cancellationToken)
    {
        var (options, call) = CreateOptions(api, endpoint.Host, lab, pins, what);
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded)
        {
            return;
        }

        var pinRefused = outcome.Validation is { Passed: true };
        throw new GradingFailure(
            pinRefused
                ? $"Your client refused '{endpoint.Name}' with {what}: its certificate validated, and then the pin check did not find the pinned key."
                : $"Your client refused '{endpoint.Name}' before any pin was checked: {outcome.Explanation}",
            $"{call}, then a TLS handshake with '{endpoint.Name}' at {endpoint.EndPoint} ({Describe.Trust(options)})",
            Describe.Outcome(outcome),
            "the handshake succeeds: the certificate validates against the lab root, and a key in its chain is pinned",
            new Hint(Exercise, pinRefused ? hint : 2));
    }

    private static string WhatItHashed(string? pin, X509Certificate2 certificate)
    {
        if (pin is null)
        {
            return "a pin is never null";
        }

        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        if (string.Equals(pin, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)
            || pin == Convert.ToBase64String(SHA1.HashData(certificate.RawData)))
        {
            return "that is the certificate's thumbprint (SHA-1 of the whole certificate), which changes at every renewal";
        }

        if (pin == Convert.ToBase64String(SHA256.HashData(certificate.RawData))
            || string.Equals(pin, Convert.ToHexString(SHA256.HashData(certificate.RawData)), StringComparison.OrdinalIgnoreCase))
        {
            return "that is a hash of the whole certificate, which changes at every renewal; pin the key";
        }

        if (pin == Convert.ToBase64String(SHA256.HashData(certificate.GetPublicKey())))
        {
            return "that is a hash of the raw key bytes without their algorithm; the pin covers the SubjectPublicKeyInfo (algorithm, parameters and key)";
        }

        if (string.Equals(pin, Convert.ToHexString(SHA256.HashData(spki)), StringComparison.OrdinalIgnoreCase))
        {
            return "the right hash, written in hex; pins are written in base64";
        }

        var right = SHA256.HashData(spki);
        if (pin == Convert.ToBase64String(right).TrimEnd('=') || pin == Base64Url(right) || pin == Base64Url(right) + "=")
        {
            return "the right hash, in base64url or without its '=' padding; pins are written in standard base64 (with '+', '/' and the padding)";
        }

        return pin == Convert.ToBase64String(SHA1.HashData(spki)) || pin == Convert.ToBase64String(SHA384.HashData(spki))
            ? "the right bytes with the wrong hash function; pins use SHA-256"
            : "not the SHA-256 of the SubjectPublicKeyInfo";
    }

    /// <summary>Property: nothing is fetched: a pinned leaf whose server leaves out its intermediate is refused as PartialChain, although
    /// the leaf names a loopback address where the intermediate can be downloaded (AIA).</summary>
    public static Task MissingIntermediateIsNotDownloadedAsync(PinningApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string host = "aia.localhost";
        var chains = RevocationChains.Instance;
        var call = $"PublicKeyPinning.CreateOptions(\"{host}\", the test chain's root, the pin of the test chain's root)";
        var options = Attempt.Call(call, new Hint(Exercise, 2), () => api.CreateOptions(host, chains.Root, [Spki(chains.Root)]))
            ?? throw new GradingFailure("CreateOptions returned null.", call, "it returned null", "a new SslClientAuthenticationOptions",
                new Hint(Exercise, 2));
        return DownloadableIntermediateCheck.ExpectRefusedAsync(host, call, options, new Hint(Exercise, 2), cancellationToken);
    }

    private static string Spki(X509Certificate2 certificate) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private static string SwapCase(string text) =>
        string.Concat(text.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (System.Net.Security.SslClientAuthenticationOptions Options, string Call) CreateOptions(PinningApi api, string host, Lab lab,
        IReadOnlyCollection<string> pins, string what)
    {
        var call = $"PublicKeyPinning.CreateOptions(\"{host}\", lab root, {what})";
        var options = Attempt.Call(call, new Hint(Exercise, 2), () => api.CreateOptions(host, lab.RootCertificate, pins));
        return (options ?? throw new GradingFailure("CreateOptions returned null.", call, "it returned null", "a new SslClientAuthenticationOptions",
            new Hint(Exercise, 2)), call);
    }
}
