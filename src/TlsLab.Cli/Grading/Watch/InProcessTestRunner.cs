using System.Reflection;
using System.Runtime.ExceptionServices;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// Runs an exercise's grading tests in-process, the way xunit does for these tests: each <c>[Fact]</c>
/// once and each <c>[Theory]</c> once per data row (xunit's own data attributes expand them), a fresh
/// instance of the test class per test, the class's fixture (the grading lab) handed to its constructor,
/// one test after another in declaration order. A failure's message is xunit's, built by xunit's own
/// <see cref="ExceptionUtility"/>, so it reads as in <c>dotnet test</c>.
/// </summary>
/// <remarks>
/// Hand-written: xunit.v3's runner libraries (XunitFrontController) start the test project as a process of its own,
/// and the in-process path of xunit.v3.core (InProcessFrontController over XunitTestFramework) builds the assembly
/// fixture itself, so the lab kept warm between saves (GradingLab.Borrowing) could not be handed in and every save
/// would start a lab; xunit's data attributes called outside its pipeline return no rows (see <see cref="MemberRows"/>).
/// Only what the grading tests use is supported: a constructor that takes the fixture, facts, theories with
/// data attributes, <c>Skip</c> and <c>Assert.Skip</c>. Anything else is reported as a failed task that names
/// what is missing, never silently passed.
/// </remarks>
internal sealed class InProcessTestRunner(object fixture, TimeSpan perTest)
{
    private const string DynamicSkipToken = "$XunitDynamicSkip$";

