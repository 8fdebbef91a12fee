#:project ../../src/TlsLab/TlsLab.csproj
// What a person in the middle sees: a recording tap (a TCP relay that keeps every byte) in front of
// `plaintext` (8440) and then `good` (8441) of `tlslab serve --base-port 8440`.
//   dotnet run slides/demos/eavesdrop.cs
// Run it from the repository root: it trusts .tlslab/lab-root.pem, the root that `serve` wrote.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Formatting;
using TlsLab.Pki;
using TlsLab.Wire;

var rootPath = Path.Combine(".tlslab", "lab-root.pem");
if (!File.Exists(rootPath))
{
    Console.Error.WriteLine($"No {rootPath} here. Start the lab from the repository root first: dotnet run --project src/TlsLab.Cli -- serve --base-port 8440");
    return 2;
}

using var root = X509Certificate2.CreateFromPem(File.ReadAllText(rootPath));

// 1. Plain HTTP through the tap.
await using (var tap = await RecordingTap.StartAsync(new IPEndPoint(IPAddress.Loopback, 8440)))
{
    using var tcp = new TcpClient();
    await tcp.ConnectAsync(tap.EndPoint);
    await TlsClient.GetAsync(tcp.GetStream(), "plaintext.localhost", "/?password=hunter2", CancellationToken.None);
    var seen = (await tap.WaitForConnectionAsync()).Transcript;
    Console.WriteLine("=== plaintext (8440): what the tap read, both ways ===");
    Console.WriteLine(TlsViews.Text(seen));
}

// 2. The same request over TLS through the tap.
await using (var tap = await RecordingTap.StartAsync(new IPEndPoint(IPAddress.Loopback, 8441)))
{
    using var tcp = new TcpClient();
    await tcp.ConnectAsync(tap.EndPoint);
    await using var tls = new SslStream(tcp.GetStream());
    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
    {
        TargetHost = "good.localhost",
        CertificateChainPolicy = ChainPolicies.TrustOnly(root),
    });
    await TlsClient.GetAsync(tls, "good.localhost", "/?password=hunter2", CancellationToken.None);
    var connection = await tap.WaitForConnectionAsync();
    await tls.DisposeAsync();
    await connection.Closed.WaitAsync(TimeSpan.FromSeconds(5));
    var seen = connection.Transcript;
    Console.WriteLine();
    Console.WriteLine("=== good (8441, TLS): what the tap read, client -> server ===");
    var sent = seen.BytesSent;
    Console.WriteLine($"{sent.Length} bytes; does 'hunter2' appear in them? {sent.AsSpan().IndexOf("hunter2"u8) >= 0}");
    if (seen.TryGetClientHello(out var hello))
    {
        Console.WriteLine($"Still in the clear: the ClientHello. SNI = {hello.ServerName}, ALPN = " +
            $"{(hello.Alpn.Count == 0 ? "(none)" : string.Join(", ", hello.Alpn))}, offered {string.Join(", ", hello.SupportedVersionNames)}");
    }

    Console.WriteLine("The TLS records each way, and what an eavesdropper reads of them (after the hellos: noise):");
    Console.WriteLine(TlsViews.Text(seen));
}

return 0;
