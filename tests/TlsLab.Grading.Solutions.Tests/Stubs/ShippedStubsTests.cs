using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using TlsLab.Grading.Proofs;
using TlsLab.Workshop;

namespace TlsLab.Grading.Stubs;

/// <summary>
/// The stubs as shipped (the committed ones, not the checkout's files, which an attendee may have solved):
/// every member throws NotImplementedException pointing at its lesson and hints. That every grading task then
/// fails as "not started" is proven by tlslab grade itself, on a pristine copy (tests/TlsLab.Tests, GradeShippedStubsTests).
/// </summary>
public sealed partial class ShippedStubsTests
{
    public static TheoryData<string> StubFiles => new(ExerciseCatalog.All.SelectMany(e => e.Stubs.Select(s => $"{e.Folder}/{s}")));

    [Theory]
    [MemberData(nameof(StubFiles))]
    public void Every_stub_member_throws_NotImplementedException_pointing_at_its_lesson_and_hints(string file)
    {
        var entry = ExerciseCatalog.All.Single(e => file.StartsWith(e.Folder + "/", StringComparison.Ordinal));
        var text = Shipped($"exercises/{file}");
        var throws = Throw().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var records = text.Contains(" record ", StringComparison.Ordinal) && !text.Contains(" class ", StringComparison.Ordinal);

        Assert.True(throws.Count > 0 || records, $"exercises/{file} as committed has no throw new NotImplementedException(\"...\"): each member " +
            "of a stub throws until the attendee writes it.");
        Assert.All(throws, message =>
        {
            Assert.Contains(entry.Notebook, message, StringComparison.Ordinal);
            Assert.Contains(entry.Hints, message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_exercise_has_as_many_grading_tasks_as_its_README_numbered_in_order()
    {
        foreach (var entry in ExerciseCatalog.All)
        {
            var methods = GradingTask.All.Where(t => t.Exercise == entry.Number).Select(t => t.Method).Distinct().ToList();
            var numbers = methods.Select(m => m.GetCustomAttribute<TaskAttribute>()?.Number).ToList();
            Assert.True(numbers.OfType<int>().Order().SequenceEqual(Enumerable.Range(1, entry.Tasks)) && numbers.All(n => n is not null),
                $"Exercise {entry.Number}'s test methods carry [Task] numbers [{string.Join(", ", numbers.Select(n => n?.ToString() ?? "none"))}]; " +
                $"src/TlsLab/Workshop/ExerciseCatalog.cs gives it {entry.Tasks} tasks. Each test method is one numbered task of the README: " +
                "[Task(1)] to [Task(N)], N the catalogue's count.");
        }
    }

    // The committed text of a file (git's HEAD), so that the attendee's edits in the checkout do not count; the file on disk
    // outside a git checkout (a downloaded archive is as shipped).
    private static string Shipped(string path)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "exercises", "Exercises.csproj")))
        {
            root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))
                ?? throw new InvalidOperationException($"No checkout of the kit above {AppContext.BaseDirectory}.");
        }

        var start = new ProcessStartInfo("git", ["show", $"HEAD:{path}"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var git = Process.Start(start)!;
            var text = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return text;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git: read the file.
        }

        return File.ReadAllText(Path.Combine(root, path));
    }

    [GeneratedRegex("""throw new NotImplementedException\(\s*"([^"]*)"\s*\)""")]
    private static partial Regex Throw();
}
