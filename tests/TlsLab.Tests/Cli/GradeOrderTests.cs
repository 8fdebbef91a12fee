using System.Globalization;
using TlsLab.Cli.Grading;

namespace TlsLab.Tests.Cli;

/// <summary>
/// <c>tlslab grade</c> names one failure per exercise, and the same one however the tests were
/// scheduled: not started first (earliest task), then the gentlest hint, then the earliest task.
/// </summary>
public sealed class GradeOrderTests
{
    private const string Class = "TlsLab.Grading.Exercise01PlainSocketTests";

    private static readonly TaskOrder Declared = new(new Dictionary<(string, string), int>
    {
        [(Class, "BuildRequest_uses_CRLF")] = 0,
        [(Class, "GetStatusLineAsync_reads_a_whole_line")] = 1,
        [(Class, "GetStatusLineAsync_gets_200_OK")] = 2,
    });

    [Fact]
    public void An_untouched_exercise_names_its_first_task_whatever_order_the_results_came_in()
    {
        var results = new[]
        {
            NotStarted("BuildRequest_uses_CRLF", "PlainHttpClient.BuildRequest"),
            NotStarted("GetStatusLineAsync_reads_a_whole_line", "PlainHttpClient.GetStatusLineAsync"),
            NotStarted("GetStatusLineAsync_gets_200_OK", "PlainHttpClient.GetStatusLineAsync"),
        };

        foreach (var shuffled in Permutations(results))
        {
            var grade = Assert.Single(GradeReport.Summarize(shuffled, [1], Declared));
            Assert.Equal("Exercise 1 is not started yet: PlainHttpClient.BuildRequest still throws NotImplementedException.", grade.FirstFailure);
        }
    }

    [Fact]
    public void Not_started_comes_before_a_gentler_hint_then_the_lowest_hint_then_the_earliest_task()
    {
        var hint2Late = Failed("GetStatusLineAsync_gets_200_OK", "The plaintext endpoint answered 400.", hint: 2);
        var hint2Early = Failed("GetStatusLineAsync_reads_a_whole_line", "Only half the line came back.", hint: 2);
        var hint3Early = Failed("BuildRequest_uses_CRLF", "The request ends lines with a bare LF.", hint: 3);
        var notStarted = NotStarted("GetStatusLineAsync_gets_200_OK", "PlainHttpClient.GetStatusLineAsync");

        foreach (var shuffled in Permutations([hint2Late, hint2Early, hint3Early, notStarted]))
        {
            Assert.Same(notStarted, GradeReport.MostFundamental(shuffled, Declared));
        }

        foreach (var shuffled in Permutations([hint2Late, hint2Early, hint3Early]))
        {
            // Hint 2 beats hint 3 even though hint 3's task comes first; between the two hint-2 failures, the earlier task wins.
            Assert.Same(hint2Early, GradeReport.MostFundamental(shuffled, Declared));
        }
    }

    [Fact]
    public void Cases_of_one_theory_are_ordered_by_their_full_name_and_unknown_tasks_come_last()
    {
        var expired = Failed("CreateOptions_refuses(scenario: \"expired\")", "Connected to expired.", hint: 3, method: "CreateOptions_refuses");
        var selfSigned = Failed("CreateOptions_refuses(scenario: \"self-signed\")", "Connected to self-signed.", hint: 3, method: "CreateOptions_refuses");
        var unknown = Failed("Some_test_the_assembly_does_not_declare", "Hmm.", hint: 3, method: "Not_declared");
        var order = new TaskOrder(new Dictionary<(string, string), int> { [(Class, "CreateOptions_refuses")] = 0 });

        foreach (var shuffled in Permutations([selfSigned, unknown, expired]))
        {
            Assert.Same(expired, GradeReport.MostFundamental(shuffled, order));
        }
    }

