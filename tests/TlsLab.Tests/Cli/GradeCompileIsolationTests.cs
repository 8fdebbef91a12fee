using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// An attendee's code is not the kit's code: a warning in exercises/ does not block grading, and an
/// exercise that does not compile is named with the compiler's words while the others are graded.
/// </summary>
[Collection(GradeBuilds.Name)]
public sealed class GradeCompileIsolationTests
{
    [Fact]
    public void A_diagnostic_is_shown_relative_to_the_checkout_and_located_in_its_exercise()
    {
        var root = Path.Combine(Path.GetTempPath(), "kit");
        var exercises = Path.Combine(root, "exercises");

        var error = BuildDiagnostic.Create(Path.Combine(exercises, "02-validate", "ValidatingClient.cs"), 12, 5, isError: true, "CS1002", "; expected",
            exercises, root);
        var grader = BuildDiagnostic.Create(Path.Combine(root, "tests", "Grading", "Shared", "Attendee.cs"), 19, 9, isError: true, "CS1501",
            "No overload for method 'Load' takes 1 arguments", exercises, root);

        Assert.Equal((true, "CS1002", "; expected", 12, 5, (int?)2), (error.IsError, error.Code, error.Text, error.Line, error.Column, error.Exercise));
        Assert.Equal("exercises/02-validate/ValidatingClient.cs(12,5): error CS1002: ; expected", error.Display);
        Assert.Null(grader.Exercise);
        Assert.Equal("tests/Grading/Shared/Attendee.cs", grader.ShownFile);
    }

    [Fact]
    public async Task A_broken_exercise_is_named_and_the_others_are_graded_despite_a_warning()
    {
        using var copy = GradeExercisesCopy.Create();
        copy.Edit("02-validate/ValidatingClient.cs", text => InsertBefore(text, "throw new ", "var missingSemicolon = 1\n        "));
        copy.Edit("01-plain-socket/PlainHttpClient.cs", text => InsertBefore(text, "public static string BuildRequest", "private static string " +
            "NullWarning() => null;\n\n    "));

        // A cold start in the copy (MSBuild asked once, then two compile rounds) on a busy two-core machine.
        await using var run = CliRun.Start("grade", "--project", copy.TestProject);
        var exit = await run.Exit.WaitAsync(TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);
        var (stdout, stderr) = (run.Stdout, run.Stderr);
        var all = $"exit {exit}{Environment.NewLine}stdout:{Environment.NewLine}{stdout}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}";
        TestContext.Current.TestOutputHelper?.WriteLine(all);

        Assert.True(exit == 1, all);
        CellText.AssertShows(stdout, "does not compile: exercises/02-validate/ValidatingClient.cs(");
        Assert.Contains("): error CS1002: ; expected", stdout, StringComparison.Ordinal);
        CellText.AssertShows(stdout, "Exercise 1 is not started yet: PlainHttpClient.BuildRequest");
        CellText.AssertShows(stdout, "Exercise 6 is not started yet");
        Assert.Contains("exercises/01-plain-socket/PlainHttpClient.cs(", stdout, StringComparison.Ordinal);
        Assert.Contains("warning CS8603", stdout, StringComparison.Ordinal);
        Assert.Contains($"0 of {ExerciseCatalog.Count} exercises pass", stdout, StringComparison.Ordinal);

        // Grading only the broken exercise: one failed compile says it all, and no test runs.
        await using var one = CliRun.Start("grade", "2", "--project", copy.TestProject);
        var oneExit = await one.Exit.WaitAsync(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var oneAll = string.Join(Environment.NewLine, $"exit {oneExit}", "stdout:", one.Stdout, "stderr:", one.Stderr);
        TestContext.Current.TestOutputHelper?.WriteLine(oneAll);
        Assert.True(oneExit == 1, oneAll);
        CellText.AssertShows(one.Stdout, "does not compile: exercises/02-validate/ValidatingClient.cs(");
        Assert.DoesNotContain("1 01-plain-socket", one.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 of 1 exercise passes", one.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stand_in_keeps_the_declarations_and_throws_from_every_body()
    {
        const string broken = """
            using System.Net;
            using System.Threading.Tasks;
            namespace TlsLab.Exercises;
            public static class Broken
            {
                private static readonly int Answer = Compute(;
                public const int Port = 443;
                public static string Name => missing;
                public static int Count { get; } = Missing();
                public static string Build(string host) { var x = 1 return host; }
                public static Task<string> GetAsync(IPEndPoint endPoint) => Task.FromResult(endPoint.ToString());
            }
            public sealed record Result(bool Connected, string? Reason);
            """;

        var standIn = StandIn.Of(CSharpSyntaxTree.ParseText(broken, cancellationToken: TestContext.Current.CancellationToken));
        var compilation = CSharpCompilation.Create("StandIn", [standIn], ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p)), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var text = standIn.ToString();
        Assert.Empty(compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        Assert.DoesNotContain("var x = 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("missing", text, StringComparison.Ordinal);
        Assert.Equal(4, text.Split("throw new global::System.NotImplementedException(").Length - 1); // Name, Count, Build, GetAsync
        Assert.Contains("public const int Port = 443;", text, StringComparison.Ordinal);
        Assert.Contains("public sealed record Result(bool Connected, string? Reason);", text, StringComparison.Ordinal);
    }

    private static string InsertBefore(string text, string marker, string insert)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"The stub no longer contains '{marker}'; the test needs another place to edit.");
        return text[..at] + insert + text[at..];
    }
}
