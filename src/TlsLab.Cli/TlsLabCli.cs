using System.CommandLine;
using System.CommandLine.Help;
using TlsLab.Cli.Commands;
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
            // One line per mistake and where to look, instead of the whole help text; exit 2 like every
            // other usage error of the kit.
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            if (parse.CommandResult.Command == root)
            {
                // Typing just `tlslab` is asking what it can do.
                foreach (var sub in root.Subcommands)
                {
                    error.WriteLine($"  tlslab {sub.Name,-6}  {sub.Description}");
                }
            }

            // The whole path of the command that was meant ("tlslab setup jupyter"), as typed.
            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command.Name);
            }

            var command = string.Join(' ', names);
            error.WriteLine($"Run '{command} --help' to see the options.");
            return Task.FromResult(ExitCodes.UsageError);
        }

        ToolFreshness.Check(error);
        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
