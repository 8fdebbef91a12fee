using System.Diagnostics;
using System.Threading.Channels;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Workshop;

namespace TlsLab.Cli.Bench;

/// <summary>How long an attendee waits after a save, both ways of grading one exercise.</summary>
/// <param name="Exercise">The exercise graded (its solution, so that every task runs to the end).</param>
/// <param name="WatchStart">From <c>grade --watch</c> starting to its first table: MSBuild's answer, the compiler's warm-up, the lab.</param>
/// <param name="WatchSave">From a save to the redrawn table, warm (file-system event, debounce, compile, load, grade, draw).</param>
/// <param name="Plain">From an edit to the table of <c>tlslab grade N</c> (the same engine, started for one round), in this process.</param>
/// <param name="Tasks">The tasks each grading ran (passed + failed + skipped).</param>
/// <param name="Compiling">Of each timed save, the in-process compile.</param>
/// <param name="Grading">Of each timed save, compile plus tests (the rest is the file event, the quiet time and the drawing).</param>
internal sealed record GradeBenchResult(int Exercise, TimeSpan WatchStart, LatencySummary WatchSave, LatencySummary Plain, int Tasks,
    LatencySummary Compiling, LatencySummary Grading);

/// <summary>
/// Measures save-to-table for <c>grade --watch</c> against a whole <c>tlslab grade N</c>, in a temporary copy of
/// exercises/ holding the exercise's solution: the attendee's own files are never touched.
/// </summary>
internal static class GradeBench
{
    public static async Task<GradeBenchResult> MeasureAsync(string kit, int exercise, int saves, int plainRuns, CancellationToken cancellationToken)
    {
        using var copy = ExercisesCopy.Create(kit);
        var entry = ExerciseCatalog.Get(exercise);
        foreach (var stub in entry.Stubs)
        {
            File.Copy(Path.Combine(kit, entry.Solution, stub), Path.Combine(copy.Exercises, entry.Folder, stub), overwrite: true);
        }

        var edited = Path.Combine(entry.Folder, entry.Stubs[0]);
        var drawn = Channel.CreateUnbounded<(long At, WatchRound Round)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var watching = GradeWatcher.RunAsync(copy.TestProject, [exercise], verbose: false, TextWriter.Null, TextWriter.Null,
            round => drawn.Writer.TryWrite((Stopwatch.GetTimestamp(), round)), stop.Token);

        async Task<(long At, WatchRound Round)> NextAsync()
        {
            var next = drawn.Reader.ReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(next, watching, Task.Delay(TimeSpan.FromMinutes(5), cancellationToken)) != next)
            {
                throw new InvalidOperationException("grade --watch drew no table (it stopped, or took more than 5 minutes).");
            }

            return await next;
        }

        var first = await NextAsync();
        var start = clock.Elapsed;
        var tasks = first.Round.Outcome.Grades.Sum(g => g.Total);

        // One untimed save: the first in-process compile of an edited file still JIT-compiles parts of Roslyn.
        var (times, compiling, grading) = (new List<TimeSpan>(), new List<TimeSpan>(), new List<TimeSpan>());
        for (var i = 0; i <= saves; i++)
        {
            var saved = Stopwatch.GetTimestamp();
            copy.Edit(edited, text => text + $"// save {i}\n");
            var (at, round) = await NextAsync();
            if (i > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(saved, at));
                compiling.Add(round.Compiling);
                grading.Add(round.Elapsed);
            }
        }

        await stop.CancelAsync();
        await watching;

        // The same edit, graded the plain way: tlslab grade N, which starts the engine (and a lab) for one round.
        var plain = new List<TimeSpan>();
        for (var i = 0; i <= plainRuns; i++)
        {
            copy.Edit(edited, text => text + $"// plain {i}\n");
            var timer = Stopwatch.StartNew();
            var exit = await TlsLabCli.RunAsync(["grade", exercise.ToString(System.Globalization.CultureInfo.InvariantCulture), "--project",
                copy.TestProject], TextWriter.Null, TextWriter.Null, cancellationToken);
            if (exit is not (ExitCodes.Ok or ExitCodes.Failed))
            {
                throw new InvalidOperationException($"tlslab grade {exercise} ended with exit code {exit} in the copy.");
            }

            // The first run in the copy asks MSBuild about its projects (kept for later runs): not what an attendee waits for after an edit.
            if (i > 0)
            {
                plain.Add(timer.Elapsed);
            }
        }

        return new GradeBenchResult(exercise, start, LatencySummary.From(times), LatencySummary.From(plain), tasks, LatencySummary.From(compiling),
            LatencySummary.From(grading));
    }
}
