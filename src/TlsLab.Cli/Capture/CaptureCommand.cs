using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Spectre.Console;
using TlsLab.Cli.Bench;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;
using TlsLab.Cli.Probe;
using TlsLab.Client;
using TlsLab.Formatting;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Cli.Capture;

/// <summary>
/// <c>tlslab capture</c>: one HTTPS request through the recording tap with key logging on, written as a pcapng file that
/// carries its own secrets, so Wireshark and tshark show the decrypted request and answer with no set-up.
/// </summary>
internal static class CaptureCommand
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("target")
        {
            Description = "A lab scenario to capture (such as good, tls12-only, expired), started in this process, or HOST:PORT of any TLS server.",
        };
        var outFile = new Option<string>("--out", "-o")
        {
            Description = "The pcapng file to write (it carries the connection's secrets: open it in Wireshark, or tshark -r FILE -Y http).",
            Required = true,
        };
        var serverName = new Option<string?>("--servername")
        {
            Description = "The name to send as SNI and to check the certificate against. Default: the scenario's name, or the HOST of the target.",
        };
        var ca = new Option<string?>("--ca")
        {
            Description = "PEM file with the root certificate(s) to trust for a HOST:PORT target (for the lab: .tlslab/lab-root.pem). " +
                "Default: the system's trust store.",
        };
        var keyLog = new Option<string?>("--keylog")
        {
            Description = "Also keep the key log in this file (owner-only). The capture file carries the same secrets either way.",
        };
        var show = new Option<bool>("--show")
        {
            Description = "Also print the connection decrypted and annotated, record by record (what TlsViews.Decrypted shows in a notebook).",
        };
        var path = new Option<string>("--path")
        {
            Description = "The path to GET.",
            DefaultValueFactory = _ => "/",
        };

        var command = new Command("capture", "Record one HTTPS request through the tap, with key logging on, as a pcapng file that Wireshark " +
            "decrypts by itself.")
        {
            target, outFile, serverName, ca, keyLog, path, show,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new CaptureRequest(parse.GetValue(target)!, parse.GetValue(outFile)!, parse.GetValue(serverName), parse.GetValue(ca),
                parse.GetValue(keyLog), parse.GetValue(path) ?? "/", parse.GetValue(show));
            if (request.Problem() is { } problem)
            {
                await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.UsageError;
            }

            return await RunAsync(request, output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CaptureRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Opened first, so an unwritable --out is said before anything is started; owner-only, as it carries secrets.
        FileStream file;
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            file = new FileStream(request.OutFile, create);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot write '{request.OutFile}': {e.Message} Choose a writable file with --out.");
            return ExitCodes.UsageError;
        }

        await using (file)
        {
            return await RunAsync(request, file, output, error, cancellationToken);
        }
    }

    private static async Task<int> RunAsync(CaptureRequest request, FileStream file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Before any TLS connection of this process: .NET reads the key-log setting once, at the first handshake.
        var folder = Path.Combine(Path.GetTempPath(), $"tlslab-capture-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var keyLogPath = request.KeyLogFile ?? Path.Combine(folder, "keys.log");
        if (request.KeyLogFile is null)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        try
        {
            if (await TlsClient.TryEnableKeyLogAsync(keyLogPath, cancellationToken) is { } keyLogProblem)
            {
                await error.WriteLineAsync($"error: a capture needs the connection's secrets. {keyLogProblem}");
                return ExitCodes.UsageError;
            }

            Lab? lab = null;
            try
            {
                IPEndPoint endPoint;
                SslClientAuthenticationOptions options;
                string description;
                if (request.Scenario is { } scenario)
                {
                    try
                    {
                        lab = await Lab.StartAsync(new LabOptions { Scenarios = [scenario.Name], KeyLogFile = keyLogPath }, cancellationToken);
                    }
                    catch (LabStartException e)
                    {
                        await error.WriteLineAsync($"error: {e.Message}");
                        return ExitCodes.UsageError;
                    }

                    if (lab.Endpoints.Count == 0)
                    {
                        await error.WriteLineAsync($"error: this platform cannot serve '{scenario.Name}': {PlatformSupport.Problem(scenario)}");
                        return ExitCodes.UsageError;
                    }

                    endPoint = lab[scenario.Name].EndPoint;
                    options = lab.CreateClientOptions(scenario.Name);
                    description = $"lab scenario {scenario.Name} on {endPoint}";
                }
                else
                {
                    var (host, port) = BenchRequest.SplitTarget(request.Target)!.Value;
                    if (await ResolveAsync(host, cancellationToken) is not { } address)
                    {
                        await error.WriteLineAsync($"error: cannot resolve '{host}'. Use an IP address, or a name this machine can look up.");
                        return ExitCodes.UsageError;
                    }

                    endPoint = new IPEndPoint(address, port);
                    options = new SslClientAuthenticationOptions { TargetHost = host };
                    if (request.CaFile is { } caFile)
                    {
                        // The probe's policy: these roots only, no downloads, revocation asked but an unreachable address forgiven.
                        options.CertificateChainPolicy = ChainInspector.Policy(CaFiles.Load(caFile, out _));
                    }

                    description = $"{request.Target}";
                }

                if (request.ServerName is { } name)
                {
                    options.TargetHost = name;
                }

                return await CaptureAsync(request, file, endPoint, options, description, keyLogPath, output, error, cancellationToken);
            }
            finally
            {
                if (lab is not null)
                {
                    await lab.DisposeAsync();
                }
            }
        }
        finally
        {
            if (request.KeyLogFile is null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<int> CaptureAsync(CaptureRequest request, FileStream file, IPEndPoint endPoint, SslClientAuthenticationOptions options,
        string description, string keyLogPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var tap = await RecordingTap.StartAsync(endPoint, cancellationToken);
        var outcome = await TlsClient.ConnectAsync(tap.EndPoint, options, request.Path, cancellationToken: cancellationToken);
        TapConnection connection;
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(Patience);
            connection = await tap.WaitForConnectionAsync(1, wait.Token);
            await connection.Closed.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: the connection to {description} did not finish within {Patience.TotalSeconds:0} seconds.");
            return ExitCodes.Failed;
        }

        var transcript = connection.Transcript;
        var keyLog = KeyLog.Parse(await File.ReadAllTextAsync(keyLogPath, cancellationToken));
        var secrets = transcript.TryGetClientHello(out var hello) ? keyLog.LinesFor(hello.Random.Span) : string.Empty;
        var clientPort = connection.ClientEndPoint is IPEndPoint client ? client.Port : 50000;
        int packets;
        try
        {
            packets = PcapNgWriter.Write(file, transcript, secrets, clientPort,
                $"One HTTPS request to {description}, recorded by tlslab's tap. The TCP packets are rebuilt from the recorded byte " +
                $"stream; the server's port is shown as {PcapNgWriter.ServerPort} (it was {endPoint.Port}). " +
                "Contains this connection's TLS secrets.");
            await file.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"error: cannot write '{request.OutFile}': {e.Message}");
            return ExitCodes.UsageError;
        }

        var lines = secrets.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        // Through a console, so sentences wrap at words in a narrow terminal and the tshark command is never split.
        var console = Consoles.For(output);
        console.WriteLine($"{(outcome.Succeeded ? "Fetched" : "Tried")} {request.Path} from {description}: " +
            (outcome.Succeeded ? outcome.StatusLine : outcome.Explanation));
        console.WriteLine($"Wrote {request.OutFile}: {packets} packets, {transcript.TotalBytes(WireDirection.ClientToServer)} bytes from the " +
            $"client and {transcript.TotalBytes(WireDirection.ServerToClient)} from the server, and {lines} TLS secrets.");
        if (endPoint.Port != PcapNgWriter.ServerPort)
        {
            console.WriteLine($"In the file the server's port is {PcapNgWriter.ServerPort}, not {endPoint.Port}: Wireshark and tshark read port " +
                $"{PcapNgWriter.ServerPort} as TLS (and the HTTP inside) without being told, while port {endPoint.Port} would need " +
                $"\"Decode As\". The bytes are the connection's own.");
        }

        console.WriteLine("Read it decrypted (or open it in Wireshark):");
        CommandLines.Write(console, "  ", $"tshark -r {request.OutFile} -Y http");
        if (request.Show)
        {
            console.WriteLine();
            await output.FlushAsync(cancellationToken);
            await output.WriteLineAsync(AnnotatedTranscript.For(DecryptedTranscript.Decrypt(transcript, keyLog)).ToText());
        }

        await error.WriteLineAsync("warning: the file carries this connection's secrets: anyone who has it reads the request and the answer. " +
            "Share it only when the connection held nothing private (the lab's keys are throwaway).");
        if (lines == 0)
        {
            await error.WriteLineAsync("warning: no secrets for this connection were logged, so the capture shows only the encrypted records.");
        }

        return outcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

/// <summary>What <c>tlslab capture</c> was asked to do, after parsing.</summary>
internal sealed record CaptureRequest(string Target, string OutFile, string? ServerName, string? CaFile, string? KeyLogFile, string Path, bool Show = false)
{
    /// <summary>The lab scenario the target names, or null for HOST:PORT.</summary>
    public Scenario? Scenario => Target.Contains(':', StringComparison.Ordinal) ? null : ScenarioCatalog.Find(Target);

    /// <summary>What is wrong with the request, in a sentence that says what to do, or null.</summary>
    public string? Problem()
    {
        if (!Target.Contains(':', StringComparison.Ordinal))
        {
            if (ScenarioCatalog.Find(Target) is not { } scenario)
            {
                var meant = Suggestions.Closest(Target, ScenarioCatalog.Names) is { } name ? $" Did you mean {name}?" : string.Empty;
                return $"'{Target}' is neither a lab scenario nor HOST:PORT.{meant} Scenarios: {string.Join(", ", ScenarioCatalog.Names)}.";
            }

            if (!scenario.Tls)
            {
                return $"'{Target}' speaks plain HTTP: there is nothing to decrypt. Capture a TLS scenario such as good.";
            }

            if (CaFile is not null)
            {
                return "--ca goes with a HOST:PORT target; a lab scenario is checked against the lab's own root.";
            }
        }
        else if (BenchRequest.SplitTarget(Target) is null)
        {
            return $"'{Target}' is not HOST:PORT with a port from 1 to 65535 (for example 127.0.0.1:8441).";
        }

        if (FileProblem(OutFile, "--out") is { } outProblem)
        {
            return outProblem;
        }

        if (KeyLogFile is not null && FileProblem(KeyLogFile, "--keylog") is { } keyLogProblem)
        {
            return keyLogProblem;
        }

        if (!Path.StartsWith('/'))
        {
            return $"--path must start with '/', such as /; '{Path}' does not.";
        }

        if (CaFile is null)
        {
            return null;
        }

        return CaFiles.Problem(CaFile, "the CA file ");
    }

    private static string? FileProblem(string file, string option)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(file);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{option} '{file}' is not a usable file name: {e.Message}";
        }

        if (Directory.Exists(full))
        {
            return $"{option} '{file}' is a folder; name a file, such as {System.IO.Path.Combine(file, "capture.pcapng")}.";
        }

        return Directory.Exists(System.IO.Path.GetDirectoryName(full))
            ? null
            : $"{option} '{file}': its folder does not exist. Create it or choose another file.";
    }
}
