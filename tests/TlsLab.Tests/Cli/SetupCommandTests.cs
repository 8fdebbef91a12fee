using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

// The attendee's first command, run for real: the dev container's set-up command (the README's, `dotnet run
// --project src/TlsLab.Cli -- setup`) in a copy of the checkout packs the tool,
// installs it with the repository's manifest and builds the exercises; then `dotnet tlslab` must work in a
// folder below the root, and must say it is stale once a source file changes. The copy keeps the real
// checkout's .tlslab/ and exercises untouched; the NuGet cache is the machine's own (setup replaces the
// kit's tool package there, which is what an attendee's second setup does too).

/// <summary><c>tlslab setup</c> makes <c>dotnet tlslab</c> work in every folder of the checkout.</summary>
public sealed class SetupCommandTests : IDisposable
{
    private static readonly string[] RootFiles =
        ["TlsLab.slnx", "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"];

    private static readonly string[] Trees =
        [".config", ".devcontainer", Path.Combine("src", "TlsLab"), Path.Combine("src", "TlsLab.Cli"), "exercises", Path.Combine("tests", "Grading")];

    private readonly DirectoryInfo _copy = Directory.CreateTempSubdirectory("tlslab-setup-copy-");

    [Fact]
    public async Task Setup_installs_dotnet_tlslab_for_the_checkout_and_the_tool_notices_newer_sources()
    {
        var kit = RepositoryRoot.Find(AppContext.BaseDirectory);
        foreach (var file in RootFiles)
        {
            File.Copy(Path.Combine(kit, file), Path.Combine(_copy.FullName, file));
        }

        foreach (var tree in Trees)
        {
            GradeExercisesCopy.CopyTree(Path.Combine(kit, tree), Path.Combine(_copy.FullName, tree));
        }

        // The set-up command exactly as the dev container runs it (and the README shows it).
        var command = DevContainer.PostCreateCommand(kit);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var setup = await ChildRun.RunAsync(_copy.FullName, TimeSpan.FromMinutes(10), command[1..], command[0]);
        var waited = clock.Elapsed.TotalSeconds;
        Assert.True(setup.Exit == 0, $"tlslab setup exited {setup.Exit} in a fresh copy of the checkout. It printed:{Environment.NewLine}{setup.Output}");
        var ready = System.Text.RegularExpressions.Regex.Match(setup.Output, @"Ready in (\d+) s");
        Assert.True(ready.Success, $"tlslab setup did not say how long it took (\"Ready in N s\"). It printed:{Environment.NewLine}{setup.Output}");
        if (OperatingSystem.IsLinux())
        {
            // The attendee waited from Enter to the prompt, the build of tlslab by `dotnet run` included.
            var said = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(said >= waited - 5, $"tlslab setup said \"Ready in {said} s\", but the command took {waited:0} s from start to end.");
        }

        var packages = Path.Combine(_copy.FullName, ".tlslab", "packages");
        Assert.True(Directory.Exists(packages) && Directory.GetFiles(packages, "*.nupkg")
                .Any(f => string.Equals(Path.GetFileName(f), "TlsLab.Cli.1.0.0.nupkg", StringComparison.OrdinalIgnoreCase)),
            $"tlslab setup said it was ready, but .tlslab/packages holds no TlsLab.Cli.1.0.0.nupkg. It printed:{Environment.NewLine}{setup.Output}");

        var below = Path.Combine(_copy.FullName, "exercises", "02-validate");
        var help = await ChildRun.RunAsync(below, TimeSpan.FromMinutes(2), ["tlslab", "--help"]);
        Assert.True(help.Exit == 0 && help.Output.Contains("tlslab [command] [options]", StringComparison.Ordinal),
            $"'dotnet tlslab --help' in exercises/02-validate after setup exited {help.Exit}; expected the usage of tlslab. It printed:" +
            $"{Environment.NewLine}{help.Output}");
        Assert.DoesNotContain("older sources", help.Output, StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(_copy.FullName, "src", "TlsLab.Cli", "Program.cs"), Environment.NewLine + "// a pulled change" + Environment.NewLine);
        var stale = await ChildRun.RunAsync(below, TimeSpan.FromMinutes(2), ["tlslab", "--version"]);
        Assert.True(stale.Exit == 0 && stale.Output.Contains("older sources than this checkout", StringComparison.Ordinal),
            $"After a source file changed, 'dotnet tlslab --version' should still run and say the tool is older than the checkout. It exited " +
            $"{stale.Exit} and printed:{Environment.NewLine}{stale.Output}");
    }

    public void Dispose()
    {
        try
        {
            _copy.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A build server may hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}
