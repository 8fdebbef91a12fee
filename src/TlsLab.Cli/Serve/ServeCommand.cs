using System.CommandLine;
using System.Net;
using Spectre.Console;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;
using TlsLab.Pki;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Cli.Serve;

/// <summary><c>tlslab serve</c>: runs the zoo until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON document describing every endpoint on stdout once all listen (logs go to stderr)."
        };
        // In a checkout, the root CA goes to the checkout's .tlslab/ whichever folder serve runs in, so the
        // lessons, the README and curl --cacert find it in one place.
        var outDir = new Option<string>("--out")
        {
            Description = "Folder for the lab root CA certificate " +
            "(lab-root.pem). Default: .tlslab in the checkout's root folder (or in the current folder outside a checkout).",
            DefaultValueFactory = _ => RepositoryRoot.TryFind() is { } root ? Path.Combine(root, ".tlslab") : ".tlslab"
        };
        var bind = new Option<string>("--bind")
        {
            Description = "Address to listen on. Anything but loopback exposes deliberately broken TLS to your network.",
            DefaultValueFactory = _ => "127.0.0.1"
        };
        var basePort = new Option<int?>("--base-port")
        {
            Description = "Fixed ports: scenario N listens on BASE+N. Default: free ports chosen by the system.",
            CustomParser = result => Numbers.Parse<int>(result, "--base-port", "a port number such as 8440"),
        };
        var scenarios = new Option<string[]>("--scenario", "-s")
        {
            Description = "Serve only these scenarios (repeatable). Default: all.",
            AllowMultipleArgumentsPerToken = true
        };
        var handshakeTimeout = new Option<double>("--handshake-timeout")
        {
            Description = "Seconds a client may take to finish its handshake before it is dropped.",
            DefaultValueFactory = _ => 10,
            CustomParser = result => Numbers.Parse<double>(result, "--handshake-timeout", "a number of seconds such as 10"),
        };

        // Lets another server (openssl s_server, your exercise 5, a Python lesson) present the very certificate and key the lab serves.
        var exportDir = new Option<string?>("--export-dir")
        {
            Description = "Also write every TLS endpoint's certificate, chain and private key (PEM, the key owner-only) into this " +
                "folder, so another server can present them, and a client certificate (client.*.pem) that client-cert-required accepts. " +
                "Throwaway keys for this run only.",
        };

        var keyLog = new Option<string?>("--keylog")
        {
            Description = "Write the TLS secrets of every connection to this file (NSS key-log format, owner-only) so Wireshark or " +
                "the kit can decrypt them. The file decrypts the traffic: never share it. Linux only.",
        };

        var attacker = ServeAttacker.CreateOption();
        var command = new Command("serve", "Start the zoo of good and broken TLS endpoints on 127.0.0.1 and keep serving until Ctrl+C.")
        {
            json, outDir, bind, basePort, scenarios, handshakeTimeout, exportDir, keyLog, attacker,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                await error.WriteLineAsync($"error: '{parse.GetValue(bind)}' is not an IP address. Use 127.0.0.1 (the default) or one of this " +
                    "machine's addresses.");
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(keyLog) is { } keyLogPath && KeyLogFolderProblem(keyLogPath) is { } keyLogProblem)
            {
                await error.WriteLineAsync($"error: --keylog {keyLogProblem}");
                return ExitCodes.UsageError;
            }

            var seconds = parse.GetValue(handshakeTimeout);
            if (seconds is <= 0 or > 600)
            {
                await error.WriteLineAsync("error: --handshake-timeout must be between 0 and 600 seconds.");
                return ExitCodes.UsageError;
            }

            var names = parse.GetValue(scenarios);
            if (names?.FirstOrDefault(n => ScenarioCatalog.Find(n) is null) is { } unknown)
            {
                var meant = Suggestions.Closest(unknown, ScenarioCatalog.Names) is { } name ? $" Did you mean {name}?" : string.Empty;
                await error.WriteLineAsync($"error: there is no scenario '{unknown}'.{meant} The scenarios: {string.Join(", ", ScenarioCatalog.Names)}.");
                return ExitCodes.UsageError;
            }

            var options = new ServeOptions(
                parse.GetValue(json),
                parse.GetValue(outDir)!,
                address,
                parse.GetValue(basePort),
                names is { Length: > 0 } ? names : null,
                TimeSpan.FromSeconds(seconds),
                parse.GetValue(exportDir),
                parse.GetValue(keyLog),
                parse.GetValue(attacker));
            return await ServeAsync(options, output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ServeAsync(ServeOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = Consoles.For(output);
        var log = Consoles.For(error);
        if (!IPAddress.IsLoopback(options.Bind))
        {
            log.MarkupLine($"[yellow]warning:[/] listening on {options.Bind.ToString().EscapeMarkup()}, not loopback. The lab serves deliberately " +
                "broken TLS; anyone who can reach this address can use it. Do this only on a network you trust.");
        }

        Lab lab;
        try
        {
            lab = await Lab.StartAsync(new LabOptions
            {
                BindAddress = options.Bind,
                BasePort = options.BasePort,
                Scenarios = options.Scenarios,
                HandshakeTimeout = options.HandshakeTimeout,
                OnEvent = e => LogEvent(log, e),
                KeyLogFile = options.KeyLogFile,
            }, cancellationToken);
        }
        catch (LabStartException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UsageError;
        }

        await using (lab)
        {
            if (options.KeyLogFile is { } keyLogFile)
            {
                log.MarkupLine(lab.KeyLogProblem is { } keyLogProblem
                    ? $"[yellow]warning:[/] no key log: {keyLogProblem.EscapeMarkup()}"
                    : $"[yellow]warning:[/] writing the TLS secrets of every connection to {Path.GetFullPath(keyLogFile).EscapeMarkup()} (owner-only). " +
                        "Anyone with this file can decrypt that traffic: never share or commit it, and delete it when done.");
            }

            string caPath;
            try
            {
                caPath = lab.WriteRootCertificate(Path.Combine(options.OutputDirectory, "lab-root.pem"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"error: cannot write the lab root certificate into '{options.OutputDirectory}': {e.Message} Choose a " +
                    "writable folder with --out.");
                return ExitCodes.UsageError;
            }

            if (options.ExportDirectory is { } exportDirectory)
            {
                try
                {
                    foreach (var endpoint in lab.Endpoints.Where(e => e.Tls))
                    {
                        lab.WriteServerCredentials(endpoint.Name, exportDirectory);
                    }

                    // A client certificate too, for curl --cert and openssl s_client -cert against client-cert-required.
                    using var client = lab.Pki.IssueClientCertificate();
                    PemExport.Write(exportDirectory, "client", client, [lab.Pki.Intermediate.PublicCertificate]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    await error.WriteLineAsync($"error: cannot write the endpoints' certificates and keys into '{exportDirectory}': {e.Message}");
                    return ExitCodes.UsageError;
                }
            }

            var manifest = LabManifest.From(lab, caPath);
            if (options.Json)
            {
                await output.WriteLineAsync(manifest.ToJson());
                await output.FlushAsync(cancellationToken);
            }
            else
            {
                EndpointTable.Render(console, manifest);
            }

            await using var attackers = await ServeAttacker.StartAsync(lab, options.Attacker, caPath, options.Json ? log : console, log);
            log.MarkupLine("[grey]Serving. Press Ctrl+C to stop.[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                log.MarkupLine("[grey]Stopping: closing every connection and port.[/]");
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Why a key-log path cannot be written (its folder is missing, or it is a folder), or null.</summary>
    internal static string? KeyLogFolderProblem(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"'{path}' is not a usable file name: {e.Message}";
        }

        if (Directory.Exists(full))
        {
            return $"'{path}' is a folder; name a file, such as {Path.Combine(path, "keys.log")}.";
        }

        return Directory.Exists(Path.GetDirectoryName(full)) ? null : $"'{path}': its folder does not exist. Create it or choose another file.";
    }

    private static void LogEvent(IAnsiConsole log, LabEvent e)
    {
        var (colour, what) = e.Kind switch
        {
            LabEventKind.Served => ("green", "served"),
            LabEventKind.HandshakeFailed => ("yellow", "handshake failed"),
            LabEventKind.TimedOut => ("yellow", "timed out"),
            _ => ("grey", "bad request"),
        };
        // The time in a column of its own, so a sentence that wraps stays under the sentence, not under the time.
        var line = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(1)).AddColumn();
        line.AddRow(new Markup($"[grey]{e.Time.ToLocalTime():HH:mm:ss}[/]"), new Markup($"[bold]{e.Scenario.EscapeMarkup()}[/] " +
            $"{e.Client?.ToString().EscapeMarkup()} [{colour}]{what}[/]: {e.Message.EscapeMarkup()}"));
        lock (log)
        {
            log.Write(line);
        }
    }
}
