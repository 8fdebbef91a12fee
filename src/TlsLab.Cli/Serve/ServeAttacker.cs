using System.CommandLine;
using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Zoo;

namespace TlsLab.Cli.Serve;

/// <summary>
/// <c>tlslab serve --attacker</c>: an <see cref="Interceptor"/> in front of every TLS endpoint the lab serves, each on its own loopback port,
/// logging what it read from every client that took its certificate.
/// </summary>
internal sealed class ServeAttacker : IAsyncDisposable
{
    /// <summary>The certificates an attacker can present, by the names the option takes.</summary>
    internal static readonly IReadOnlyDictionary<string, Forgery> Forgeries = new Dictionary<string, Forgery>(StringComparer.OrdinalIgnoreCase)
    {
        ["self-signed"] = Forgery.SelfSigned,
        ["other-name"] = Forgery.OtherName,
        ["impostor-ca"] = Forgery.ImpostorCa,
        ["real-certificate"] = Forgery.RealCertificateWithoutKey,
    };

    private readonly List<Interceptor> _interceptors;

    private ServeAttacker(List<Interceptor> interceptors) => _interceptors = interceptors;

    public static Option<string?> CreateOption()
    {
        var option = new Option<string?>("--attacker")
        {
            Description = "Also put an attacker in the middle on its own loopback port in front of each TLS endpoint: it presents a forged " +
                "certificate (self-signed, the default; other-name; impostor-ca; real-certificate, the real one without its key), passes " +
                "everything on, and logs what it read from each client that accepted it.",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? "self-signed" : result.Tokens[0].Value,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Forgeries.ContainsKey(value))
            {
                result.AddError($"--attacker '{value}' is not a certificate the attacker can present. Choose one of: {string.Join(", ", Forgeries.Keys)}.");
            }
        });
        return option;
    }

    /// <summary>Starts the interceptors and prints where they listen; null when <paramref name="forgery"/> is null (no --attacker).</summary>
    public static async Task<ServeAttacker?> StartAsync(Lab lab, string? forgery, string caPath, IAnsiConsole console, IAnsiConsole log)
    {
        if (forgery is null)
        {
            return null;
        }

        var interceptors = new List<Interceptor>();
        try
        {
            foreach (var endpoint in lab.Endpoints.Where(e => e.Tls))
            {
                var interceptor = await Interceptor.StartAsync(lab, endpoint.Name, Forgeries[forgery]);
                interceptor.OnClosed = c => Log(log, interceptor, c);
                interceptors.Add(interceptor);
            }
        }
        catch (ArgumentException e)
        {
            // Not loopback: the interceptor says why; the lab itself keeps serving.
            await new ServeAttacker(interceptors).DisposeAsync();
            log.MarkupLine($"[yellow]warning:[/] no attacker: {e.Message.EscapeMarkup()}");
            return null;
        }

        if (interceptors.Count == 0)
        {
            log.MarkupLine("[yellow]warning:[/] no attacker: none of the scenarios served uses TLS, so there is no certificate to forge.");
            return null;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold red]attacker in the middle[/]: {forgery.EscapeMarkup()}");
        table.AddColumn(new TableColumn("Scenario").NoWrap());
        table.AddColumn(new TableColumn("Attacker").NoWrap());
        table.AddColumn(new TableColumn("Real endpoint").NoWrap());
        foreach (var interceptor in interceptors)
        {
            table.AddRow(interceptor.Target.Name, interceptor.EndPoint.ToString(), interceptor.Target.EndPoint.ToString());
        }

        console.Write(table);
        var first = interceptors.FirstOrDefault(i => i.Target.Name == "good") ?? interceptors[0];
        var (host, port) = (first.Target.Host, first.EndPoint.Port);
        console.MarkupLine($"In front of {first.Target.Name.EscapeMarkup()} at {first.Target.EndPoint} it presents {first.Presents.EscapeMarkup()}.");
        console.MarkupLine("Try a client that accepts anything (-k), then one that checks (--cacert); the log shows what the attacker read:");
        // Double quotes: the same line works in sh and in PowerShell, and a narrow terminal gets it broken between arguments.
        CommandLines.Write(console, "  ", $"curl -k -H \"Authorization: Bearer demo\" --resolve {host}:{port}:127.0.0.1 https://{host}:{port}/");
        var ca = caPath.Contains(' ', StringComparison.Ordinal) ? $"\"{caPath}\"" : caPath;
        CommandLines.Write(console, "  ", $"curl --cacert {ca} -H \"Authorization: Bearer demo\" --resolve {host}:{port}:127.0.0.1 https://{host}:{port}/");
        return new ServeAttacker(interceptors);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var interceptor in _interceptors)
        {
            await interceptor.DisposeAsync();
        }
    }

    private static void Log(IAnsiConsole log, Interceptor interceptor, InterceptedConnection connection)
    {
        var scenario = interceptor.Target.Name.EscapeMarkup();
        lock (log)
        {
            if (!connection.ClientFooled)
            {
                log.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] [bold]attacker[/] {scenario} [green]read nothing[/]: {connection.Refusal?.EscapeMarkup()}");
                return;
            }

            log.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] [bold]attacker[/] {scenario} [red]read[/] the request and the answer " +
                $"({connection.StatusLine?.EscapeMarkup() ?? "no answer"}){(connection.Failure is { } failure ? $": {failure.EscapeMarkup()}" : "")}");
            var head = connection.Request.Split("\r\n\r\n")[0];
            foreach (var line in head.Split("\r\n"))
            {
                log.MarkupLine($"  [red]>[/] {line.EscapeMarkup()}");
            }
        }
    }
}
