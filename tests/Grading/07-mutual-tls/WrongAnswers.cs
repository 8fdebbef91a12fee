using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Right07 = TlsLab.Exercises.MutualTls;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 7 that the grading tests must reject.

/// <summary>WRONG: the server never asks for a client certificate (ClientCertificateRequired left false).</summary>
public static class NeverAsksForClientCertificate
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.ClientCertificateRequired = false;
        return options;
    }
}

/// <summary>WRONG: requested, not required: the callback lets in a client that sends no certificate.</summary>
public static class RequestedNotRequired
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is null || errors == SslPolicyErrors.None;
        return options;
    }
}

/// <summary>WRONG: any client certificate at all gets in, whoever issued it.</summary>
public static class AnyClientCertificate
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
        return options;
    }
}

/// <summary>WRONG: "issued by our CA" checked by comparing the top of the chain's name with the CA's.</summary>
public static class ClientCaByName
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.CertificateChainPolicy = null;
        options.RemoteCertificateValidationCallback = (_, _, chain, _) =>
            chain is { ChainElements.Count: > 0 } && chain.ChainElements[^1].Certificate.Issuer == clientCa.Subject;
        return options;
    }
}

/// <summary>WRONG: the machine's trust store judges client certificates, so the client CA's own clients are turned away.</summary>
public static class ClientCertificatesAgainstTheMachineStore
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.CertificateChainPolicy = null;
        return options;
    }
}

/// <summary>WRONG: mutual TLS with resumption left on: a good client's second connection fails.</summary>
public static class ResumesClientSessions
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.AllowTlsResume = true;
        return options;
    }
}

/// <summary>
/// WRONG: "let in whatever the machine trusts, or a chain to our CA": no chain policy (the machine's store judges), and a callback
/// that takes .NET's "no errors" as a yes before it checks the client CA itself. Any certificate from any CA the machine trusts gets in.
/// </summary>
public static class MachineStoreOrClientCa
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.CertificateChainPolicy = null;
        options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null)
            {
                return false;
            }

            using var own = new X509Chain();
            own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            own.ChainPolicy.CustomTrustStore.Add(clientCa);
            own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                own.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return own.Build(leaf);
        };
        return options;
    }
}

/// <summary>WRONG: never asks (ClientCertificateRequired false), and a callback that wants a certificate: every client is turned away.</summary>
public static class NeverAsksButWantsACertificate
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.ClientCertificateRequired = false;
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None;
        return options;
    }
}

/// <summary>WRONG: resumption left on, with a strict callback: the resumed session's partial chain is refused by the callback, not by .NET.</summary>
public static class ResumesWithAStrictCallback
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.AllowTlsResume = true;
        options.RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None;
        return options;
    }
}

/// <summary>WRONG: the client's chain policy dropped ("the server is ours"): the machine's store judges the server.</summary>
public static class ClientTrustsTheMachine
{
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        var options = Right07.CreateClientOptions(targetHost, trustedRoot, clientCertificate);
        options.CertificateChainPolicy!.CustomTrustStore.AddRange(MachineRoots.All());
        return options;
    }
}

/// <summary>WRONG: "revocation is slow": the server never asks whether a client certificate was revoked (a lost laptop keeps its access).</summary>
public static class ServerSkipsClientRevocation
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.CertificateChainPolicy!.RevocationMode = X509RevocationMode.NoCheck;
        return options;
    }
}

/// <summary>WRONG: the server downloads the intermediate a client left out.</summary>
public static class ServerDownloadsIntermediates
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        var options = Right07.CreateServerOptions(serverCertificate, clientCa);
        options.CertificateChainPolicy!.DisableCertificateDownloads = false;
        return options;
    }
}

/// <summary>WRONG: the client downloads the intermediate a server left out.</summary>
public static class ClientDownloadsIntermediates
{
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        var options = Right07.CreateClientOptions(targetHost, trustedRoot, clientCertificate);
        options.CertificateChainPolicy!.DisableCertificateDownloads = false;
        return options;
    }
}

/// <summary>WRONG: the client forgets its certificate.</summary>
public static class ClientWithoutItsCertificate
{
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        var options = Right07.CreateClientOptions(targetHost, trustedRoot, clientCertificate);
        options.ClientCertificateContext = null;
        return options;
    }
}

