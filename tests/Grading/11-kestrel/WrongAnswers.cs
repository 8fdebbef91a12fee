using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 11 that the grading tests must reject. Compiled into the kit's proof project
// only (exercises/Tests/Exercises.Tests.csproj leaves this file out).

/// <summary>What a wrong answer to exercise 11 does differently from the right one.</summary>
internal sealed record KestrelMistakes
{
    public bool Selector { get; init; }
    public bool NoChain { get; init; }
    public bool AnyIp { get; init; }
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
    public bool NoSuitePolicy { get; init; }
    public ClientCertificateMode Mode { get; init; } = ClientCertificateMode.AllowCertificate;
    public bool AcceptAnyClient { get; init; }
    public bool MachineJudgesClients { get; init; }
    public X509RevocationMode ClientRevocation { get; init; } = X509RevocationMode.Online;
    public X509VerificationFlags ClientFlags { get; init; } = X509VerificationFlags.NoFlag;
    public bool AnyClientUsage { get; init; }
    public bool EndsAtCaIsEnough { get; init; }
    public bool LooseChainEndsAtCa { get; init; }
    public bool ClientDownloads { get; init; }
    public bool FromChainElements { get; init; }
    public bool NoHsts { get; init; }
    public bool HstsDefaults { get; init; }
}

/// <summary>The right answer's shape with the mistakes of <see cref="KestrelMistakes"/> made.</summary>
internal static class KestrelVariants
{
    private static readonly TlsCipherSuite[] Aead =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    public static Func<WebApplicationBuilder, X509Certificate2, X509Certificate2Collection, X509Certificate2, WebApplication> With(KestrelMistakes wrong) =>
        (builder, certificate, chain, clientCa) =>
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    if (wrong.Selector)
                    {
                        https.ServerCertificateSelector = (_, _) => certificate;
                    }
                    else
                    {
                        https.ServerCertificate = certificate;
                    }

                    if (!wrong.NoChain)
                    {
                        https.ServerCertificateChain = chain;
                    }

                    https.SslProtocols = wrong.Protocols;
                    https.ClientCertificateMode = wrong.Mode;
                    if (wrong.AcceptAnyClient)
                    {
                        https.ClientCertificateValidation = (_, _, _) => true;
                    }
                    else if (wrong.LooseChainEndsAtCa)
                    {
                        https.ClientCertificateValidation = (presented, sent, _) => LooseChainEndsAt(clientCa, presented, sent);
                    }
                    else if (!wrong.MachineJudgesClients)
                    {
                        https.ClientCertificateValidation = (presented, sent, _) =>
                        {
                            using var built = new X509Chain();
                            built.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                            built.ChainPolicy.CustomTrustStore.Add(clientCa);
                            built.ChainPolicy.RevocationMode = wrong.ClientRevocation;
                            built.ChainPolicy.DisableCertificateDownloads = !wrong.ClientDownloads;
                            built.ChainPolicy.VerificationFlags = wrong.ClientFlags;
                            if (!wrong.AnyClientUsage)
                            {
                                built.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
                            }

                            if (sent is not null)
                            {
                                built.ChainPolicy.ExtraStore.AddRange(wrong.FromChainElements
                                    ? [.. sent.ChainElements.Select(e => e.Certificate)]
                                    : sent.ChainPolicy.ExtraStore);
                            }

                            var valid = built.Build(presented);
                            return wrong.EndsAtCaIsEnough ? built.ChainElements[^1].Certificate.Thumbprint == clientCa.Thumbprint : valid;
                        };
                    }

