using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 2 that the grading tests must reject.

/// <summary>WRONG: "it works now" by accepting every certificate. Encryption to anyone is no security.</summary>
public static class AcceptAllValidation
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) => new()
    {
        TargetHost = targetHost,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };
}

/// <summary>WRONG: trusts the right root, then waves through a certificate issued for another name.</summary>
public static class IgnoresNameMismatch
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        return options;
    }
}

/// <summary>
/// WRONG: the popular recipe. Keep the system trust store, add the private root to ExtraStore and set
/// AllowUnknownCertificateAuthority so the chain "builds". That flag accepts ANY self-signed root,
/// not just ours: the self-signed endpoint gets in.
/// </summary>
public static class SystemStorePlusAnyRoot
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) => new()
    {
        TargetHost = targetHost,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ExtraStore.Add(trustedRoot);
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        },
    };
}

/// <summary>WRONG: turns a refused certificate into an ordinary return value the caller may never check.</summary>
public static class SwallowsFailures
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await Exercises.ValidatingClient.GetStatusLineAsync(endPoint, options, cancellationToken);
        }
        catch (AuthenticationException)
        {
            return "TLS failed";
        }
    }
}

/// <summary>WRONG: a plain socket request with no TLS at all, sent to a TLS port.</summary>
public static class NoTls
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nConnection: close\r\n\r\n"), cancellationToken);
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }
}

/// <summary>WRONG: the lab root "plus the usual roots, so real sites work too": any of ~150 CAs can then vouch for a lab name.</summary>
public static class TrustsTheMachineRootsToo
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(trustedRoot);
        // Written out as an attendee would, so the analyzer sees the store (TLS005): the user's roots and the machine's.
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.Root, location);
            store.Open(OpenFlags.ReadOnly);
            policy.CustomTrustStore.AddRange(store.Certificates);
        }

        return new SslClientAuthenticationOptions { TargetHost = targetHost, CertificateChainPolicy = policy };
    }
}

/// <summary>WRONG: "the lab's certificates are only test certificates", so every verification flag: expired and self-signed get in.</summary>
public static class AllVerificationFlags
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.VerificationFlags = X509VerificationFlags.AllFlags;
        return options;
    }
}

/// <summary>WRONG: the private-CA recipe with AllowUnknownCertificateAuthority on top of CustomRootTrust: any root is now good enough.</summary>
public static class CustomTrustPlusAnyRoot
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        return options;
    }
}

/// <summary>WRONG: a callback that "accepts our private CA" by comparing names; anyone can mint a root with that name.</summary>
public static class ChecksTheRootsNameOnly
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot) => new()
    {
        TargetHost = targetHost,
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

            // Our CA is not in the machine's store, so a chain that stops at it is fine.
            var top = chain.ChainElements[^1].Certificate;
            var onlyTrustErrors = chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain);
            return onlyTrustErrors && (top.Subject == trustedRoot.Subject || top.Issuer == trustedRoot.Subject);
        },
    };
}

/// <summary>WRONG: one read of the SslStream, which returns one TLS record, not a line.</summary>
public static class ReadsOneRecord
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nConnection: close\r\n\r\n"), cancellationToken);
        var buffer = new byte[16384];
        var n = await tls.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }
}

/// <summary>WRONG: "TLS 1.2 for compatibility", written into the caller's options.</summary>
public static class ChangesTheCallersOptions
{
    public static Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        options.EnabledSslProtocols = SslProtocols.Tls12;
        return Exercises.ValidatingClient.GetStatusLineAsync(endPoint, options, cancellationToken);
    }
}

/// <summary>WRONG: the accept-all callback given to the SslStream's constructor, where it overrules the options' validation.</summary>
public static class AcceptAllOnTheStream
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nConnection: close\r\n\r\n"), cancellationToken);
        using var reader = new StreamReader(tls, Encoding.ASCII, false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }
}

/// <summary>
/// WRONG: "some servers reset TLS 1.3, so try again with TLS 1.2", on a copy of the options. An attacker who
/// resets the first connection gets the TLS 1.3-only caller down to TLS 1.2.
/// </summary>
public static class RetriesWithTls12AfterAReset
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await Exercises.ValidatingClient.GetStatusLineAsync(endPoint, options, cancellationToken);
        }
        catch (IOException)
        {
            var fallback = new SslClientAuthenticationOptions
            {
                TargetHost = options.TargetHost,
                CertificateChainPolicy = options.CertificateChainPolicy,
                RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
                EnabledSslProtocols = SslProtocols.Tls12,
            };
            return await Exercises.ValidatingClient.GetStatusLineAsync(endPoint, fallback, cancellationToken);
        }
    }
}

