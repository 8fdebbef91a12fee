using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Cli.Bench;

/// <summary><c>tlslab bench</c>: full TLS handshakes per second and their latency, and the lab's start-up time.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string?>("target")
        {
            Description = "HOST:PORT of a TLS server to measure (an IP address is best: *.localhost names do not resolve everywhere).",
            Arity = ArgumentArity.ZeroOrOne
        };
        var lab = new Option<bool>("--lab")
        {
            Description = "Start a lab in this process and measure its good (ECDSA P-256) and good-rsa (RSA-2048) endpoints, TLS 1.2 and 1.3."
        };
        var startup = new Option<bool>("--startup")
        {
            Description = "Measure the lab's start-up time (1, 4 and all scenarios) and certificate minting per key type."
        };
        var concurrency = new Option<int>("--concurrency", "-c")
        {
            CustomParser = r => Numbers.Parse<int>(r, "--concurrency", "a whole number of clients such as 4"),
            Description = "Clients connecting at the same time.",
            DefaultValueFactory = _ => BenchSettings.Default.Concurrency
        };
        var duration = new Option<double>("--duration", "-d")
        {
            CustomParser = r => Numbers.Parse<double>(r, "--duration", "a number of seconds such as 5"),
            Description = "Seconds to count handshakes for, per row.",
            DefaultValueFactory = _ => BenchSettings.Default.Duration.TotalSeconds
        };
        var warmup = new Option<double>("--warmup")
        {
            CustomParser = r => Numbers.Parse<double>(r, "--warmup", "a number of seconds such as 1"),
            Description = "Seconds to run before counting, per row.",
            DefaultValueFactory = _ => BenchSettings.Default.Warmup.TotalSeconds
        };
        var tls = new Option<string[]>("--tls")
        {
            Description = "TLS version(s) to measure: 1.2, 1.3 (repeatable). Default: both.",
            AllowMultipleArgumentsPerToken = true
        };
        tls.AcceptOnlyFromAmong("1.2", "1.3");
        var host = new Option<string?>("--host") { Description = "The name to validate (and send as SNI). Default: the HOST of the target." };
        var ca = new Option<string?>("--ca")
        {
            Description = "PEM file with the root certificate(s) to trust for the target, e.g. " +
            ".tlslab/lab-root.pem. Required with a target: the benchmark validates like a real client."
        };
        var runs = new Option<int>("--runs")
        {
            CustomParser = r => Numbers.Parse<int>(r, "--runs", "a whole number such as 5"),
            Description = "With --startup: how many times to start each lab (the median is reported). With --grade: how many saves to time.",
            DefaultValueFactory = _ => 5
        };
        var grade = new Option<int?>("--grade")
        {
            CustomParser = r => Numbers.Parse<int>(r, "--grade", $"an exercise number from 1 to {ExerciseCatalog.Count}"),
            Description = "Measure grading exercise N (its solution, in a temporary copy of exercises/): save-to-table of grade --watch, --runs " +
                "saves, against a whole tlslab grade N after an edit.",
        };
        var tsv = new Option<bool>("--tsv") { Description = "Tab-separated values instead of tables, for scripts." };
        var client = new Option<string>("--client")
        {
            Description = "With --lab: net (this process's SslStream, validating) or s_time (openssl s_time " +
            "-new in its own process, so this process's CPU time, allocations and exceptions per handshake are the server's alone).",
            DefaultValueFactory = _ => "net"
        };
        client.AcceptOnlyFromAmong("net", "s_time");

        var command = new Command("bench", "Measure full TLS handshakes per second and their latency (new connection each time, no resumption), or " +
            "the lab's start-up time.")
        {
            target, lab, startup, grade, concurrency, duration, warmup, tls, host, ca, runs, tsv, client,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new BenchRequest(
                parse.GetValue(target),
                parse.GetValue(lab),
                parse.GetValue(startup),
                new BenchSettings(
                    parse.GetValue(concurrency),
                    TimeSpan.FromSeconds(parse.GetValue(duration)),
                    TimeSpan.FromSeconds(parse.GetValue(warmup)),
                    BenchSettings.Default.AttemptTimeout),
                parse.GetValue(tls) is { Length: > 0 } versions ? versions : ["1.2", "1.3"],
                parse.GetValue(host),
                parse.GetValue(ca),
                parse.GetValue(runs),
                parse.GetValue(tsv),
                parse.GetValue(client) ?? "net",
                parse.GetValue(grade));
            if (request.Problem() is { } problem)
            {
                await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.UsageError;
            }

            return await RunAsync(request, output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(BenchRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var report = new BenchReport(Consoles.For(output), request.Tsv);
        report.Machine();
        var protocols = request.Versions.Distinct().Select(v => v == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12).ToList();
        if (protocols.Contains(SslProtocols.Tls13) && !PlatformSupport.Tls13)
        {
            await error.WriteLineAsync($"note: {PlatformSupport.Tls13Problem} Measuring TLS 1.2 only.");
            protocols.Remove(SslProtocols.Tls13);
        }

        try
        {
            if (request.Target is not null)
            {
                var targets = await ResolveTargetsAsync(request, protocols, cancellationToken);
                if (targets is null)
                {
                    await error.WriteLineAsync($"error: cannot resolve '{request.Target}'. Use an IP address (e.g. 127.0.0.1:PORT) and pass the name " +
                        "to validate with --host.");
                    return ExitCodes.UsageError;
                }

                report.Handshakes(await MeasureAsync(targets, request.Settings, cancellationToken), $"{request.Target} (validating '{targets[0].Host}')");
            }

            if (request.Lab)
            {
                await using var running = await Lab.StartAsync(new LabOptions { Scenarios = ["good", "good-rsa"] }, cancellationToken);
                var trust = new X509Certificate2Collection(running.RootCertificate);
                var targets = new[] { "good", "good-rsa" }
                    .SelectMany(name => protocols.Select(p => new BenchTarget(name, running[name].EndPoint, running[name].Host, trust, p)))
                    .ToList();
                if (request.Client == "s_time")
                {
                    var costs = new List<ServerCostResult>();
                    foreach (var t in targets)
                    {
                        if (request.Settings.Warmup > TimeSpan.Zero)
                        {
                            await ServerCostBench.RunAsync(t, request.Settings.Warmup, cancellationToken);
                        }

                        costs.Add(await ServerCostBench.RunAsync(t, request.Settings.Duration, cancellationToken));
                    }

                    report.ServerCost(costs);
                }
                else
                {
                    report.Handshakes(await MeasureAsync(targets, request.Settings, cancellationToken), "an in-process lab (client and server share " +
                        "this process)");
                }
            }

            if (request.Grade is { } exercise)
            {
                if (RepositoryRoot.TryFind() is not { } kit)
                {
                    await error.WriteLineAsync($"error: {RepositoryRoot.NotFound()}");
                    return ExitCodes.UsageError;
                }

                report.Grading(await GradeBench.MeasureAsync(kit, exercise, request.Runs, plainRuns: 2, cancellationToken));
            }

            if (request.Startup)
            {
                report.Minting(StartupBench.MeasureMinting(request.Runs * 4));
                report.Startup(await StartupBench.MeasureStartupAsync(request.Runs, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopped.");
        }
        catch (InvalidOperationException e) when (request.Client == "s_time")
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UsageError;
        }

        return ExitCodes.Ok;
    }

    private static async Task<List<BenchResult>> MeasureAsync(IEnumerable<BenchTarget> targets, BenchSettings settings, CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        foreach (var target in targets)
        {
            results.Add(await HandshakeBench.RunAsync(target, settings, cancellationToken));
        }

        return results;
    }

    private static async Task<List<BenchTarget>?> ResolveTargetsAsync(BenchRequest request, IReadOnlyList<SslProtocols> protocols,
        CancellationToken cancellationToken)
    {
        var (hostPart, port) = BenchRequest.SplitTarget(request.Target!)!.Value;
        if (!IPAddress.TryParse(hostPart, out var address))
        {
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(hostPart, cancellationToken);
                address = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault();
            }
            catch (SocketException)
            {
                address = null;
            }

            if (address is null)
            {
                return null;
            }
        }

        // Checked by BenchRequest.Problem before anything ran.
        var trust = CaFiles.Load(request.CaFile!, out _)!;
        var name = request.Host ?? hostPart;
        return protocols.Select(p => new BenchTarget(name, new IPEndPoint(address, port), name, trust, p)).ToList();
    }
}

/// <summary>What <c>tlslab bench</c> was asked to do, after parsing.</summary>
internal sealed record BenchRequest(
    string? Target,
    bool Lab,
    bool Startup,
    BenchSettings Settings,
    IReadOnlyList<string> Versions,
    string? Host,
    string? CaFile,
    int Runs,
    bool Tsv,
    string Client = "net",
    int? Grade = null)
{
    /// <summary>What is wrong with the request, in a sentence that says what to do, or null.</summary>
    public string? Problem()
    {
        if (Target is null && !Lab && !Startup && Grade is null)
        {
            return "say what to measure: a HOST:PORT target (with --ca), --lab, --startup or --grade N.";
        }

        if (Grade is < 1 || Grade > ExerciseCatalog.Count)
        {
            return $"there is no exercise {Grade}: --grade takes 1 to {ExerciseCatalog.Count}.";
        }

        if (Settings.Concurrency is < 1 or > 1024)
        {
            return "--concurrency must be between 1 and 1024.";
        }

        if (Settings.Duration <= TimeSpan.Zero || Settings.Duration > TimeSpan.FromMinutes(10))
        {
            return "--duration must be more than 0 and at most 600 seconds.";
        }

        if (Settings.Warmup < TimeSpan.Zero || Settings.Warmup > TimeSpan.FromMinutes(1))
        {
            return "--warmup must be between 0 and 60 seconds.";
        }

        if (Runs is < 1 or > 100)
        {
            return "--runs must be between 1 and 100.";
        }

        if (Client == "s_time" && !Lab)
        {
            return "--client s_time measures the server's own cost, so it needs the server in this process: use it with --lab.";
        }

        if (Target is null)
        {
            return Host is not null || CaFile is not null ? "--host and --ca go with a HOST:PORT target." : null;
        }

        if (SplitTarget(Target) is null)
        {
            return $"'{Target}' is not HOST:PORT (for example 127.0.0.1:8441).";
        }

        if (CaFile is null)
        {
            return "a target needs --ca FILE, the PEM root certificate to trust (tlslab serve writes .tlslab/lab-root.pem). The benchmark validates " +
                "certificates like any careful client; it has no accept-all mode.";
        }

        return CaFiles.Problem(CaFile, "the CA file ");
    }

    /// <summary>Splits HOST:PORT (or [IPv6]:PORT); null when it is not that shape.</summary>
    public static (string Host, int Port)? SplitTarget(string target)
    {
        if (IPEndPoint.TryParse(target, out var endPoint) && endPoint.Port != 0)
        {
            return (endPoint.Address.ToString(), endPoint.Port);
        }

        var colon = target.LastIndexOf(':');
        if (colon <= 0 || target.IndexOf(':', StringComparison.Ordinal) != colon
            || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return null;
        }

        return (target[..colon], port);
    }
}
