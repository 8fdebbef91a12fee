using System.Diagnostics;
using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Probe;
using TlsLab.Pki;

namespace TlsLab.Tests.Interop;

/// <summary>
/// A real nginx (Debian's nginx-light) on a free loopback port, in the foreground (<c>daemon off</c>), with its own prefix folder and
/// configuration written here: one server block whose TLS directives the test gives. Killed (with its workers) on dispose.
/// </summary>
internal sealed class NginxServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private NginxServer(Process process, string folder, int port, string configuration)
    {
        _process = process;
        _folder = folder;
        Port = port;
        Configuration = configuration;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The nginx.conf it runs, for failure messages.</summary>
    public string Configuration { get; }

    /// <summary>The nginx binary, or a skip saying why there is none.</summary>
    public static string FindOrSkip()
    {
        var nginx = ExternalTool.Find("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);
        Assert.SkipWhen(nginx is null, "nginx is not installed on this machine, so there is no outside web server to probe " +
            "(Debian/Ubuntu: apt-get install nginx-light; .ci/run installs it).");
        return nginx!;
    }

    /// <summary>
    /// Starts nginx serving each of <paramref name="certificates"/> (leaf with its intermediates) with <paramref name="directives"/> in its
    /// server block. "{dhparam}" in the directives becomes the path of RFC 7919's ffdhe2048 group; "{listen}" the listen line's options.
    /// </summary>
    public static async Task<NginxServer> StartAsync(string directives, IEnumerable<(X509Certificate2 Leaf, X509Certificate2[] Chain)> certificates,
        string listenOptions = "ssl")
    {
        var nginx = FindOrSkip();
        var folder = Path.Combine(Path.GetTempPath(), "tlslab-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var sub in new[] { "conf", "logs", "temp" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        var lines = new List<string>();
        var i = 0;
        foreach (var (leaf, chain) in certificates)
        {
            var files = PemExport.Write(Path.Combine(folder, "conf"), $"server{i++}", leaf, chain);
            lines.Add($"ssl_certificate {files.Chain};");
            lines.Add($"ssl_certificate_key {files.Key};");
        }

        var dhparam = Path.Combine(folder, "conf", "ffdhe2048.pem");
        await File.WriteAllTextAsync(dhparam, DhParameters(2048));
        InvalidOperationException? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // A free port now may be taken before nginx binds it (other tests run at the same time): then try another.
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var configuration = $$"""
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/logs/error.log;
                worker_processes 1;
                events { worker_connections 128; }
                http {
                    access_log off;
                    client_body_temp_path {{folder}}/temp/body;
                    proxy_temp_path {{folder}}/temp/proxy;
                    fastcgi_temp_path {{folder}}/temp/fastcgi;
                    uwsgi_temp_path {{folder}}/temp/uwsgi;
                    scgi_temp_path {{folder}}/temp/scgi;
                    server {
                        listen 127.0.0.1:{{port}} {{listenOptions}};
                        server_name probe.localhost;
                        {{string.Join("\n            ", lines)}}
                        {{directives.Replace("{dhparam}", dhparam, StringComparison.Ordinal)}}
                        location / { default_type text/plain; return 200 "nginx for tlslab probe\n"; }
                    }
                }
                """;
            var path = Path.Combine(folder, "conf", "nginx.conf");
            await File.WriteAllTextAsync(path, configuration);
            var start = new ProcessStartInfo(nginx)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-p", folder, "-e", Path.Combine(folder, "logs", "error.log"), "-c", path, "-g", "daemon off;" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await ListeningAsync(process, port))
            {
                return new NginxServer(process, folder, port, configuration);
            }

            Kill(process);
            process.Dispose();
            var log = Path.Combine(folder, "logs", "error.log");
            last = new InvalidOperationException($"nginx did not start listening on port {port}:\n" +
                (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no error log)") + "\n" + configuration);
            if (!last.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw last!;
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await Task.Yield();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Throwaway test keys in a temp folder; never fail a test over clean-up.
        }
    }

    /// <summary>The PEM of RFC 7919's ffdhe group of <paramref name="bits"/> bits (DHParameter: prime, generator 2), for ssl_dhparam.</summary>
    private static string DhParameters(int bits)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(FfdheGroups.PrimeBytes(bits));
            writer.WriteInteger(2);
        }

        return PemEncoding.WriteString("DH PARAMETERS", writer.Encode());
    }

    private static async Task<bool> ListeningAsync(Process process, int port)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
