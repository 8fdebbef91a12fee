#:project Exercises.csproj
// Exercise 5, by hand: runs YOUR TlsServer (exercises/05-server) with a certificate the lab mints for
// good.localhost, and prints a curl line and a browser link to try it. From the repository root:
//
//     dotnet run exercises/try-my-server.cs            (then Ctrl+C to stop)
//     dotnet run exercises/try-my-server.cs -- 8443    (a fixed port)
//
// (Inside exercises/ itself, dotnet run would pick Exercises.csproj: there, use dotnet run --file try-my-server.cs.)
// The certificate and key are throwaway, minted for this run, written owner-only under .tlslab/try/.
using System.Net;
using TlsLab.Exercises;
using TlsLab.Zoo;

var port = 0;
if (args.Length > 0 && (!int.TryParse(args[0], out port) || port is < 1024 or > 65535))
{
    Console.Error.WriteLine($"error: '{args[0]}' is not a port from 1024 to 65535. Give one, or nothing for a free port.");
    return 2;
}

await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] });
var folder = Path.GetFullPath(Path.Combine(".tlslab", "try"));
var files = lab.WriteServerCredentials("good", folder);
var root = lab.WriteRootCertificate(Path.Combine(folder, "lab-root.pem"));

TlsServer server;
try
{
    server = TlsServer.Start(ServerCredentials.Load(files.Chain, files.Key), new IPEndPoint(IPAddress.Loopback, port));
    _ = server.EndPoint;
}
catch (NotImplementedException e)
{
    Console.Error.WriteLine($"Your exercise 5 is not finished yet: {e.Message}");
    Console.Error.WriteLine("Grade it to see which task comes next:  dotnet tlslab grade 5");
    return 1;
}

await using (server)
{
    var at = server.EndPoint.Port;
    Console.WriteLine($"Your server is listening on {server.EndPoint}, as good.localhost, with the lab's chain.");
    Console.WriteLine("Try it (it should answer HTTP/1.1 200 and send the intermediate with its certificate):");
    Console.WriteLine($"  curl --cacert {root} --resolve good.localhost:{at}:127.0.0.1 https://good.localhost:{at}/");
    Console.WriteLine($"  openssl s_client -connect 127.0.0.1:{at} -servername good.localhost -CAfile {root} -verify_return_error -brief");
    Console.WriteLine($"  dotnet tlslab probe 127.0.0.1:{at} --ca {root} --servername good.localhost   (the grade your server earns)");
    Console.WriteLine($"  a browser that trusts {root} (see tlslab serve): https://good.localhost:{at}/");
    Console.WriteLine("Ctrl+C stops it.");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
    await stop.Task;
}

return 0;
