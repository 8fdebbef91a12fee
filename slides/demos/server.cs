#:project ../../src/TlsLab/TlsLab.csproj
// The server side of the talk, in C#: listen, load key + certificate + intermediates, keep old
// protocols off, wrap each accepted connection, and survive a client that fails its handshake.
//   dotnet run slides/demos/server.cs                 serves https://demo.localhost:8460/
//   dotnet run slides/demos/server.cs -- --leaf-only  the classic mistake: no intermediate sent
// Run it from the repository root. It mints its own throwaway PKI (nothing to download, nothing
// committed) and writes its files to .tlslab/demo-server/: trust demo-root.pem there.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Pki;

const int port = 8460;
var leafOnly = args.Contains("--leaf-only");

// The certificate files a real server would be given: leaf + intermediates (chain) and a key.
using var pki = new WorkshopPki();
using var issued = pki.IssueServerCertificate("demo.localhost");
var folder = Path.Combine(".tlslab", "demo-server");
var files = PemExport.Write(folder, "demo", issued, [pki.Intermediate.PublicCertificate]);
File.WriteAllText(Path.Combine(folder, "demo-root.pem"), PemExport.Certificate(pki.RootCertificate));

// 1. Load key, certificate and intermediates (Python: load_cert_chain).
using var leaf = ServerCertificates.Prepare(X509Certificate2.CreateFromPemFile(files.Certificate, files.Key));
var intermediates = new X509Certificate2Collection();
if (!leafOnly)
{
    intermediates.ImportFromPemFile(files.Chain);
    intermediates.RemoveAt(0); // the bundle starts with the leaf itself
}

var options = new SslServerAuthenticationOptions
{
    ServerCertificateContext = SslStreamCertificateContext.Create(leaf, intermediates, offline: true),
    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, // or None: the OS default
};

// 2. Bind and listen (loopback only).
var listener = new TcpListener(IPAddress.Loopback, port);
listener.Start();
Console.WriteLine($"https://demo.localhost:{port}/ {(leafOnly ? "(sending the leaf ONLY: a broken server)" : "(leaf + intermediate)")}");
Console.WriteLine($"Trust {Path.Combine(folder, "demo-root.pem")}. Ctrl+C to stop.");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// 3. Wrap each accepted connection; one bad client must not end the loop.
while (!stop.IsCancellationRequested)
{
    TcpClient client;
    try
    {
        client = await listener.AcceptTcpClientAsync(stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }

    using (client)
    await using (var tls = new SslStream(client.GetStream()))
    {
        var peer = client.Client.RemoteEndPoint;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(5)); // a client that never speaks must not stall us
            await tls.AuthenticateAsServerAsync(options, deadline.Token);
            var reader = new StreamReader(tls, Encoding.ASCII, leaveOpen: true);
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(deadline.Token)))
            {
                // read the request head up to its empty line
            }

            var body = $"Hello {peer}, you speak {tls.SslProtocol} with {tls.NegotiatedCipherSuite}.\n";
            var answer = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: " +
                $"close\r\n\r\n{body}";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), deadline.Token);
            await tls.ShutdownAsync();
            Console.WriteLine($"{peer}: served {tls.SslProtocol} {tls.NegotiatedCipherSuite}");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            var cause = e;
            while (cause.InnerException is { } inner)
            {
                cause = inner;
            }

            Console.WriteLine($"{peer}: {e.GetType().Name}, still serving ({cause.Message})");
        }
    }
}

listener.Stop();
return 0;
