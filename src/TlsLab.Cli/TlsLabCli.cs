using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Spectre.Console;
using TlsLab.Cli.Bench;
using TlsLab.Cli.Capture;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;
using TlsLab.Cli.Probe;
using TlsLab.Cli.Serve;
using TlsLab.Cli.Setup;

namespace TlsLab.Cli;

/// <summary>The <c>tlslab</c> command: its subcommands, wired to the given output streams so tests can run it in-process.</summary>
public static class TlsLabCli
{
    /// <summary>Builds the root command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        // A RootCommand takes its name from the executable (TlsLab.Cli); the command people type is tlslab.
        var root = new Command("tlslab", "tlslab: the SSL All The Things workshop lab. Serves good and broken TLS endpoints on loopback.")
        {
            Options = { new HelpOption(), new VersionOption() },
        };
        root.Subcommands.Add(ServeCommand.Create(output, error));
        root.Subcommands.Add(GradeCommand.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(SetupCommand.Create(output, error));
        root.Subcommands.Add(ProbeCommand.Create(output, error));
        root.Subcommands.Add(CaptureCommand.Create(output, error));
        return root;
    }

    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Create(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            ReportUsageErrors(root, parse, args, error);
            return Task.FromResult(ExitCodes.UsageError);
        }

        ToolFreshness.Check(error);
        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    // One line per mistake and where to look, instead of the whole help text; exit 2 like every other usage error of the kit.
    // A mistyped command or option ("grad", "--scenaro") gets the name it was most likely meant to be and the corrected line.
    private static void ReportUsageErrors(Command root, ParseResult parse, string[] args, TextWriter error)
    {
        // The whole path of the command that was meant ("tlslab setup jupyter"), as typed.
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        var path = string.Join(' ', names);
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0 && Suggestion(command, parse.UnmatchedTokens[0]) is { } suggestion)
        {
            var typed = parse.UnmatchedTokens[0];
            var at = Array.IndexOf(args, typed);
            var corrected = args.Select((a, i) => i == at ? suggestion : a).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a);
            var what = typed.StartsWith('-') ? $"an option of '{path}'" : $"a command of '{path}'";
            error.WriteLine($"error: '{typed}' is not {what}. Did you mean '{suggestion}'?");
            error.WriteLine($"  tlslab {string.Join(' ', corrected)}");
            error.WriteLine($"Run '{path} --help' to see the {(typed.StartsWith('-') ? "options" : "commands")}.");
            return;
        }

        foreach (var problem in parse.Errors)
        {
            error.WriteLine($"error: {problem.Message}");
        }

        if (command == root)
        {
            // Typing just `tlslab` is asking what it can do.
            var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2)).AddColumn();
            foreach (var sub in root.Subcommands)
            {
                grid.AddRow(new Text($"tlslab {sub.Name}"), new Text(sub.Description ?? string.Empty));
            }

            Consoles.For(error).Write(new TrimmedLines(grid));
        }

        error.WriteLine($"Run '{path} --help' to see the options.");
    }

    private static string? Suggestion(Command command, string typed) => typed.StartsWith('-')
        ? Suggestions.Closest(typed, command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)))
        : Suggestions.Closest(typed, command.Subcommands.Select(c => c.Name));
}