/// <summary>WRONG: "networks are flaky", so a second try with the same options: two connections for one call, and the reset never reported.</summary>
public static class RetriesOnceAfterAReset
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await Exercises.ValidatingClient.GetStatusLineAsync(endPoint, options, cancellationToken);
        }
        catch (IOException)
        {
            return await Exercises.ValidatingClient.GetStatusLineAsync(endPoint, options, cancellationToken);
        }
    }
}

/// <summary>WRONG: null (as an empty string) when the server closes without answering: the caller cannot tell it from an answer.</summary>
public static class EmptyWhenClosedOverTls
{
    public static async Task<string> GetStatusLineAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nConnection: close\r\n\r\n"), cancellationToken);
        using var reader = new StreamReader(tls, Encoding.ASCII, false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }
}

/// <summary>WRONG: CustomRootTrust with the root forgotten: an empty trust store refuses everything, the lab's own good endpoint included.</summary>
public static class EmptyTrustStore
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.CustomTrustStore.Clear();
        return options;
    }
}

/// <summary>WRONG: the root in CustomTrustStore, but TrustMode left at System: .NET will not build a chain at all.</summary>
public static class RootWithSystemTrustMode
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.TrustMode = X509ChainTrustMode.System;
        return options;
    }
}

/// <summary>WRONG: "revocation is slow and the lab is offline anyway": RevocationMode NoCheck,
/// so a revoked intermediate (a compromised CA) is trusted.</summary>
public static class RevocationSwitchedOff
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.RevocationMode = X509RevocationMode.NoCheck;
        return options;
    }
}

/// <summary>WRONG: revocation for the leaf only (EndCertificateOnly).</summary>
public static class RevocationForTheLeafOnly
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.RevocationFlag = X509RevocationFlag.EndCertificateOnly;
        return options;
    }
}

/// <summary>WRONG: "one policy is enough", a static X509ChainPolicy refilled on each call: every earlier caller now trusts the latest root.</summary>
public static class OneSharedPolicy
{
    private static readonly X509ChainPolicy Policy = new() { TrustMode = X509ChainTrustMode.CustomRootTrust, DisableCertificateDownloads = true };
    private static readonly Lock Gate = new();

    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        lock (Gate)
        {
            Policy.CustomTrustStore.Clear();
            Policy.CustomTrustStore.Add(trustedRoot);
        }

        return new SslClientAuthenticationOptions { TargetHost = targetHost, CertificateChainPolicy = Policy };
    }
}

/// <summary>Exercise 2's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
/// <summary>WRONG: downloads left on "so that servers with an incomplete chain still work": the client fetches what the server left out.</summary>
public static class DownloadsMissingIntermediates
{
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        var options = Exercises.ValidatingClient.CreateOptions(targetHost, trustedRoot);
        options.CertificateChainPolicy!.DisableCertificateDownloads = false;
        return options;
    }
}

