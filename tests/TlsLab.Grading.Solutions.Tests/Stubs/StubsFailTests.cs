using System.Reflection;
using System.Runtime.CompilerServices;

using TlsLab.Grading.Proofs;
using TlsLab.Workshop;

namespace TlsLab.Grading.Stubs;

/// <summary>
/// exercises/ as shipped fails every grading task, and says so in a way that sends the attendee to
/// the right place: "not started", the README, the lesson and hint 1.
/// </summary>
public sealed class StubsFailTests(GradingLab fixture)
{
    public static TheoryData<string> Tasks => GradingTask.Ids;

    [Theory]
    [MemberData(nameof(Tasks))]
    public async Task Every_grading_task_fails_against_the_stubs_as_not_started(string id)
    {
        var task = GradingTask.Find(id);
        GradingFailure failure;
        using (Attendee.Use(StubImplementations.For(task.Exercise)))
        {
            failure = await Assert.ThrowsAsync<GradingFailure>(() => task.RunAsync(fixture));
        }

        Assert.True(failure.NotStarted, $"{id} failed against the stubs, but not as 'not started':{Environment.NewLine}{failure.Message}");
        Assert.Equal(task.Exercise, failure.Hint.Exercise);
        Assert.Contains(ExerciseCatalog.Get(task.Exercise).Readme, failure.Message, StringComparison.Ordinal);
        Assert.Contains(ExerciseCatalog.Get(task.Exercise).Hints, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exercise_has_grading_tasks()
    {
        var exercises = GradingTask.All.Select(t => t.Exercise).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, ExerciseCatalog.Count), exercises);
    }

    [Fact]
    public void Every_exercise_has_as_many_grading_tasks_as_the_catalogue_says()
    {
        // A task is a test method (a theory once, whatever its rows), one per item of the README's
        // "What the tests check"; tlslab grade and the kit's tests read the count from the catalogue.
        foreach (var entry in ExerciseCatalog.All)
        {
            var methods = GradingTask.All.Where(t => t.Exercise == entry.Number).Select(t => t.Method.Name).Distinct(StringComparer.Ordinal).ToList();
            Assert.True(methods.Count == entry.Tasks,
                $"Exercise {entry.Number}'s graders have {methods.Count} tasks ({string.Join(", ", methods)}); " +
                $"src/TlsLab/Workshop/ExerciseCatalog.cs says {entry.Tasks}. " +
                "Update the count there (and the README's list of what the tests check).");
        }
    }

    public static TheoryData<string> StubMembers => new(StubMemberCalls().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(StubMembers))]
    public void Every_stub_member_throws_NotImplementedException_pointing_at_its_lesson_and_hints(string member)
    {
        var (name, call, exercise) = StubMemberCalls().Single(c => c.Name == member);
        var thrown = Assert.ThrowsAny<Exception>(call);
        if (thrown is TargetInvocationException { InnerException: { } inner })
        {
            thrown = inner;
        }

        var notImplemented = Assert.IsType<NotImplementedException>(thrown);
        Assert.Contains(ExerciseCatalog.Get(exercise).Notebook, notImplemented.Message, StringComparison.Ordinal);
        Assert.Contains(ExerciseCatalog.Get(exercise).Hints, notImplemented.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
    }

    // Every public method and property getter of every stub type, called with placeholder arguments
    // (a stub throws before it looks at them). Records the attendee does not implement are skipped.
    private static IEnumerable<(string Name, Action Call, int Exercise)> StubMemberCalls()
    {
        foreach (var type in StubImplementations.Assembly.GetExportedTypes().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (type.GetMethod("<Clone>$") is not null)
            {
                continue; // a record such as HostnameCheckResult: data, not a task
            }

            var exercise = ExerciseOf(type);
            var members = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName || m.Name.StartsWith("get_", StringComparison.Ordinal))
                .OrderBy(m => m.Name, StringComparer.Ordinal);
            foreach (var method in members)
            {
                var target = method.IsStatic ? null : RuntimeHelpers.GetUninitializedObject(type);
                var arguments = method.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
                yield return ($"{type.Name}.{method.Name}", () => method.Invoke(target, arguments), exercise);
            }
        }
    }

    private static int ExerciseOf(Type type) =>
        ExerciseCatalog.OfStubType(type.Name)?.Number
        ?? throw new InvalidOperationException(
            $"The stub type {type.Name} belongs to no exercise: add {type.Name}.cs to its Stubs in src/TlsLab/Workshop/ExerciseCatalog.cs.");
}
