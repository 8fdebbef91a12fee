using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using TlsLab.Pki;

namespace TlsLab.Tests.Interop;

/// <summary>
/// A real <c>openssl s_server -www</c> on a free loopback port, presenting a certificate the test minted,
/// with whatever version and cipher options the test gives it. Killed (with its children) on dispose,
/// so no test leaves one behind.
/// </summary>
internal sealed partial class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly string _folder;

    private OpenSslServer(Process process, StringBuilder log, string folder, int port, string commandLine)
    {
        _process = process;
        _log = log;
        _folder = folder;
        Port = port;
        CommandLine = commandLine;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The s_server command line, for failure messages.</summary>
    public string CommandLine { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The openssl binary, or a skip saying why there is none.</summary>
    public static string FindOrSkip()
    {
        var openssl = ExternalTool.Find("openssl");
        Assert.SkipWhen(openssl is null, "openssl is not on PATH on this machine, so there is no openssl s_server to test against " +
            "(Debian/Ubuntu: apt-get install openssl).");
        return openssl!;
    }

    /// <summary>Starts s_server presenting <paramref name="leaf"/> (with its key) and <paramref name="chain"/>, plus <paramref name="options"/>.</summary>
    public static async Task<OpenSslServer> StartAsync(X509Certificate2 leaf, IEnumerable<X509Certificate2> chain, params string[] options)
    {
        var openssl = FindOrSkip();
        var folder = Path.Combine(Path.GetTempPath(), "tlslab-s_server-" + Guid.NewGuid().ToString("N")[..12]);
        var files = PemExport.Write(folder, "server", leaf, chain);
        string[] arguments = ["s_server", "-accept", "127.0.0.1:0", "-www", "-cert", files.Certificate, "-key", files.Key, .. options];
        if (chain.Any())
        {
            // -cert_chain holds what the server sends after its leaf: the intermediates only.
            var intermediates = Path.Combine(folder, "intermediates.pem");
            await File.WriteAllTextAsync(intermediates, string.Concat(chain.Select(PemExport.Certificate)));
            arguments = [.. arguments, "-cert_chain", intermediates];
        }

        var start = new ProcessStartInfo(openssl)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                port.TrySetException(new InvalidOperationException("openssl s_server ended before it listened."));
                return;
            }

            lock (log)
            {
                if (log.Length < 8000)
                {
                    log.AppendLine(line);
                }
            }

            if (AcceptLine().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var commandLine = "openssl " + string.Join(' ', arguments);
        try
        {
            var listening = await port.Task.WaitAsync(TimeSpan.FromSeconds(15));
            return new OpenSslServer(process, log, folder, listening, commandLine);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill(process);
            process.Dispose();
            throw new InvalidOperationException($"'{commandLine}' did not start listening: {log}", e);
        }
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

    [GeneratedRegex(@"^ACCEPT .*:(\d+)\s*$")]
    private static partial Regex AcceptLine();
}
