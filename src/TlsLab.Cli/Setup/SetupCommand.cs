using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Workshop;

namespace TlsLab.Cli.Setup;

/// <summary>
/// <c>tlslab setup</c>: run once at home, before the workshop, from a checkout (online). It installs the
/// <c>tlslab</c> tool for the checkout (so <c>dotnet tlslab serve</c> and <c>dotnet tlslab grade 2</c> work in any
/// of its folders), builds the lessons' library and the exercises, and says how much it downloaded. Run it again
/// after pulling new sources: the installed tool says when it is older than the checkout.
/// </summary>
internal static class SetupCommand
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(15);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("setup", "Install the tlslab tool for this checkout (dotnet tlslab ...) and build what the workshop " +
            "needs, so the day works offline. Run once, online, from the checkout.");
        command.Subcommands.Add(SetupJupyterCommand.Create(output, error));
        command.SetAction((_, cancellationToken) => RunAsync(output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = Consoles.For(output);
        if (RepositoryRoot.TryFind() is not { } root)
        {
            error.WriteLine($"error: tlslab setup runs from a checkout of the kit. {RepositoryRoot.NotFound()}");
            return ExitCodes.UsageError;
        }

        var setup = new ToolSetup(root);
        string version;
        try
        {
            version = setup.ManifestVersion();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            error.WriteLine($"error: the tool manifest .config/dotnet-tools.json cannot be read ({e.Message}). Restore it with " +
                "git checkout .config/dotnet-tools.json.");
            return ExitCodes.UsageError;
        }

        var cache = await ToolSetup.GlobalPackagesAsync(root, cancellationToken).ConfigureAwait(false);
        var before = ToolSetup.SizeOf(cache);
        ToolSetup.ForgetCachedTool(cache, version);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var steps = setup.Steps(SourceStamp.Compute(root));
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            console.MarkupLine($"[grey]{i + 1}/{steps.Count}[/] {step.Title.EscapeMarkup()} ...");
            var stepClock = System.Diagnostics.Stopwatch.StartNew();
            var (exit, text) = await ToolSetup.RunAsync(root, step.Arguments, StepTimeout, cancellationToken).ConfigureAwait(false);

            if (exit == 0 && text.Contains(ToolFreshness.StaleNote, StringComparison.Ordinal))
            {
                error.WriteLine("error: dotnet tlslab still runs a tlslab packed from other sources (an older copy in the NuGet cache). " +
                    $"Delete the folder {ToolSetup.PackageId}/{version} in your NuGet packages folder, then run tlslab setup again.");
                return ExitCodes.Failed;
            }

            if (exit != 0)
            {
                error.WriteLine($"error: '{step.Title}' failed (dotnet {string.Join(' ', step.Arguments)} exited {exit}). Its last lines:");
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(12))
                {
                    error.WriteLine("  " + line);
                }

                error.WriteLine("Packages come from nuget.org on the first run: check the network, then run tlslab setup again.");
                return ExitCodes.Failed;
            }

            console.MarkupLine($"    [green]done[/] [grey]({stepClock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)[/]");
        }

        var downloaded = Math.Max(0, ToolSetup.SizeOf(cache) - before) / (1024.0 * 1024.0);
        var (startedAt, counted) = Started();
        var total = DateTime.Now - startedAt;
        console.MarkupLine($"[green]Ready[/] in {total.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s {counted.EscapeMarkup()} " +
            $"({clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s of them in the steps above); the NuGet cache " +
            $"({(cache ?? "unknown").EscapeMarkup()}) grew by {downloaded.ToString("0", CultureInfo.InvariantCulture)} MB.");
        console.MarkupLine($"From any folder of this checkout ({root.EscapeMarkup()}; a new terminal starts elsewhere, so cd there first):");
        console.MarkupLine("  [bold]dotnet tlslab serve[/]   [bold]dotnet tlslab grade 2[/]   [bold]dotnet tlslab --help[/]");
        return ExitCodes.Ok;
    }

    // The attendee's wait began when they pressed Enter on `dotnet run --project src/TlsLab.Cli -- setup`, and `dotnet run` built
    // tlslab before tlslab could start: on Linux that dotnet process is our parent, and its start time is the true start.
    private static (DateTime StartedAt, string Counted) Started()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // /proc/self/stat: "PID (NAME) STATE PPID ...", and NAME may hold spaces or parentheses.
                var stat = File.ReadAllText("/proc/self/stat");
                var parentId = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                using var parent = System.Diagnostics.Process.GetProcessById(parentId);
                if (parent.ProcessName == "dotnet")
                {
                    return (parent.StartTime, "since the command started, building tlslab itself included");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or
                InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // No parent to ask: count from our own start, and say so.
            }
        }

        return (self.StartTime, "since tlslab started (dotnet run built tlslab before that)");
    }
}
