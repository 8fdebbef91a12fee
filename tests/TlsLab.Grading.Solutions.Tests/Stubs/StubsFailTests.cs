using System.Reflection;
using System.Runtime.CompilerServices;

using TlsLab.Grading.Proofs;

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
        using (Attendee.Use(StubImplementations.All))
        {
            failure = await Assert.ThrowsAsync<GradingFailure>(() => task.RunAsync(fixture));
        }

        Assert.True(failure.NotStarted, $"{id} failed against the stubs, but not as 'not started':{Environment.NewLine}{failure.Message}");
        Assert.Equal(task.Exercise, failure.Hint.Exercise);
        Assert.Contains(ExerciseInfo.Readme(task.Exercise), failure.Message, StringComparison.Ordinal);
        Assert.Contains(ExerciseInfo.Hints(task.Exercise), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exercise_has_grading_tasks()
    {
        var exercises = GradingTask.All.Select(t => t.Exercise).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, ExerciseInfo.Folders.Count), exercises);
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
        Assert.Contains(ExerciseInfo.Notebook(exercise), notImplemented.Message, StringComparison.Ordinal);
        Assert.Contains(ExerciseInfo.Hints(exercise), notImplemented.Message, StringComparison.Ordinal);
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

    private static int ExerciseOf(Type type) => type.Name switch
    {
        "PlainHttpClient" => 1,
        "ValidatingClient" => 2,
        "ProtocolFloor" => 3,
        "HostnameCheck" => 4,
        "ServerCredentials" or "TlsServer" => 5,
        "ModernCiphers" => 6,
        _ => throw new InvalidOperationException($"The stub type {type.Name} belongs to no known exercise; add it here."),
    };
}
