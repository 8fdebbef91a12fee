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

/// <summary>Exercise 2's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise02Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("2: an accept-all validation callback",
            Right with { Validation = Right.Validation with { CreateOptions = AcceptAllValidation.CreateOptions } },
            [.. ValidationGrader.RefusedScenarios.Select(s => ($"2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason({s})", 3))]),
        new("2: a callback that ignores RemoteCertificateNameMismatch",
            Right with { Validation = Right.Validation with { CreateOptions = IgnoresNameMismatch.CreateOptions } },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(wrong-host)", 3)),
        new("2: the system store plus any root (AllowUnknownCertificateAuthority)",
            Right with { Validation = Right.Validation with { CreateOptions = SystemStorePlusAnyRoot.CreateOptions } },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(self-signed)", 3)),
        new("2: a client that swallows AuthenticationException",
            Right with { Validation = Right.Validation with { GetStatusLineAsync = SwallowsFailures.GetStatusLineAsync } },
            ("2:GetStatusLineAsync_lets_a_refused_certificate_surface", 5)),
        new("2: plain HTTP to a TLS port",
            Right with { Validation = Right.Validation with { GetStatusLineAsync = NoTls.GetStatusLineAsync } },
            ("2:GetStatusLineAsync_gets_200_OK_over_TLS", 5)),
    ];
}
