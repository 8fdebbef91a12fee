using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Diagnostics;
using TlsLab.Pki;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 4 that the grading tests must reject.

/// <summary>How an exercise-4 wrong answer turns what validation saw into a result.</summary>
internal enum Reporting
{
    /// <summary>Every policy error and chain flag, as validation saw them (the right way).</summary>
    Flags,

    /// <summary>No flags, only the platform's exception text.</summary>
    ExceptionText,

    /// <summary>Only the first problem: the name mismatch if there is one, and the first chain status entry.</summary>
    FirstProblemOnly,
}

/// <summary>Where an exercise-4 wrong answer passes its cancellation token.</summary>
internal enum TokenUse
{
    /// <summary>To the TCP connect and to the handshake (the right way).</summary>
    Everywhere,

    /// <summary>To the TCP connect only: a server that accepts and then says nothing holds the handshake for ever.</summary>
    ConnectOnly,

    /// <summary>Nowhere.</summary>
    Nowhere,
}

/// <summary>The shared body of the exercise-4 wrong answers: only the TargetHost, the callback, the reporting and the token differ.</summary>
internal static class HostnameClient
{
    public static async Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string targetHost, X509Certificate2 root,
        RemoteCertificateValidationCallback decide, Reporting reporting, CancellationToken cancellationToken,
        TokenUse tokens = TokenUse.Everywhere, X509ChainPolicy? policy = null)
    {
        ValidationRecord? seen = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy ?? ChainPolicies.TrustOnly(root),
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                seen = ValidationRecord.Capture(targetHost, certificate, chain, errors);
                if (reporting == Reporting.FirstProblemOnly)
                {
                    var first = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? SslPolicyErrors.RemoteCertificateNameMismatch : errors;
                    var status = chain is { ChainStatus.Length: > 0 } ? chain.ChainStatus[0].Status : X509ChainStatusFlags.NoError;
                    seen = seen with { PolicyErrors = first, ChainStatus = status };
                }

                return decide(sender, certificate, chain, errors);
            },
        };
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address, tokens == TokenUse.Nowhere ? CancellationToken.None : cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsClientAsync(options, tokens == TokenUse.Everywhere ? cancellationToken : CancellationToken.None);
            return new HostnameVerdict(true, SslPolicyErrors.None, X509ChainStatusFlags.NoError, "connected");
        }
        catch (AuthenticationException e)
        {
            return reporting != Reporting.ExceptionText && seen is not null
                ? new HostnameVerdict(false, seen.PolicyErrors, seen.ChainStatus, Explain.Validation(seen))
                : new HostnameVerdict(false, SslPolicyErrors.None, X509ChainStatusFlags.NoError, e.Message);
        }
    }

    /// <summary>The right callback: .NET's verdict, nothing forgiven.</summary>
    public static bool Strict(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => errors == SslPolicyErrors.None;

    /// <summary>Forgives a name mismatch when <paramref name="matches"/> says the name is fine: a home-made name check.</summary>
    public static RemoteCertificateValidationCallback OwnNameCheck(Func<X509Certificate2, bool> matches) =>
        (_, certificate, _, errors) =>
            (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
            && certificate is X509Certificate2 leaf && matches(leaf);
}

/// <summary>The roots this machine trusts, as "so that real sites work too" code collects them: the user's store and the machine's.</summary>
internal static class MachineRoots
{
    public static X509Certificate2Collection All()
    {
        var all = new X509Certificate2Collection();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.Root, location);
            store.Open(OpenFlags.ReadOnly);
            all.AddRange(store.Certificates);
        }

        return all;
    }
}

/// <summary>WRONG: trustedRoot "plus the usual roots": any CA this machine trusts can vouch for any name.</summary>
public static class HostnameCheckTrustsTheMachineToo
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken)
    {
        var policy = ChainPolicies.TrustOnly(root);
        policy.CustomTrustStore.AddRange(MachineRoots.All());
        return HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.Flags, cancellationToken, policy: policy);
    }
}

/// <summary>WRONG: "the lab is offline anyway": a chain error that is only an unknown revocation status is forgiven, and the result says
/// so properly.</summary>
public static class ForgivesUnknownRevocation
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, (_, _, chain, errors) =>
            errors == SslPolicyErrors.None || (errors == SslPolicyErrors.RemoteCertificateChainErrors && chain is not null && chain.ChainStatus.All(s =>
                s.Status is X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation)),
            Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: downloads left on: a server that left out its intermediate is completed from the address in its certificate.</summary>