/// <summary>WRONG: the client sends its certificate through ClientCertificates, which sends the leaf without its intermediate.</summary>
public static class ClientSendsTheLeafAlone
{
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        var options = Right07.CreateClientOptions(targetHost, trustedRoot, clientCertificate);
        options.ClientCertificateContext = null;
        options.ClientCertificates = [clientCertificate.TargetCertificate];
        return options;
    }
}

/// <summary>WRONG: "we present a certificate, so the server must be fine": the client accepts any server.</summary>
public static class ClientStopsCheckingTheServer
{
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        var options = Right07.CreateClientOptions(targetHost, trustedRoot, clientCertificate);
        options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return options;
    }
}

internal static class Exercise07Cases
{
    private static readonly MutualTlsApi Right = MutualTlsApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("7: a server that never asks",
            Right with { CreateServerOptions = NeverAsksForClientCertificate.CreateServerOptions },
            ("7:CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA", 2),
            ("7:CreateServerOptions_turns_away_a_client_without_a_certificate", 2)),
        new("7: requested, not required",
            Right with { CreateServerOptions = RequestedNotRequired.CreateServerOptions },
            ("7:CreateServerOptions_turns_away_a_client_without_a_certificate", 2)),
        new("7: any client certificate",
            Right with { CreateServerOptions = AnyClientCertificate.CreateServerOptions },
            ("7:CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(stranger)", 3),
            ("7:CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(server-usage)", 3),
            ("7:CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(expired)", 3)),
        new("7: the client CA checked by name",
            Right with { CreateServerOptions = ClientCaByName.CreateServerOptions },
            ("7:CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(impostor)", 3)),
        new("7: client certificates judged by the machine's store",
            Right with { CreateServerOptions = ClientCertificatesAgainstTheMachineStore.CreateServerOptions },
            ("7:CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA", 3)),
        new("7: resumption left on",
            Right with { CreateServerOptions = ResumesClientSessions.CreateServerOptions },
            ("7:CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA", 4)),
        new("7: the machine's store, or a chain to the client CA",
            Right with { CreateServerOptions = MachineStoreOrClientCa.CreateServerOptions },
            ("7:CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(machine-trusted)", 3)),
        new("7: never asks, and a callback that wants a certificate",
            Right with { CreateServerOptions = NeverAsksButWantsACertificate.CreateServerOptions },
            ("7:CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA", 2)),
        new("7: resumption left on, with a strict callback",
            Right with { CreateServerOptions = ResumesWithAStrictCallback.CreateServerOptions },
            ("7:CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA", 4)),
        new("7: a client that trusts the machine's roots too",
            Right with { CreateClientOptions = ClientTrustsTheMachine.CreateClientOptions },
            ("7:CreateClientOptions_refuses_a_server_certificate_from_a_root_the_machine_trusts", 6)),
        new("7: a client without its certificate",
            Right with { CreateClientOptions = ClientWithoutItsCertificate.CreateClientOptions },
            ("7:CreateClientOptions_is_served_by_a_lab_endpoint_that_requires_a_client_certificate", 5),
            ("7:CreateClientOptions_sends_the_intermediate_with_the_certificate", 5)),
        new("7: a client that sends the leaf alone",
            Right with { CreateClientOptions = ClientSendsTheLeafAlone.CreateClientOptions },
            ("7:CreateClientOptions_sends_the_intermediate_with_the_certificate", 5)),
        new("7: a client that stops checking the server",
            Right with { CreateClientOptions = ClientStopsCheckingTheServer.CreateClientOptions },
            ("7:CreateClientOptions_still_refuses_a_broken_server_certificate(expired)", 6),
            ("7:CreateClientOptions_still_refuses_a_broken_server_certificate(untrusted-root)", 6)),
        new("7: a client that downloads missing intermediates (AIA)",
            Right with { CreateClientOptions = ClientDownloadsIntermediates.CreateClientOptions },
            ("7:CreateClientOptions_does_not_download_an_intermediate_the_server_left_out", 6)),
        new("7: client certificates never checked for revocation",
            Right with { CreateServerOptions = ServerSkipsClientRevocation.CreateServerOptions },
            ("7:CreateServerOptions_turns_away_a_revoked_client_certificate", 3)),
        new("7: a server that downloads missing intermediates (AIA)",
            Right with { CreateServerOptions = ServerDownloadsIntermediates.CreateServerOptions },
            ("7:CreateServerOptions_does_not_download_an_intermediate_the_client_left_out", 3)),
    ];
}
