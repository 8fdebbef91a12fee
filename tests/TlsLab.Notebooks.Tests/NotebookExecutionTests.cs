using System.Net;
using System.Net.Sockets;

namespace TlsLab.Notebooks.Tests;

/// <summary>
/// Kernels share process-wide state (the working directory, the formatter registry), so everything that runs a
/// kernel is in this one collection and runs one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}

/// <summary>Every notebook runs top to bottom in a fresh C# kernel, as "Run All" does, and shows what it teaches.</summary>
[Collection(KernelCollection.Name)]
public sealed class NotebookExecutionTests
{
    public static TheoryData<string> Notebooks => Lessons.All;

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_notebook_runs_top_to_bottom_and_shows_what_it_teaches(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        using var kernel = NotebookRunner.CreateKernel();

        var run = await NotebookRunner.RunAsync(kernel, name, ct);

        var slowest = run.Cells.OrderByDescending(c => c.Elapsed).First();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"notebook {name}: {run.Elapsed.TotalSeconds:0.0} s, {run.Cells.Count} code cells (slowest: cell {slowest.Number}, " +
                $"{slowest.Elapsed.TotalSeconds:0.0} s)");
        if (run.FirstFailure is { } failed)
        {
            Assert.Fail(NotebookRunner.Describe(run, failed));
        }

        var text = run.Text;
        var missing = Lessons.ExpectedOutputs(name).Where(expected => !text.Contains(expected, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            $"notebooks/{name}.ipynb ran, but its outputs no longer show: {string.Join("; ", missing.Select(m => $"'{m}'"))}.\nWhat it showed:\n{text}");
    }
}

/// <summary>
/// A lesson's last cell grades its exercise in place. The checkout's exercise 1 may be untouched or solved (an attendee
/// who also works on the kit), so the test checks that the cell shows exercise 1's row and a verdict, not which one.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class GradeInPlaceTests
{
    [Fact]
    public async Task The_sockets_lesson_grades_exercise_1_from_its_last_cell()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kernel = NotebookRunner.CreateKernel();

        var run = await NotebookRunner.RunAsync(kernel, "01-sockets", ct, gradeInPlace: true);

        if (run.FirstFailure is { } failed)
        {
            Assert.Fail(NotebookRunner.Describe(run, failed));
        }

        var gradeCell = run.Cells.Last();
        Assert.Contains(NotebookRunner.GradeCellMarker, gradeCell.Code, StringComparison.Ordinal);
        var shown = string.Join("\n", gradeCell.Outputs);
        Assert.True(shown.Contains("01-plain-socket", StringComparison.Ordinal)
            && (shown.Contains("HINTS.md", StringComparison.Ordinal) || shown.Contains("Exercise 1 passes", StringComparison.Ordinal)),
            $"The grade cell of notebooks/01-sockets.ipynb should show exercise 1's row and either the hint to read or that it passes; " +
            $"it showed:\n{shown}");
        TestContext.Current.TestOutputHelper?.WriteLine($"grade in place: {gradeCell.Elapsed.TotalSeconds:0.0} s");
    }
}

/// <summary>Running a notebook again in the same kernel (what learners do all the time) must work and leak nothing.</summary>
[Collection(KernelCollection.Name)]
public sealed class NotebookRerunTests
{
    private const string Lesson = "05-server";

    [Fact]
    public async Task Running_the_server_lesson_twice_in_one_kernel_frees_every_port_and_registers_no_formatter_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kernel = NotebookRunner.CreateKernel();
        int? registrations = null;
        for (var round = 1; round <= 2; round++)
        {
            var run = await NotebookRunner.RunAsync(kernel, Lesson, ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"notebook {Lesson} (run {round} in one kernel): {run.Elapsed.TotalSeconds:0.0} s");
            if (run.FirstFailure is { } failed)
            {
                Assert.Fail($"Run {round}: {NotebookRunner.Describe(run, failed)}");
            }

            var ports = (int[])(await NotebookRunner.EvaluateAsync(
                kernel, "new[] { serverEndPoint.Port, leafOnlyEndPoint.Port }.Concat(lab.Endpoints.Select(e => e.Port)).ToArray()", ct))!;
            foreach (var port in ports)
            {
                Assert.True(CanBind(port), $"Run {round}: port {port} is still bound after the notebook finished; its last cell should have freed it.");
            }

            var viewTypes = (int)(await NotebookRunner.EvaluateAsync(kernel, "TlsViews.Types.Count", ct))!;
            // Counted for the types this kernel loaded: each kernel loads its own copy of TlsLab.dll.
            var count = (int)(await NotebookRunner.EvaluateAsync(
                kernel, "Microsoft.DotNet.Interactive.Formatting.Formatter.RegisteredFormatters(false).Count(f => TlsViews.Types.Contains(f.Type))", ct))!;
            Assert.True(count == viewTypes * 2,
                $"Run {round}: {count} formatters are registered for TlsLab's types; expected {viewTypes * 2} (HTML and text for each of {viewTypes} types).");
            registrations ??= count;
            Assert.Equal(registrations, count);
        }
    }

    private static bool CanBind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