                    if (!wrong.NoSuitePolicy)
                    {
                        https.OnAuthenticate = (_, ssl) =>
                        {
                            if (!OperatingSystem.IsWindows())
                            {
                                ssl.CipherSuitesPolicy = new CipherSuitesPolicy(Aead);
                            }
                        };
                    }
                });
                if (wrong.AnyIp)
                {
                    kestrel.ListenAnyIP(0, listen => listen.UseHttps());
                }
                else
                {
                    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps());
                }
            });
            builder.Services.AddHsts(hsts =>
            {
                hsts.MaxAge = TimeSpan.FromDays(365);
                if (!wrong.HstsDefaults)
                {
                    hsts.ExcludedHosts.Clear();
                }
            });
            var app = builder.Build();
            if (!wrong.NoHsts)
            {
                app.UseHsts();
            }

            return app;
        };

    // The chain built "by hand" because the CA is not in the machine's store: revocation off, any root allowed, the CA among the extra
    // certificates, Build's answer dropped, and the client let in when the chain ends at the CA's thumbprint. It ends there for every
    // certificate the CA ever signed: revoked, expired, or meant for servers.
    private static bool LooseChainEndsAt(X509Certificate2 clientCa, X509Certificate2 presented, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.Add(clientCa);
        foreach (var element in sent?.ChainElements.Select(e => e.Certificate) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element);
        }

        chain.Build(presented);
        return chain.ChainElements[^1].Certificate.Thumbprint == clientCa.Thumbprint;
    }
}

internal static class Exercise11Cases
{
    private static KestrelApi With(KestrelMistakes wrong) => new(KestrelVariants.With(wrong));

    // WRONG: only the builder guarded; a null certificate, chain or CA is found by Kestrel when the app starts, far from the call.
    private static KestrelApi GuardsTheBuilderOnly() => new((builder, certificate, chain, clientCa) =>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return KestrelVariants.With(new())(builder, certificate, chain, clientCa);
    });

    public static WrongAnswer[] All { get; } =
    [
        new("11: a ServerCertificateSelector (Kestrel then ignores the chain)", With(new() { Selector = true }),
            ("11:Build_serves_HTTPS_with_the_whole_chain", 1)),
        new("11: no ServerCertificateChain", With(new() { NoChain = true }),
            ("11:Build_serves_HTTPS_with_the_whole_chain", 1)),
        new("11: ListenAnyIP", With(new() { AnyIp = true }),
            ("11:Build_listens_on_loopback_only", 2)),
        new("11: TLS 1.3 only", With(new() { Protocols = SslProtocols.Tls13 }),
            ("11:Build_speaks_TLS_1_2_and_TLS_1_3", 3)),
        new("11: no cipher-suite policy", With(new() { NoSuitePolicy = true }),
            ("11:Build_agrees_only_to_AEAD_suites_over_TLS_1_2", 3)),
        new("11: client certificates required", With(new() { Mode = ClientCertificateMode.RequireCertificate }),
            ("11:Build_serves_clients_without_a_certificate_and_lets_in_the_CA_s_clients", 4)),
        new("11: AllowCertificate with an accept-all validation callback", With(new() { AcceptAnyClient = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: client certificates judged by the machine's trust store", With(new() { MachineJudgesClients = true }),
            ("11:Build_serves_clients_without_a_certificate_and_lets_in_the_CA_s_clients", 5)),
        new("11: the client's chain built with NoCheck and AllowUnknownCertificateAuthority, let in when it ends at the CA",
            With(new() { LooseChainEndsAtCa = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: client revocation switched off (NoCheck)", With(new() { ClientRevocation = X509RevocationMode.NoCheck }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: Build's result ignored, let in when the chain ends at the CA", With(new() { EndsAtCaIsEnough = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: expired client certificates forgiven (IgnoreNotTimeValid)", With(new() { ClientFlags = X509VerificationFlags.IgnoreNotTimeValid }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: no clientAuth usage in the ApplicationPolicy", With(new() { AnyClientUsage = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: no UseHsts", With(new() { NoHsts = true }),
            ("11:Build_sends_HSTS_even_to_localhost", 6)),
        new("11: UseHsts with its default ExcludedHosts (localhost skipped)", With(new() { HstsDefaults = true }),
            ("11:Build_sends_HSTS_even_to_localhost", 6)),
        new("11: a client's missing intermediate downloaded (AIA)", With(new() { ClientDownloads = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: the client's intermediates taken from the chain the server built (ChainElements), which holds what it downloaded",
            With(new() { FromChainElements = true }),
            ("11:Build_turns_away_client_certificates_the_CA_does_not_vouch_for", 5)),
        new("11: only the builder checked for null", GuardsTheBuilderOnly(),
            ("11:Null_arguments_get_an_ArgumentNullException", 1)),
    ];
}
