using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Bench;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;
using TlsLab.Zoo;

namespace TlsLab.Cli.Probe;

/// <summary><c>tlslab probe</c>: what a server accepts and how it would be graded, from hand-made ClientHellos.</summary>
internal static class ProbeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("target")
        {
            Description = "HOST:PORT of a TLS server (example.org:443, 127.0.0.1:8441), or a zoo scenario name (good, expired, tls12-only, ...), " +
                "which starts that scenario in this process.",
        };
        var serverName = new Option<string?>("--servername")
        {
            Description = "The name to send as SNI and to check the certificate against. Default: the HOST (none for an IP address), or the " +
                "scenario's name.",
        };
        var ca = new Option<string?>("--ca")
        {
            Description = "PEM file of the root certificate(s) to trust. Default: the system's trusted roots (for a scenario: the lab root).",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the report." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds each connection may take (connect, hello, answer).",
            DefaultValueFactory = _ => 5,
            CustomParser = result => Numbers.Parse<double>(result, "--timeout", "a number of seconds such as 5"),
        };

        var command = new Command("probe", "Find out which versions, suites and groups a TLS server accepts, judge its certificate chain, and " +
            "grade it the way SSL Labs does.")
        {
            target, serverName, ca, json, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or > 120)
            {
                return await FailAsync(output, error, parse.GetValue(json), parse.GetValue(target)!, "--timeout must be more than 0 and at most 120 " +
                    "seconds.", ExitCodes.UsageError);
            }

            return await ProbeAsync(
                parse.GetValue(target)!, parse.GetValue(serverName), parse.GetValue(ca), parse.GetValue(json), TimeSpan.FromSeconds(seconds), output,
                error, cancellationToken);
        });
        return command;
    }

    /// <summary>One line on standard error; with --json also a JSON object on standard output, so a script always has one to read.</summary>
    private static async Task<int> FailAsync(TextWriter output, TextWriter error, bool json, string target, string message, int exitCode)
    {
        await error.WriteLineAsync($"error: {message}");
        if (json)
        {
            await output.WriteLineAsync(ProbeJson.WriteError(target, message, exitCode));
        }

        return exitCode;
    }

    private static async Task<int> ProbeAsync(
        string target, string? serverName, string? caFile, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (serverName is not null && Uri.CheckHostName(serverName) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return await FailAsync(output, error, json, target, $"--servername '{serverName}' is not a host name (letters, digits, dots and " +
                "hyphens, like example.org).", ExitCodes.UsageError);
        }

        X509Certificate2Collection? trust = null;
        if (caFile is not null)
        {
            trust = CaFiles.Load(caFile, out var problem);
            if (problem is not null)
            {
                return await FailAsync(output, error, json, target, $"--ca {problem}", ExitCodes.UsageError);
            }
        }

        if (ScenarioCatalog.Find(target) is { } scenario)
        {
            return await ProbeScenarioAsync(scenario, serverName, trust, json, timeout, output, error, ct);
        }

        if (BenchRequest.SplitTarget(target) is not { } split)
        {
            var suggestion = target.Length == 0 || target.Contains(':', StringComparison.Ordinal) ? ""
                : Suggestions.Closest(target, ScenarioCatalog.Names) is { } name ? $" Did you mean the scenario {name}?"
                : $" Did you mean {target}:443?";
            return await FailAsync(output, error, json, target, $"'{target}' is neither HOST:PORT (example.org:443, 127.0.0.1:8441) nor a zoo scenario " +
                $"({string.Join(", ", ScenarioCatalog.Names)}).{suggestion}", ExitCodes.UsageError);
        }

        IPAddress address;
        if (IPAddress.TryParse(split.Host.Trim('[', ']'), out var literal))
        {
            address = literal;
        }
        else
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(timeout);
                var addresses = await Dns.GetHostAddressesAsync(split.Host, deadline.Token);
                address = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException ||
                e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                return await FailAsync(output, error, json, target, $"the name '{split.Host}' does not resolve to an address (a typo, no network, " +
                    "or a name only another machine knows). *.localhost names do not resolve everywhere: use 127.0.0.1:PORT with --servername NAME.",
                    ExitCodes.NothingAnswers);
            }
        }

        var sni = serverName ?? (IPAddress.TryParse(split.Host.Trim('[', ']'), out _) ? null : split.Host);
        var settings = new ProbeSettings(target, new IPEndPoint(address, split.Port), sni, trust, timeout);
        return await RunAsync(settings, json, output, error, ct);
    }

    private static async Task<int> ProbeScenarioAsync(
        Scenario scenario, string? serverName, X509Certificate2Collection? trust, bool json, TimeSpan timeout, TextWriter output, TextWriter error,
        CancellationToken ct)
    {
        Lab lab;
        try
        {
            lab = await Lab.StartAsync(new LabOptions { Scenarios = [scenario.Name] }, ct);
        }
        catch (LabStartException e)
        {
            return await FailAsync(output, error, json, scenario.Name, e.Message, ExitCodes.UsageError);
        }

        await using (lab)
        {
            LabEndpoint endpoint;
            try
            {
                endpoint = lab.Endpoint(scenario.Name);
            }
            catch (KeyNotFoundException e)
            {
                return await FailAsync(output, error, json, scenario.Name, e.Message, ExitCodes.UsageError);
            }

            var anchors = trust ?? [X509CertificateLoader.LoadCertificate(lab.RootCertificate.RawData)];
            var settings = new ProbeSettings(scenario.Name, endpoint.EndPoint, serverName ?? endpoint.Host, anchors, timeout)
            {
                TrustLabel = trust is null ? "the lab root" : null,
            };
            return await RunAsync(settings, json, output, error, ct);
        }
    }

    private static async Task<int> RunAsync(ProbeSettings settings, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ProbeResult result;
        try
        {
            result = await ProbeEngine.RunAsync(settings, cancellationToken: ct);
        }
        catch (ProbeConnectException e)
        {
            return await FailAsync(output, error, json, settings.Target, e.Message, ExitCodes.NothingAnswers);
        }
        catch (ProbeNotTlsException e)
        {
            return await FailAsync(output, error, json, settings.Target, $"{settings.EndPoint} does not speak TLS. {e.Message}", ExitCodes.NothingAnswers);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return await FailAsync(output, error, json, settings.Target, $"the connection to {settings.EndPoint} failed in the middle of the " +
                $"probe: {e.Message}", ExitCodes.NothingAnswers);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("Probe cancelled.");
            return ExitCodes.Ok;
        }

        var verdict = ServerRating.Compute(result);
        if (json)
        {
            await output.WriteLineAsync(ProbeJson.Write(result, verdict));
        }
        else
        {
            ProbeReport.Render(Consoles.For(output), result, verdict);
        }

        return ExitCodes.Ok;
    }
}
