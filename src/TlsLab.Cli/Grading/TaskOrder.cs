using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TlsLab.Cli.Grading;

/// <summary>
/// Where each grading test stands in its exercise: its position among the test methods of its class,
/// in the order the source declares them. Exercise tests are declared one task per test, in the
/// order of the "What the tests check" list in the exercise's README, so this is the task's number.
/// </summary>
/// <remarks>
/// The TRX report lists results in the order they finished, which parallel test execution shuffles,
/// and it carries no xunit traits. The compiler, however, emits methods into the assembly's metadata
/// in declaration order, and the report names the assembly: so the order is read from there.
/// </remarks>
public sealed class TaskOrder
{
    private readonly Dictionary<(string Class, string Method), int> _positions;

    /// <summary>An order from known positions (tests build one by hand).</summary>
    public TaskOrder(IEnumerable<KeyValuePair<(string Class, string Method), int>> positions) =>
        _positions = new Dictionary<(string, string), int>(positions ?? throw new ArgumentNullException(nameof(positions)));

    /// <summary>No known positions: tasks are then ordered by name alone.</summary>
    public static TaskOrder None { get; } = new([]);

    /// <summary>
    /// The declaration order of every method in the test assemblies named by <paramref name="results"/>.
    /// An assembly that is missing or unreadable adds nothing (its tasks fall back to name order).
    /// </summary>
    public static TaskOrder Of(IEnumerable<TaskResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var positions = new Dictionary<(string, string), int>();
        foreach (var assembly in results.Select(r => r.Assembly).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            foreach (var (key, position) in Read(assembly))
            {
                positions.TryAdd(key, position);
            }
        }

        return new TaskOrder(positions);
    }

    /// <summary>The declaration order of every method in an assembly compiled in memory (<c>grade --watch</c>).</summary>
    public static TaskOrder Of(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = new MemoryStream(image, writable: false);
        var positions = new Dictionary<(string, string), int>();
        foreach (var (key, position) in Read(stream))
        {
            positions.TryAdd(key, position);
        }

        return new TaskOrder(positions);
    }

    /// <summary>The position (0 first) of <paramref name="method"/> in <paramref name="className"/>, or null when unknown.</summary>
    public int? Position(string className, string? method) =>
        method is not null && _positions.TryGetValue((className, method), out var position) ? position : null;

    private static IEnumerable<KeyValuePair<(string Class, string Method), int>> Read(string assembly)
    {
        try
        {
            using var stream = File.OpenRead(assembly);
            return Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the assembly the summary still works, ordered by name: not worth failing a grading for.
            return [];
        }
    }

    private static List<KeyValuePair<(string Class, string Method), int>> Read(Stream stream)
    {
        var positions = new List<KeyValuePair<(string, string), int>>();
        try
        {
            using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
            if (!pe.HasMetadata)
            {
                return positions;
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                if (type.GetDeclaringType().IsNil is false)
                {
                    continue;
                }

                var name = metadata.GetString(type.Namespace) is { Length: > 0 } ns ? $"{ns}.{metadata.GetString(type.Name)}" : metadata.GetString(type.Name);
                var position = 0;
                foreach (var method in type.GetMethods())
                {
                    // An overload keeps the position of the first declaration, which is the one a test name means.
                    positions.Add(new((name, metadata.GetString(metadata.GetMethodDefinition(method).Name)), position++));
                }
            }
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            // An unreadable assembly: the summary still works, ordered by name.
        }

        return positions;
    }
}
