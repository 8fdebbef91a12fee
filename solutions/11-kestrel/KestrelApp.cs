using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace TlsLab.Exercises;

/// <summary>Exercise 11: an ASP.NET Core app whose Kestrel serves TLS the way exercises 5 to 7 did by hand.</summary>
public static class KestrelApp
{
    // Mozilla's "intermediate" profile: AEAD suites with forward secrecy only (exercise 6).
    private static readonly TlsCipherSuite[] ModernSuites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Configures <paramref name="builder"/> to serve HTTPS on loopback with <paramref name="certificate"/> and its
    /// <paramref name="chain"/>, TLS 1.2 and 1.3 with modern suites, optional client certificates checked against <paramref name="clientCa"/>,
    /// and HSTS; builds the app and returns it (not started, no endpoints: the caller maps them).</summary>
    public static WebApplication Build(WebApplicationBuilder builder, X509Certificate2 certificate, X509Certificate2Collection chain,
        X509Certificate2 clientCa)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(clientCa);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                // The leaf and the intermediates: a client that has never seen the intermediate can still build the chain. (A
                // ServerCertificateSelector would make Kestrel ignore ServerCertificateChain and send what .NET finds on its own.)
                https.ServerCertificate = certificate;
                https.ServerCertificateChain = chain;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

                // Optional: a client without a certificate is served (anonymously); one that presents a certificate must prove it.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (presented, sent, _) => IssuedBy(clientCa, presented, sent);

                // The suites are per connection. Windows takes them from a machine-wide setting and throws here, so the
                // policy is set only where the platform has it.
                https.OnAuthenticate = (_, ssl) =>
                {
                    if (!OperatingSystem.IsWindows())
                    {
                        ssl.CipherSuitesPolicy = new CipherSuitesPolicy(ModernSuites);
                    }
                };
            });

            // Loopback, both families, a port of Kestrel's choosing: nothing outside this machine can connect.
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps());
        });

        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;

            // UseHsts leaves out localhost, 127.0.0.1 and [::1] unless told otherwise: this app serves nothing else.
            hsts.ExcludedHosts.Clear();
        });

        var app = builder.Build();
        app.UseHsts();
        return app;
    }

    // The client's chain judged as exercise 7 judged it: the CA given is the only root, compared by key and signature, not by name;
    // the intermediates the client sent help build the chain (sent.ChainPolicy.ExtraStore: what came over the wire; sent.ChainElements is the
    // chain the server's TLS stack built, which may hold an intermediate it downloaded from the address the client's certificate names);
    // the certificate must be meant for clients. RevocationMode stays at
    // Online (the default), so a certificate the CA revoked is turned away; Build's answer is the verdict, since a chain ends at
    // clientCa for revoked, expired and server certificates alike.
    private static bool IssuedBy(X509Certificate2 clientCa, X509Certificate2 presented, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(clientCa);
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        return chain.Build(presented);
    }
}
