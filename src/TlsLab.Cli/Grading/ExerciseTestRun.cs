using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading;

/// <summary>The result of one <c>dotnet test</c> on the exercises: its exit code, its TRX report (if any) and its console output.</summary>
/// <param name="ExitCode">dotnet test's exit code (0 all passed, 2 some failed, 8 none ran, 1 build error...).</param>
/// <param name="Report">The TRX file, or null when the run ended before writing one (a build error).</param>
/// <param name="Output">Everything dotnet test printed, stdout and stderr interleaved.</param>
/// <param name="CommandLine">The command that ran, for the attendee to repeat it.</param>
/// <param name="Elapsed">How long it took, build included.</param>
public sealed partial record ExerciseTestRun(int ExitCode, string? Report, string Output, string CommandLine, TimeSpan Elapsed)
{
    /// <summary>The MSBuild property (read from the environment) naming exercise folders that exercises/Exercises.csproj compiles from their
    /// placeholders instead.</summary>
    public const string ExcludedExercisesProperty = "TlsLabExcludedExercises";

    /// <summary>
    /// Builds the exercises and runs their grading tests: <c>dotnet test --project PROJECT</c> with a
    /// filter on the <c>exercise</c> trait and an xunit TRX report in a fresh temporary folder.
    /// </summary>
    /// <param name="project">The grading test project.</param>
    /// <param name="exercises">The exercises whose tests run.</param>
    /// <param name="resultsDirectory">Where the TRX report goes.</param>
    /// <param name="onLine">Called with each line of output, as it comes.</param>
    /// <param name="excluded">Exercises that do not compile: the build leaves their folders out and compiles their placeholders (the shipped stubs),
    /// so that the others build.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ExerciseTestRun> RunAsync(string project, IReadOnlyCollection<int> exercises, string resultsDirectory,
        Action<string>? onLine, IReadOnlyCollection<int>? excluded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exercises);
        const string reportName = "grade.trx";
        // What the attendee would type to see every message in full...
        var display = new List<string> { "test", "--project", Path.GetRelativePath(Directory.GetCurrentDirectory(), project) };
        if (exercises.Count < ExerciseCatalog.Count)
        {
            foreach (var exercise in exercises)
            {
                display.Add("--filter-trait");
                display.Add($"exercise={exercise}");
            }
        }

        // ...and what we run: the same, plus a TRX report to read the results from (never the console text).
        var arguments = new List<string>(display) { "--results-directory", resultsDirectory, "--report-xunit-trx", "--report-xunit-trx-filename",
            reportName, "--no-progress", "--no-ansi" };
        arguments[2] = project;

        // The grading run must not inherit the settings of whatever launched tlslab (for example
        // 'dotnet run', or a test host): those describe another build and another test session.
        var start = DotnetCommand.StartInfo(Path.GetDirectoryName(Path.GetFullPath(project))!, arguments);

        // An environment variable, not -p: a global property would also reach src/TlsLab and rebuild it.
        start.Environment[ExcludedExercisesProperty] = string.Join(';', (excluded ?? []).Order().Select(ExerciseCatalog.Folder));

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data);
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var report = Path.Combine(resultsDirectory, reportName);
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new ExerciseTestRun(
            process.ExitCode,
            File.Exists(report) ? report : null,
            text,
            "dotnet " + string.Join(' ', display.Select(Quote)),
            stopwatch.Elapsed);
    }

    /// <summary>Compiler and MSBuild errors from the output, each once, e.g. <c>exercises/02-validate/ValidatingClient.cs(14,9): error CS1002: ;
    /// expected</c>.</summary>
    public IReadOnlyList<string> BuildErrors() => Output
        .Split('\n')
        .Select(line => line.Trim())
        .Where(line => BuildError().IsMatch(line))
        .Select(line => ProjectSuffix().Replace(line, string.Empty))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument;

    [GeneratedRegex(@"\berror (CS|MSB|NU|NETSDK)\d+")]
    private static partial Regex BuildError();

    [GeneratedRegex(@"\s+\[[^\]]+\.csproj[^\]]*\]$")]
    private static partial Regex ProjectSuffix();
}