    /// <summary>Every grading test of the exercises <paramref name="selected"/> in <paramref name="graders"/>, with its result.</summary>
    public async Task<IReadOnlyList<TaskResult>> RunAsync(Assembly graders, IReadOnlyCollection<int> selected, CancellationToken cancellationToken)
    {
        var classes = graders.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && GradeReport.ExerciseOf(t.FullName ?? string.Empty) is { } n && selected.Contains(n))
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes().OfType<IFactAttribute>().Any()))
            .ToList();

        // Exercises are independent (xunit, too, runs each test class as a collection of its own, in parallel with the others).
        var perClass = await Task.WhenAll(classes.Select(async c => AsTasks(c, await RunClassAsync(c, cancellationToken))));
        return [.. perClass.SelectMany(r => r)];
    }

    // A task is a test method: its theory rows are checks inside it, and the task fails with the first row that fails,
    // which its message names. Its number is the method's [Task(N)], the item of the README it grades.
    private static IEnumerable<TaskResult> AsTasks(Type type, List<TaskResult> rows) =>
        rows.GroupBy(r => r.Method).Select(checks =>
        {
            var task = new TaskResult(type.FullName!, $"{type.FullName}.{checks.Key}", TaskOutcome.Passed, null, checks.Key,
                TaskNumber(type.GetMethod(checks.Key!)));
            if (checks.FirstOrDefault(r => r.Outcome == TaskOutcome.Failed) is { } failed)
            {
                return task with { Outcome = TaskOutcome.Failed, Message = checks.Count() > 1 ? NameTheRow(failed.Message, failed.Name) : failed.Message };
            }

            return checks.All(r => r.Outcome == TaskOutcome.Skipped) ? task with { Outcome = TaskOutcome.Skipped, Message = checks.First().Message } : task;
        });

    private static string NameTheRow(string? message, string row)
    {
        var lines = (message ?? string.Empty).Split('\n', 2);
        return $"{lines[0].TrimEnd('\r')}\nThe failing check: {row}." + (lines.Length > 1 ? "\n" + lines[1] : string.Empty);
    }

    // [Task(N)] is declared by the graders (tests/Grading/Shared), loaded in the grading context: read by name.
    private static int? TaskNumber(MethodInfo? method) =>
        method?.GetCustomAttributes().FirstOrDefault(a => a.GetType().Name == "TaskAttribute") is { } task
            && task.GetType().GetProperty("Number")?.GetValue(task) is int number
            ? number
            : null;

    private async Task<List<TaskResult>> RunClassAsync(Type type, CancellationToken cancellationToken)
    {
        var results = new List<TaskResult>();
        var className = type.FullName!;
        foreach (var method in type.GetMethods().Where(m => m.DeclaringType == type).OrderBy(m => m.MetadataToken))
        {
            if (method.GetCustomAttributes().OfType<IFactAttribute>().FirstOrDefault() is not { } fact)
            {
                continue;
            }

            var name = $"{className}.{method.Name}";
            if (fact.Skip is { Length: > 0 } skip)
            {
                results.Add(new TaskResult(className, name, TaskOutcome.Skipped, skip, method.Name));
                continue;
            }

            if (fact.SkipUnless is not null || fact.SkipWhen is not null || fact.Explicit || fact.Timeout > 0)
            {
                results.Add(new TaskResult(className, name, TaskOutcome.Failed, $"{name} uses a test setting (SkipUnless, SkipWhen, Explicit or " +
                    "Timeout) that tlslab grade does not run; run dotnet test on exercises/Tests.", method.Name));
                continue;
            }

            if (fact is not ITheoryAttribute)
            {
                results.Add(await RunAsync(type, method, name, [], cancellationToken));
                continue;
            }

            var rows = new List<ITheoryDataRow>();
            var tracker = new DisposalTracker();
            try
            {
                foreach (var data in method.GetCustomAttributes().OfType<IDataAttribute>())
                {
                    rows.AddRange(data is MemberDataAttribute member ? MemberRows(method, member) : await data.GetData(method, tracker));
                }
            }
            catch (Exception e)
            {
                results.Add(Failed(className, name, method.Name, e));
                continue;
            }
            finally
            {
                await tracker.DisposeAsync();
            }

            foreach (var row in rows)
            {
                var arguments = row.GetData();
                var caseName = row.TestDisplayName ?? $"{name}({string.Join(", ", method.GetParameters().Zip(arguments,
                    (p, a) => $"{p.Name}: {ArgumentFormatter.Format(a)}"))})";
                results.Add(row.Skip is { Length: > 0 } rowSkip
                    ? new TaskResult(className, caseName, TaskOutcome.Skipped, rowSkip, method.Name)
                    : await RunAsync(type, method, caseName, arguments, cancellationToken));
            }
        }

        return results;
    }

    private async Task<TaskResult> RunAsync(Type type, MethodInfo method, string name, object?[] arguments, CancellationToken cancellationToken)
    {
        var className = type.FullName!;
        object? instance = null;
        try
        {
            instance = method.IsStatic ? null : Create(type);

            // Off the caller's thread, with a deadline: a task that never returns must not freeze the watcher.
            var run = Task.Run(async () =>
            {
                switch (Invoke(method, instance, arguments))
                {
                    case Task task:
                        await task;
                        break;
                    case ValueTask valueTask:
                        await valueTask;
                        break;
                }
            }, cancellationToken);
            await run.WaitAsync(perTest, cancellationToken);
            return new TaskResult(className, name, TaskOutcome.Passed, null, method.Name);
        }
        catch (TimeoutException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TaskResult(className, name, TaskOutcome.Failed, $"{method.Name} did not finish within {perTest.TotalSeconds:0} s " +
                "(is something waiting forever?). tlslab grade went on without it.", method.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(className, name, method.Name, e);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    // The static property, field or method a [MemberData] names, read directly. (xunit's own MemberDataAttribute.GetData returns
    // no rows when it is called outside xunit's test pipeline.)
    private static IEnumerable<ITheoryDataRow> MemberRows(MethodInfo method, MemberDataAttribute member)
    {
        var type = member.MemberType ?? method.DeclaringType!;
        const BindingFlags anyStatic = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var value = type.GetProperty(member.MemberName, anyStatic)?.GetValue(null)
            ?? type.GetField(member.MemberName, anyStatic)?.GetValue(null)
            ?? type.GetMethod(member.MemberName, anyStatic)?.Invoke(null, member.Arguments)
            ?? throw new InvalidOperationException($"[MemberData(\"{member.MemberName}\")] names no static member of {type.Name} that has data.");
        foreach (var item in (System.Collections.IEnumerable)value)
        {
            yield return item switch
            {
                ITheoryDataRow row => row,
                object?[] array => new TheoryDataRow(array),
                _ => throw new InvalidOperationException($"{type.Name}.{member.MemberName} yields a {item?.GetType().Name ?? "null"}, not a row."),
            };
        }
    }

    private object Create(Type type)
    {
        var constructor = type.GetConstructors().Single();
        var arguments = constructor.GetParameters().Select(p => p.ParameterType.IsInstanceOfType(fixture)
            ? fixture
            : throw new NotSupportedException($"{type.Name}'s constructor takes a {p.ParameterType.Name}, which tlslab grade cannot " +
                "supply; run dotnet test on exercises/Tests.")).ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? Invoke(MethodInfo method, object? instance, object?[] arguments)
    {
        try
        {
            return method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static TaskResult Failed(string className, string name, string method, Exception exception)
    {
        if (exception.Message.StartsWith(DynamicSkipToken, StringComparison.Ordinal))
        {
            return new TaskResult(className, name, TaskOutcome.Skipped, exception.Message[DynamicSkipToken.Length..], method);
        }

        var (types, messages, stackTraces, parents, _) = ExceptionUtility.ExtractMetadata(exception);
        return new TaskResult(className, name, TaskOutcome.Failed, ExceptionUtility.CombineMessages(new ErrorMetadata(types, messages, stackTraces,
            parents)), method);
    }

    private sealed record ErrorMetadata(string?[] ExceptionTypes, string[] Messages, string?[] StackTraces, int[] ExceptionParentIndices)
        : IErrorMetadata;
}
