using System.Globalization;
using TlsLab.Cli.Grading;

namespace TlsLab.Tests.Cli;

/// <summary>
/// <c>tlslab grade</c> names one failure per exercise, and the same one however the tests were
/// scheduled: not started first (earliest task), then the gentlest hint, then the earliest task
/// (its <c>[Task(N)]</c>, the README's number).
/// </summary>
public sealed class GradeOrderTests
{
    private const string Class = "TlsLab.Grading.Exercise01PlainSocketTests";

    // The README's task numbers of the methods below.
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["BuildRequest_uses_CRLF"] = 1,
        ["GetStatusLineAsync_reads_a_whole_line"] = 2,
        ["GetStatusLineAsync_gets_200_OK"] = 3,
        ["CreateOptions_refuses"] = 4,
    };

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
            var grade = Assert.Single(GradeReport.Summarize(shuffled, [1]));
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
            Assert.Same(notStarted, GradeReport.MostFundamental(shuffled));
        }

        foreach (var shuffled in Permutations([hint2Late, hint2Early, hint3Early]))
        {
            // Hint 2 beats hint 3 even though hint 3's task comes first; between the two hint-2 failures, the earlier task wins.
            Assert.Same(hint2Early, GradeReport.MostFundamental(shuffled));
        }
    }

    [Fact]
    public void A_task_without_a_number_comes_last_and_ties_go_by_name()
    {
        var second = Failed("GetStatusLineAsync_reads_a_whole_line", "Only half the line came back.", hint: 3);
        var unnumbered = Failed("Not_numbered", "Hmm.", hint: 3);
        var aFirst = NotStarted("a_first", "a_first") with { Task = null };
        var bSecond = NotStarted("b_second", "b_second") with { Task = null };

        foreach (var shuffled in Permutations([unnumbered, second]))
        {
            Assert.Same(second, GradeReport.MostFundamental(shuffled));
        }

        foreach (var shuffled in Permutations([bSecond, aFirst]))
        {
            Assert.Same(aFirst, GradeReport.MostFundamental(shuffled));
        }
    }

    private static TaskResult NotStarted(string method, string member) => new(
        Class,
        $"{Class}.{method}",
        TaskOutcome.Failed,
        $"TlsLab.Grading.GradingFailure : Exercise 1 is not started yet: {member} still throws NotImplementedException.\n  Next:     open " +
            "exercises/01-plain-socket/README.md, then read hint 1 in exercises/01-plain-socket/HINTS.md",
        method,
        Numbers.TryGetValue(method, out var number) ? number : null);

    private static TaskResult Failed(string name, string summary, int hint, string? method = null) => new(
        Class,
        $"{Class}.{name}",
        TaskOutcome.Failed,
        $"TlsLab.Grading.GradingFailure : {summary}\n  Next:     read hint {hint.ToString(CultureInfo.InvariantCulture)} in exercises/01-plain-socket/HINTS.md",
        method ?? name,
        Numbers.TryGetValue(method ?? name, out var number) ? number : null);

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
