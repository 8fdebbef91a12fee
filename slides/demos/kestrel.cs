#:project ../../src/TlsLab/TlsLab.csproj
#:project ../../src/TlsLab.AspNetCore/TlsLab.AspNetCore.csproj
// The reference Kestrel app of the "At work" part: ASP.NET Core on loopback with a full chain, TLS 1.2 and 1.3 only, AEAD suites,
// two names on one port (SNI), optional client certificates checked by key, and HSTS.
//   dotnet run slides/demos/kestrel.cs        serves https://app.localhost:8480/ and https://api.localhost:8480/ until Ctrl+C
// Run it from the repository root. It mints its own throwaway PKI (nothing to download, nothing committed) and writes the root to
// .tlslab/kestrel-demo/root.pem: trust that file (curl --cacert, tlslab probe --ca). The same app is built step by step in
// notebooks/13-kestrel.
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TlsLab.Pki;
using TlsLab.Zoo;

const int port = 8480;
string[] names = ["app.localhost", "api.localhost"];

using var pki = new WorkshopPki();
var folder = Path.Combine(".tlslab", "kestrel-demo");
Directory.CreateDirectory(folder);
var rootFile = Path.Combine(folder, "root.pem");
File.WriteAllText(rootFile, PemExport.Certificate(pki.RootCertificate));

// One certificate context per name: leaf and intermediate, built once, sent with every handshake.
var contexts = names.ToDictionary(name => name,
    name => ServerCertificates.CreateContext(ServerCertificates.Prepare(pki.IssueServerCertificate(name)), [pki.Intermediate.PublicCertificate]),
    StringComparer.OrdinalIgnoreCase);

// Mozilla's "intermediate" profile: forward secret AEAD suites only. Windows takes its suites from a machine-wide setting instead.
TlsCipherSuite[] modernSuites =
[
    TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

// A client certificate is believed when its chain reaches this root by signatures (keys), never because a name matches.
bool IssuedUnderOurRoot(X509Certificate? presented)
{
    if (presented is null)
    {
        return true; // optional: a client without a certificate is let in, anonymous
    }

    using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
    using var chain = new X509Chain { ChainPolicy = ChainPolicies.TrustOnly(pki.RootCertificate) };
    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a PKI made on its own publishes no CRL or OCSP: nothing to ask
    chain.ChainPolicy.ExtraStore.Add(pki.Intermediate.PublicCertificate);
    chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // TLS Web Client Authentication
    return chain.Build(certificate);
}

SslServerAuthenticationOptions OptionsFor(string? serverName)
{
    var options = new SslServerAuthenticationOptions
    {
        ServerCertificateContext = contexts.GetValueOrDefault(serverName ?? string.Empty) ?? contexts[names[0]],
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = true, // asks; the callback lets anonymous clients in and checks the others
        #pragma warning disable TLS006 // the server checks a presented client certificate's chain itself (IssuedUnderOurRoot); anonymous clients are welcome
        RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedUnderOurRoot(certificate),
        #pragma warning restore TLS006
    };
    if (!OperatingSystem.IsWindows() && PlatformSupport.CipherSuitesPolicy)
    {
        options.CipherSuitesPolicy = new CipherSuitesPolicy(modernSuites);
    }

    return options;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHsts(hsts => { hsts.MaxAge = TimeSpan.FromDays(365); hsts.IncludeSubDomains = true; });
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
    listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = connection => ValueTask.FromResult(OptionsFor(connection.ClientHelloInfo.ServerName)) })));
var app = builder.Build();
app.UseHsts();
app.MapGet("/", (HttpContext http) =>
{
    var tls = http.Features.Get<ITlsHandshakeFeature>();
    return $"Hello {http.Connection.ClientCertificate?.Subject ?? "anonymous client"}: {http.Request.Host.Host} over {http.Request.Protocol}, " +
        $"{tls?.Protocol}, {tls?.NegotiatedCipherSuite}\n";
});

try
{
    await app.StartAsync();
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    Console.Error.WriteLine($"Port {port} is in use, perhaps by another copy of this demo. Stop it (Ctrl+C in its terminal), or find what listens " +
        $"there with: ss -ltnp 'sport = :{port}' (Linux) or netstat -ano | findstr {port} (Windows); then run this again.");
    return 1;
}

Console.WriteLine($"Kestrel on https://127.0.0.1:{port}/ for {string.Join(" and ", names)}; the root to trust: {rootFile}");
Console.WriteLine($"  curl --cacert {rootFile} --resolve app.localhost:{port}:127.0.0.1 https://app.localhost:{port}/");
Console.WriteLine($"  dotnet tlslab probe 127.0.0.1:{port} --ca {rootFile} --servername app.localhost");
Console.WriteLine("Ctrl+C to stop.");
await app.WaitForShutdownAsync();
return 0;
