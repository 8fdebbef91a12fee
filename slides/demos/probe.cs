#:project ../../src/TlsLab/TlsLab.csproj
// The client from the slides, pointed at one endpoint of `tlslab serve --base-port 8440`.
//   dotnet run slides/demos/probe.cs -- good
//   dotnet run slides/demos/probe.cs -- wrong-host
//   dotnet run slides/demos/probe.cs -- tls12-only --min-tls13
// Run it from the repository root: it trusts .tlslab/lab-root.pem, the root that `serve` wrote.
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;
using TlsLab.Pki;

const int basePort = 8440;
if (args.Length == 0 || Scenario.Find(args[0]) is not { } scenario)
{
    Console.Error.WriteLine($"usage: probe.cs SCENARIO [--min-tls13] [--max-tls12] [--modern-ciphers] [--accept-anything]");
    Console.Error.WriteLine($"scenarios: {string.Join(", ", Scenario.Names)}");
    return 2;
}

var rootPath = Path.Combine(".tlslab", "lab-root.pem");
if (!File.Exists(rootPath))
{
    Console.Error.WriteLine($"No {rootPath} here. Start the lab from the repository root first: dotnet run --project src/TlsLab.Cli -- serve " +
        $"--base-port {basePort}");
    return 2;
}

var port = basePort + Scenario.Names.ToList().IndexOf(scenario.Name);
var endPoint = new IPEndPoint(IPAddress.Loopback, port);
using var root = X509Certificate2.CreateFromPem(File.ReadAllText(rootPath));
var options = new SslClientAuthenticationOptions
{
    TargetHost = scenario.Host,                              // the name to check, and the SNI sent
    CertificateChainPolicy = ChainPolicies.TrustOnly(root),  // the lab root and nothing else
};

foreach (var flag in args.Skip(1))
{
    switch (flag)
    {
        case "--min-tls13":
            options.EnabledSslProtocols = SslProtocols.Tls13;
            break;
        case "--max-tls12":
            options.EnabledSslProtocols = SslProtocols.Tls12;
            break;
        case "--modern-ciphers" when !OperatingSystem.IsWindows():
            options.CipherSuitesPolicy = new CipherSuitesPolicy(
            [
                TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            ]);
            break;
        case "--modern-ciphers":
            Console.Error.WriteLine("--modern-ciphers: Windows chooses cipher suites system-wide; CipherSuitesPolicy is not available here.");
            return 2;
        case "--accept-anything":
            // WRONG WAY, shown on purpose: every certificate passes, for any name, from anyone.
#pragma warning disable CA5359 // WRONG WAY, shown on purpose: the slide's --accept-anything, to show what it lets through
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            break;
        default:
            Console.Error.WriteLine($"unknown option {flag}");
            return 2;
    }
}

Console.WriteLine($"{scenario.Name}: connecting to {endPoint}, expecting the name {scenario.Host}");
var outcome = await TlsClient.ConnectAsync(endPoint, options);
Console.WriteLine(outcome.Succeeded
    ? $"  connected: {outcome.Protocol}, {outcome.CipherSuite}, {outcome.StatusLine}"
    : $"  refused ({outcome.Problem})");
if (outcome.Succeeded && outcome.Validation is { Passed: false } overruled)
{
    // The callback said yes; .NET's own verdict was no. Say so, instead of pretending all was well.
    Console.WriteLine($"  .NET's own check said {overruled.PolicyErrors}; the callback accepted it anyway.");
    Console.WriteLine($"  {Explain.Validation(overruled)}");
}
else
{
    Console.WriteLine($"  {outcome.Explanation}");
}

return outcome.Succeeded ? 0 : 1;
