using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Spectre.Console;
using Spectre.Console.Rendering;
using TlsLab.Cli.Commands;
using TlsLab.Cli.Output;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// <c>tlslab grade --watch [N]</c>: grades once, then again after every save in exercises/, redrawing the
/// table each time, until Ctrl+C. The first grading pays for MSBuild's answer, the compiler's warm-up and
/// the lab; after that a save is compiled and graded in-process (see <see cref="WatchSession"/>).
/// </summary>
internal static partial class GradeWatcher
{
    // Editors save in bursts (write, rename, touch): wait for the burst to end before compiling.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; returns the exit code.</summary>
    /// <param name="testProject">exercises/Tests/Exercises.Tests.csproj.</param>
    /// <param name="selected">The exercises to grade on every save.</param>
    /// <param name="verbose">Show every warning, not the first five.</param>
    /// <param name="output">Where the table goes.</param>
    /// <param name="error">Where a start-up failure goes.</param>
    /// <param name="onDrawn">Called after each table is drawn (the benchmark and the tests wait on it).</param>
    /// <param name="cancellationToken">Stops watching.</param>
    public static async Task<int> RunAsync(string testProject, int[] selected, bool verbose, TextWriter output, TextWriter error,
        Action<WatchRound>? onDrawn, CancellationToken cancellationToken)
    {
        var console = Consoles.For(output);
        WatchSession session;
        try
        {
            session = await WatchSession.StartAsync(testProject, line => console.MarkupLine($"[grey]{line.EscapeMarkup()}[/]"), cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }

        await using (session)
        {
            var changes = Channel.CreateUnbounded<string>();
            using var watcher = new FileSystemWatcher(session.ExercisesFolder, "*.cs")
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size,
            };
            void Changed(object sender, FileSystemEventArgs e)
            {
                if (IsAttendeeFile(session.ExercisesFolder, e.FullPath))
                {
                    changes.Writer.TryWrite(e.FullPath);
                }
            }

            watcher.Changed += Changed;
            watcher.Created += Changed;
            watcher.Deleted += Changed;
            watcher.Renamed += (sender, e) => Changed(sender, e);
            watcher.EnableRaisingEvents = true;

            string? saved = null;
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var round = await session.GradeAsync(selected, cancellationToken);
                    Draw(console, round, selected, saved, verbose, session.ExercisesFolder);
                    onDrawn?.Invoke(round);

                    saved = await changes.Reader.ReadAsync(cancellationToken);
                    while (await WaitQuietAsync(changes.Reader, cancellationToken) is { } later)
                    {
                        saved = later;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way to stop.
            }
        }

        console.MarkupLine("Stopped watching.");
        return ExitCodes.Ok;
    }

    private static async Task<string?> WaitQuietAsync(ChannelReader<string> changes, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(Quiet);
        try
        {
            return await changes.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // The attendee's files: not the graders' project below exercises/Tests, not build output.
    private static bool IsAttendeeFile(string exercisesFolder, string path)
    {
        var relative = Path.GetRelativePath(exercisesFolder, path).Replace('\\', '/');
        var top = relative.Split('/')[0];
        return relative.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && top is not ("Tests" or "bin" or "obj");
    }

    private static void Draw(IAnsiConsole console, WatchRound round, int[] selected, string? saved, bool verbose, string exercisesFolder)
    {
        if (console.Profile.Capabilities.Ansi)
        {
            console.Clear();
        }

        var seconds = round.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var which = selected.Length == 1 ? $"exercise {selected[0]}" : "all exercises";
        var trigger = saved is null ? string.Empty : $" after you saved {Path.GetRelativePath(Path.Combine(exercisesFolder, ".."), saved).Replace('\\', '/')}";
        console.Write(new TrimmedLines(new Markup(
            $"[bold]tlslab grade --watch[/]: {which}, graded at {DateTime.Now:HH:mm:ss}{trigger.EscapeMarkup()} in {seconds} s.")));
        console.WriteLine();

        var outcome = round.Outcome;
        if (outcome.NoResults)
        {
            console.MarkupLine("[red]Nothing could be graded[/]: the grading tests themselves do not compile against your code. The compiler says:");
            foreach (var e in outcome.LastDiagnostics.Where(d => d.IsError).Take(10))
            {
                console.WriteLine("  " + e.Display);
            }

            console.WriteLine("This usually means a public signature in exercises/ was changed: keep the stubs' signatures (the tests call them).");
        }
        else
        {
            console.Write(GradeTable.Of(outcome.Grades));
            GradeTable.WriteCompilerNotes(console, outcome.Broken, selected, [.. outcome.Warnings], verbose);
            SecurityFindings.Write(console, outcome.Findings);
            WriteFirstFailure(console, outcome);
        }

        if (round.Printed.Length > 0)
        {
            var lines = round.Printed.TrimEnd().Split('\n');
            console.MarkupLine($"[grey]Your code printed {lines.Length} line{(lines.Length == 1 ? string.Empty : "s")} while it was graded:[/]");
            foreach (var line in lines.Take(10))
            {
                console.WriteLine("  " + line.TrimEnd('\r'));
            }

            if (lines.Length > 10)
            {
                console.WriteLine($"  ... and {lines.Length - 10} more.");
            }
        }

        console.MarkupLine("[grey]Watching exercises/: save a file to grade again. Ctrl+C stops.[/]");
    }

    // The table has one sentence; the watcher has room for the whole message of the failure the table names.
    private static void WriteFirstFailure(IAnsiConsole console, GradeOutcome outcome)
    {
        var failing = outcome.Grades.FirstOrDefault(g => !g.Done && !g.Broken && g.Failed > 0);
        if (failing is null)
        {
            return;
        }

        var failures = outcome.Results.Where(r => r.Outcome == TaskOutcome.Failed && GradeReport.ExerciseOf(r.ClassName) == failing.Number);
        if (GradeReport.MostFundamental(failures) is { Message: { } message })
        {
            console.MarkupLine($"[red]Exercise {failing.Number}'s first failure, in full:[/]");
            foreach (var line in message.TrimEnd().Split('\n').Take(25))
            {
                // A long line wraps under its own text ("Tried:    ..." continues under "...", not at the left edge).
                var text = line.TrimEnd('\r');
                var indent = 2 + text.Length - text.TrimStart(' ').Length;
                var labelled = Labelled().Match(text.TrimStart(' '));
                IRenderable shown = labelled.Success
                    ? new Grid().AddColumn(new GridColumn().NoWrap().PadRight(0)).AddColumn(new GridColumn().PadRight(0))
                        .AddRow(new Text(labelled.Groups["label"].Value), new Text(labelled.Groups["text"].Value))
                    : new Text(text.TrimStart(' '));
                console.Write(new TrimmedLines(new Padder(shown, new Padding(indent, 0, 0, 0))));
            }
        }
    }

    // "Tried:    ", "Happened: ": the labels of a grading failure's lines (Shared/GradingFailure.cs), with the spaces after them.
    [GeneratedRegex("^(?<label>[A-Z][a-z]+: +)(?<text>.+)$")]
    private static partial Regex Labelled();
}
