using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace TlsLab.Grading.Proofs;

/// <summary>
/// One grading task: a test method of a Grading/ExerciseNN class with one row of its data, exactly
/// as the attendee's test run executes it. The kit's proofs run these under a substituted
/// implementation (see <see cref="Attendee.Use"/>).
/// </summary>
public sealed record GradingTask(int Exercise, Type TestClass, MethodInfo Method, object?[] Arguments)
{
    /// <summary>E.g. <c>2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(expired)</c>.</summary>
    public string Id => Arguments.Length == 0
        ? $"{Exercise}:{Method.Name}"
        : $"{Exercise}:{Method.Name}({string.Join(", ", Arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)))})";

    /// <summary>Every task of every exercise, found the way xunit finds them.</summary>
    public static IReadOnlyList<GradingTask> All { get; } = Discover();

    /// <summary>The ids of every task, for theory data.</summary>
    public static TheoryData<string> Ids => new(All.Select(t => t.Id));

    /// <summary>The task with this id.</summary>
    public static GradingTask Find(string id) =>
        All.SingleOrDefault(t => t.Id == id) ?? throw new KeyNotFoundException($"No grading task '{id}'. Known: {string.Join(", ", All.Select(t => t.Id))}");

    /// <summary>The tasks of one exercise whose method name starts with <paramref name="methodPrefix"/>.</summary>
    public static IReadOnlyList<GradingTask> Where(int exercise, string methodPrefix) =>
        All.Where(t => t.Exercise == exercise && t.Method.Name.StartsWith(methodPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>Runs the test method as the test framework would; its exception (a GradingFailure, a skip) comes out unwrapped.</summary>
    public async Task RunAsync(GradingLab lab)
    {
        var constructor = TestClass.GetConstructors().Single();
        var instance = constructor.Invoke(constructor.GetParameters().Length == 0 ? [] : [lab]);
        object? result;
        try
        {
            result = Method.Invoke(instance, Arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        if (result is Task task)
        {
            await task;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Id;

    private static List<GradingTask> Discover()
    {
        var tasks = new List<GradingTask>();
        foreach (var type in typeof(Attendee).Assembly.GetTypes().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var trait = type.GetCustomAttributes<TraitAttribute>().FirstOrDefault(t => t.Name == "exercise");
            if (trait is null)
            {
                continue;
            }

            var exercise = int.Parse(trait.Value, CultureInfo.InvariantCulture);
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(m => m.MetadataToken))
            {
                if (method.GetCustomAttribute<TheoryAttribute>() is not null)
                {
                    foreach (var row in Rows(type, method))
                    {
                        tasks.Add(new GradingTask(exercise, type, method, row));
                    }
                }
                else if (method.GetCustomAttribute<FactAttribute>() is not null)
                {
                    tasks.Add(new GradingTask(exercise, type, method, []));
                }
            }
        }

        return tasks;
    }

    private static IEnumerable<object?[]> Rows(Type type, MethodInfo method)
    {
        foreach (var inline in method.GetCustomAttributes<InlineDataAttribute>())
        {
            yield return inline.Data;
        }

        foreach (var member in method.GetCustomAttributes<MemberDataAttribute>())
        {
            var property = type.GetProperty(member.MemberName, BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{type.Name}.{member.MemberName} is not a public static property.");
            foreach (var row in (System.Collections.IEnumerable)property.GetValue(null)!)
            {
                yield return row switch
                {
                    ITheoryDataRow data => data.GetData(),
                    object?[] values => values,
                    _ => throw new InvalidOperationException($"Unexpected theory row {row?.GetType().Name} in {type.Name}.{member.MemberName}."),
                };
            }
        }
    }
}
