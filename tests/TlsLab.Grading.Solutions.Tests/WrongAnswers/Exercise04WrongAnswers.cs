using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 4 that the grading tests must reject.

/// <summary>The shared body of the exercise-4 wrong answers: only the TargetHost and the callback differ.</summary>
internal static class HostnameClient
{
    public static async Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string targetHost, X509Certificate2 root,
        RemoteCertificateValidationCallback decide, bool reportFlags, CancellationToken cancellationToken)
    {
        ValidationRecord? seen = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = ChainPolicies.TrustOnly(root),
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                seen = ValidationRecord.Capture(targetHost, certificate, chain, errors);
                return decide(sender, certificate, chain, errors);
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
        catch (AuthenticationException e)
        {
            return reportFlags && seen is not null
                ? new HostnameVerdict(false, seen.PolicyErrors, seen.ChainStatus, Explain.Validation(seen))
                : new HostnameVerdict(false, SslPolicyErrors.None, X509ChainStatusFlags.NoError, e.Message);
        }
    }
}

/// <summary>WRONG: a callback that forgives RemoteCertificateNameMismatch.</summary>
public static class ForgivesNameMismatch
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None, reportFlags: true, cancellationToken);
}

/// <summary>WRONG: validates the address it connected to instead of the name it meant.</summary>
public static class ValidatesTheAddress
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, address.Address.ToString(), root,
            (_, _, _, errors) => errors == SslPolicyErrors.None, reportFlags: true, cancellationToken);
}

/// <summary>WRONG: refuses correctly but reports the platform's exception text instead of the flags.</summary>
public static class ForgetsTheFlags
{
    public static Task<HostnameVerdict?> ConnectAsync(IPEndPoint address, string expectedHost, X509Certificate2 root, CancellationToken cancellationToken) =>
        HostnameClient.ConnectAsync(address, expectedHost, root,
            (_, _, _, errors) => errors == SslPolicyErrors.None, reportFlags: false, cancellationToken);
}

/// <summary>Exercise 4's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise04Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("4: a callback that forgives a name mismatch",
            Right with { Hostname = new HostnameApi(ForgivesNameMismatch.ConnectAsync) },
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 2),
            ("4:Good_validated_as_another_name_is_refused", 2)),
        new("4: validating the address instead of the name",
            Right with { Hostname = new HostnameApi(ValidatesTheAddress.ConnectAsync) },
            ("4:Good_validated_as_another_name_is_refused", 2)),
        new("4: a refusal without its flags",
            Right with { Hostname = new HostnameApi(ForgetsTheFlags.ConnectAsync) },
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 5),
            ("4:A_chain_problem_is_reported_with_its_flags_and_a_reason(expired)", 5)),
    ];
}