internal static class Exercise02Cases
{
    private static readonly ValidateApi Right = ValidateApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("2: an accept-all validation callback",
            Right with { CreateOptions = AcceptAllValidation.CreateOptions },
            [.. ValidateGrader.RefusedScenarios.Select(s => ($"2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason({s})", 3)),
                ("2:CreateOptions_accepts_good_trusting_only_the_lab_root", 3)]), // the attacker in the middle reads its request
        new("2: a callback that ignores RemoteCertificateNameMismatch",
            Right with { CreateOptions = IgnoresNameMismatch.CreateOptions },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(wrong-host)", 3)),
        new("2: the system store plus any root (AllowUnknownCertificateAuthority)",
            Right with { CreateOptions = SystemStorePlusAnyRoot.CreateOptions },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(self-signed)", 3)),
        new("2: a client that swallows AuthenticationException",
            Right with { GetStatusLineAsync = SwallowsFailures.GetStatusLineAsync },
            ("2:GetStatusLineAsync_lets_a_refused_certificate_surface", 5)),
        new("2: plain HTTP to a TLS port",
            Right with { GetStatusLineAsync = NoTls.GetStatusLineAsync },
            ("2:GetStatusLineAsync_gets_200_OK_over_TLS", 5)),
        new("2: the lab root plus every root of the machine",
            Right with { CreateOptions = TrustsTheMachineRootsToo.CreateOptions },
            ("2:CreateOptions_trusts_the_lab_root_and_no_other_root", 2),
            ("2:CreateOptions_refuses_a_certificate_from_a_root_the_machine_trusts", 2)),
        new("2: VerificationFlags.AllFlags",
            Right with { CreateOptions = AllVerificationFlags.CreateOptions },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(expired)", 3),
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(self-signed)", 3),
            ("2:CreateOptions_trusts_the_lab_root_and_no_other_root", 3),
            ("2:CreateOptions_refuses_a_certificate_that_only_looks_right(client-certificate)", 3),
            ("2:CreateOptions_refuses_a_certificate_that_only_looks_right(signed-by-a-leaf)", 3)),
        new("2: CustomRootTrust plus AllowUnknownCertificateAuthority",
            Right with { CreateOptions = CustomTrustPlusAnyRoot.CreateOptions },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(self-signed)", 3),
            ("2:CreateOptions_trusts_the_lab_root_and_no_other_root", 3)),
        new("2: a callback that checks the root's name, not its key",
            Right with { CreateOptions = ChecksTheRootsNameOnly.CreateOptions },
            ("2:CreateOptions_refuses_a_certificate_that_only_looks_right(impostor-root)", 3)),
        new("2: one read of the SslStream",
            Right with { GetStatusLineAsync = ReadsOneRecord.GetStatusLineAsync },
            ("2:GetStatusLineAsync_reads_a_whole_line_split_across_TLS_records", 5)),
        new("2: TLS 1.2 forced on the caller's options",
            Right with { GetStatusLineAsync = ChangesTheCallersOptions.GetStatusLineAsync },
            ("2:GetStatusLineAsync_gets_200_OK_over_TLS", 5)),
        new("2: an empty string when the server closes without answering",
            Right with { GetStatusLineAsync = EmptyWhenClosedOverTls.GetStatusLineAsync },
            ("2:GetStatusLineAsync_fails_when_the_server_closes_without_answering", 5)),
        new("2: an empty CustomTrustStore",
            Right with { CreateOptions = EmptyTrustStore.CreateOptions },
            ("2:CreateOptions_accepts_good_trusting_only_the_lab_root", 2)),
        new("2: the root in CustomTrustStore with TrustMode System",
            Right with { CreateOptions = RootWithSystemTrustMode.CreateOptions },
            ("2:CreateOptions_accepts_good_trusting_only_the_lab_root", 2),
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(expired)", 2),
            ("2:CreateOptions_trusts_the_lab_root_and_no_other_root", 2)),
        new("2: revocation switched off (NoCheck)",
            Right with { CreateOptions = RevocationSwitchedOff.CreateOptions },
            ("2:CreateOptions_refuses_a_chain_whose_intermediate_is_revoked", 4)),
        new("2: revocation for the leaf only",
            Right with { CreateOptions = RevocationForTheLeafOnly.CreateOptions },
            ("2:CreateOptions_refuses_a_chain_whose_intermediate_is_revoked", 4)),
        new("2: one static chain policy for every caller",
            Right with { CreateOptions = OneSharedPolicy.CreateOptions },
            ("2:CreateOptions_returns_options_of_their_own_on_every_call", 1)),
        new("2: a retry with TLS 1.2 after a reset",
            Right with { GetStatusLineAsync = RetriesWithTls12AfterAReset.GetStatusLineAsync },
            ("2:GetStatusLineAsync_makes_one_connection_and_lets_a_reset_surface", 5)),
        new("2: a second try after a reset",
            Right with { GetStatusLineAsync = RetriesOnceAfterAReset.GetStatusLineAsync },
            ("2:GetStatusLineAsync_makes_one_connection_and_lets_a_reset_surface", 5)),
        new("2: an accept-all callback on the SslStream",
            Right with { GetStatusLineAsync = AcceptAllOnTheStream.GetStatusLineAsync },
            ("2:GetStatusLineAsync_lets_a_refused_certificate_surface", 5)),
        new("2: missing intermediates downloaded (AIA)",
            Right with { CreateOptions = DownloadsMissingIntermediates.CreateOptions },
            ("2:CreateOptions_does_not_download_an_intermediate_the_server_left_out", 4)),
    ];
}
