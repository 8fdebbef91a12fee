using System.CommandLine;
using TlsLab.Cli.Commands;

namespace TlsLab.Cli;

/// <summary>The <c>tlslab</c> command: its subcommands, wired to the given output streams so tests can run it in-process.</summary>
public static class TlsLabCli
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("tlslab: the SSL All The Things workshop lab. Serves good and broken TLS endpoints on loopback.");
        root.Subcommands.Add(ServeCommand.Create(output, error));
        root.Subcommands.Add(GradeCommand.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
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

            var command = parse.CommandResult.Command == root ? "tlslab" : $"tlslab {parse.CommandResult.Command.Name}";
            error.WriteLine($"Run '{command} --help' to see the options.");
            return Task.FromResult(ExitCodes.UsageError);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