public static class HostnameCheckDownloads
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken)
    {
        var policy = ChainPolicies.TrustOnly(root);
        policy.DisableCertificateDownloads = false;
        return HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.Flags, cancellationToken, policy: policy);
    }
}

/// <summary>WRONG: what the callback saw kept in a static field: calls at the same time report each other's verdicts.</summary>
public static class StaticRecorder
{
    private static ValidationRecord? s_seen;

    public static async Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = expectedHost,
            CertificateChainPolicy = ChainPolicies.TrustOnly(root),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                s_seen = ValidationRecord.Capture(expectedHost, certificate, chain, errors);
                return errors == SslPolicyErrors.None;
            },
        };
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
            return new HostnameVerdict(true, SslPolicyErrors.None, X509ChainStatusFlags.NoError, "connected");
        }
        catch (AuthenticationException)
        {
            // Stands for what happens between the handshake and reading the field (logging, say): another call's callback runs meanwhile.
            await Task.Delay(20, cancellationToken);
            var seen = s_seen;
            return seen is null
                ? new HostnameVerdict(false, SslPolicyErrors.None, X509ChainStatusFlags.NoError, "refused")
                : new HostnameVerdict(false, seen.PolicyErrors, seen.ChainStatus, Explain.Validation(seen));
        }
    }
}

/// <summary>WRONG: a callback that forgives RemoteCertificateNameMismatch.</summary>
public static class ForgivesNameMismatch
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None, Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: validates the address it connected to instead of the name it meant.</summary>
public static class ValidatesTheAddress
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, address.Address.ToString(), root, HostnameClient.Strict, Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: refuses correctly but reports the platform's exception text instead of the flags.</summary>
public static class ForgetsTheFlags
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.ExceptionText, cancellationToken);
}

/// <summary>WRONG: forgives the name mismatch and checks the name itself with Subject.Contains: evilgood.localhost contains good.localhost.</summary>
public static class SubjectContainsHost
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            HostnameClient.OwnNameCheck(leaf => leaf.Subject.Contains(expectedHost, StringComparison.OrdinalIgnoreCase)), Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: "an IP address has no host name to check", so a name mismatch is forgiven when expectedHost is an IP literal.</summary>
public static class ForgivesIpLiterals
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            (_, _, _, errors) => errors == SslPolicyErrors.None
                || (IPAddress.TryParse(expectedHost, out _) && errors == SslPolicyErrors.RemoteCertificateNameMismatch),
            Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: "an IP literal cannot be checked", so TargetHost is left empty for one: on Linux every name check then fails.</summary>
public static class NoTargetHostForIpLiterals
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, IPAddress.TryParse(expectedHost, out _) ? string.Empty : expectedHost, root, HostnameClient.Strict,
            Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: checks the subject's common name, which clients ignore once a certificate has subject alternative names.</summary>
public static class ChecksTheCommonName
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            HostnameClient.OwnNameCheck(leaf => string.Equals(leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false), expectedHost,
                StringComparison.OrdinalIgnoreCase)),
            Reporting.Flags, cancellationToken);
}

/// <summary>WRONG: a home-made SAN matcher whose wildcard is an EndsWith, so '*.localhost' covers 'www.good.localhost' (two labels).</summary>
public static class HomeMadeWildcardMatch
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.OwnNameCheck(leaf => Matches(leaf, expectedHost)), Reporting.Flags,
            cancellationToken);

    private static bool Matches(X509Certificate2 leaf, string host)
    {
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var name in san.EnumerateDnsNames())
                {
                    if (string.Equals(name, host, StringComparison.OrdinalIgnoreCase)
                        || (name.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(name[1..], StringComparison.OrdinalIgnoreCase)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

/// <summary>WRONG: reports only the first problem it sees: the name mismatch alone, and chain.ChainStatus[0] alone.</summary>
public static class ReportsOnlyTheFirstProblem
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.FirstProblemOnly, cancellationToken);
}

/// <summary>WRONG: never passes the cancellation token on, so a server that says nothing holds the caller for ever.</summary>
public static class IgnoresCancellation
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.Flags, cancellationToken, TokenUse.Nowhere);
}

/// <summary>WRONG: passes the token to the TCP connect but not to AuthenticateAsClientAsync, where a silent server actually keeps it waiting.</summary>
public static class TokenOnlyForTheConnect
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.Flags, cancellationToken, TokenUse.ConnectOnly);
}

/// <summary>WRONG: the classic answer for a private root: the root in ExtraStore plus AllowUnknownCertificateAuthority, which trusts any root at all.</summary>
public static class AllowsUnknownRoots
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority,
        };
        policy.ExtraStore.Add(root);
        return HostnameClient.ConnectAsync(address, expectedHost, root, HostnameClient.Strict, Reporting.Flags, cancellationToken, policy: policy);
    }
}

