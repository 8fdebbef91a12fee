using System.Diagnostics;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>Runs a program as a child process, the way an attendee's terminal would, and keeps what it printed.</summary>
internal static class ChildRun
{
    /// <summary>The built tlslab, run with the SDK that runs the tests.</summary>
    public static string[] Tlslab(params string[] arguments) => [Path.Combine(AppContext.BaseDirectory, "TlsLab.Cli.dll"), .. arguments];

    /// <summary>
    /// Runs <c>dotnet ARGS</c> (or another <paramref name="program"/>) in <paramref name="folder"/>; stdout and stderr together.
    /// Inherited MSBuild and test-platform settings are removed, as for every child the kit starts.
    /// </summary>
    public static async Task<(int Exit, string Output)> RunAsync(string folder, TimeSpan patience, string[] arguments,
        string? program = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = DotnetCommand.StartInfo(folder, arguments);
        if (program is not null)
        {
            start.FileName = program;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(patience);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', arguments)} in {folder} did not end within {patience.TotalMinutes:0} minutes.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