    [Fact]
    public void The_task_order_is_read_from_the_test_assembly_the_report_names()
    {
        // Exercise01DeclaredOrder (below) declares Zulu, Alpha, Mike: neither alphabetical nor the report's order.
        var assembly = typeof(Exercise01DeclaredOrder).Assembly.Location;
        var className = typeof(Exercise01DeclaredOrder).FullName!;
        string[] methods = [nameof(Exercise01DeclaredOrder.Mike_third), nameof(Exercise01DeclaredOrder.Alpha_second),
            nameof(Exercise01DeclaredOrder.Zulu_first)];

        foreach (var shuffled in Permutations(methods))
        {
            var results = TrxResults.Parse(Trx(className, assembly, shuffled));
            Assert.All(results, r => Assert.Equal(assembly, r.Assembly));

            var grade = Assert.Single(GradeReport.Summarize(results, [1]));
            Assert.Equal($"Exercise 1 is not started yet: {nameof(Exercise01DeclaredOrder.Zulu_first)} still throws " +
                "NotImplementedException.", grade.FirstFailure);
        }

        var order = TaskOrder.Of(TrxResults.Parse(Trx(className, assembly, methods)));
        Assert.True(order.Position(className, nameof(Exercise01DeclaredOrder.Zulu_first)) < order.Position(className,
            nameof(Exercise01DeclaredOrder.Alpha_second)));
        Assert.True(order.Position(className, nameof(Exercise01DeclaredOrder.Alpha_second)) < order.Position(className,
            nameof(Exercise01DeclaredOrder.Mike_third)));
    }

    [Fact]
    public void A_report_naming_a_missing_assembly_still_gives_one_answer()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder", "Missing.Tests.dll");
        string[] methods = ["b_second", "a_first"];

        foreach (var shuffled in Permutations(methods))
        {
            var grade = Assert.Single(GradeReport.Summarize(TrxResults.Parse(Trx(Class, missing, shuffled)), [1]));
            Assert.Equal("Exercise 1 is not started yet: a_first still throws NotImplementedException.", grade.FirstFailure);
        }
    }

    private static TaskResult NotStarted(string method, string member) => new(
        Class,
        $"{Class}.{method}",
        TaskOutcome.Failed,
        $"TlsLab.Grading.GradingFailure : Exercise 1 is not started yet: {member} still throws NotImplementedException.\n  Next:     open " +
            "exercises/01-plain-socket/README.md, then read hint 1 in exercises/01-plain-socket/HINTS.md",
        method);

    private static TaskResult Failed(string name, string summary, int hint, string? method = null) => new(
        Class,
        $"{Class}.{name}",
        TaskOutcome.Failed,
        $"TlsLab.Grading.GradingFailure : {summary}\n  Next:     read hint {hint.ToString(CultureInfo.InvariantCulture)} in exercises/01-plain-socket/HINTS.md",
        method ?? name);

    // A report in the shape xunit writes: results in the order given (as if that is how they finished), definitions naming the assembly.
    private static string Trx(string className, string assembly, IEnumerable<string> methods)
    {
        var list = methods.ToList();
        var results = string.Concat(list.Select((m, i) => $"""
            <UnitTestResult testName="{className}.{m}" outcome="Failed" testId="id{i}"><Output><ErrorInfo><Message>TlsLab.Grading.GradingFailure : Exercise 1 is not started yet: {m} still throws NotImplementedException.
              Next:     read hint 1 in exercises/01-plain-socket/HINTS.md</Message></ErrorInfo></Output></UnitTestResult>
            """));
        var definitions = string.Concat(list.Select((m, i) => $"""
            <UnitTest name="{className}.{m}" id="id{i}" storage="{assembly}"><TestMethod codeBase="{assembly}" className="{className}" name="{m}" /></UnitTest>
            """));
        return $"""<TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>{results}</Results><TestDefinitions>{definitions}</TestDefinitions></TestRun>""";
    }

    private static IEnumerable<List<T>> Permutations<T>(IReadOnlyList<T> items)
    {
        if (items.Count <= 1)
        {
            yield return items.ToList();
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                tail.Insert(0, items[i]);
                yield return tail;
            }
        }
    }
}

/// <summary>Methods declared in a known order, for the test that reads the order from this assembly.</summary>
internal sealed class Exercise01DeclaredOrder
{
    public void Zulu_first()
    {
    }

    public void Alpha_second()
    {
    }

    public void Mike_third()
    {
    }
}