/// <summary>WRONG: fills in Reason only when something went wrong, so a caller that logs every result logs an empty line on success.</summary>
public static class NoReasonOnSuccess
{
    public static async Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken)
    {
        var verdict = await HostnameApi.Compiled.ConnectAsync(address, expectedHost, root, cancellationToken);
        return verdict is { Connected: true } ? verdict with { Reason = null } : verdict;
    }
}

/// <summary>Exercise 4's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise04Cases
{
    private static readonly HostnameApi Right = HostnameApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("4: a callback that forgives a name mismatch",
            new HostnameApi(ForgivesNameMismatch.ConnectAsync),
            ("4:Good_at_127_0_0_1_validated_as_good_localhost_connects", 4), // taken in by an attacker with a lab certificate for another name
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 2),
            ("4:Good_validated_as_another_name_is_refused", 2),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(evilgood.localhost)", 4)),
        new("4: validating the address instead of the name",
            new HostnameApi(ValidatesTheAddress.ConnectAsync),
            ("4:Good_validated_as_another_name_is_refused", 2),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(ip-address-only)", 2)),
        new("4: a refusal without its flags",
            new HostnameApi(ForgetsTheFlags.ConnectAsync),
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 5),
            ("4:A_chain_problem_is_reported_with_its_flags_and_a_reason(expired)", 5)),
        new("4: Subject.Contains(host) as the name check",
            new HostnameApi(SubjectContainsHost.ConnectAsync),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(evilgood.localhost)", 4),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(good.localhost.evil)", 4),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(cn-differs-from-san)", 4)),
        new("4: the common name as the name check",
            new HostnameApi(ChecksTheCommonName.ConnectAsync),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(cn-differs-from-san)", 4)),
        new("4: a home-made wildcard match",
            new HostnameApi(HomeMadeWildcardMatch.ConnectAsync),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(wildcard-two-labels)", 4)),
        new("4: only the first problem reported",
            new HostnameApi(ReportsOnlyTheFirstProblem.ConnectAsync),
            ("4:A_certificate_with_three_problems_is_reported_with_all_their_flags", 5)),
        new("4: AllowUnknownCertificateAuthority with the root in ExtraStore",
            new HostnameApi(AllowsUnknownRoots.ConnectAsync),
            ("4:A_chain_problem_is_reported_with_its_flags_and_a_reason(self-signed)", 3),
            ("4:A_chain_problem_is_reported_with_its_flags_and_a_reason(untrusted-root)", 3)),
        new("4: the cancellation token ignored",
            new HostnameApi(IgnoresCancellation.ConnectAsync),
            ("4:ConnectAsync_gives_up_on_a_silent_server_when_cancelled", 7)),
        new("4: the token passed to the connect only",
            new HostnameApi(TokenOnlyForTheConnect.ConnectAsync),
            ("4:ConnectAsync_gives_up_on_a_silent_server_when_cancelled", 7)),
        new("4: a name mismatch forgiven for an IP literal",
            new HostnameApi(ForgivesIpLiterals.ConnectAsync),
            ("4:A_look_alike_certificate_is_refused_as_a_name_mismatch(ip-literal-not-named)", 4)),
        new("4: no TargetHost for an IP literal",
            new HostnameApi(NoTargetHostForIpLiterals.ConnectAsync),
            ("4:An_IP_literal_named_in_the_certificate_connects", 2)),
        new("4: the machine's roots trusted too",
            new HostnameApi(HostnameCheckTrustsTheMachineToo.ConnectAsync),
            ("4:A_certificate_from_a_root_the_machine_trusts_is_refused", 3)),
        new("4: what validation saw kept in a static field",
            new HostnameApi(StaticRecorder.ConnectAsync),
            ("4:ConnectAsync_called_at_once_for_three_endpoints_reports_each_its_own_result", 5)),
        new("4: no Reason when the connection succeeds",
            new HostnameApi(NoReasonOnSuccess.ConnectAsync),
            ("4:Good_at_127_0_0_1_validated_as_good_localhost_connects", 5)),
        new("4: missing intermediates downloaded (AIA)",
            new HostnameApi(HostnameCheckDownloads.ConnectAsync),
            ("4:An_intermediate_the_server_left_out_is_not_downloaded", 3)),
        new("4: an unknown revocation status forgiven",
            new HostnameApi(ForgivesUnknownRevocation.ConnectAsync),
            ("4:A_certificate_whose_revocation_nobody_answers_for_is_refused", 4)),
    ];
}
