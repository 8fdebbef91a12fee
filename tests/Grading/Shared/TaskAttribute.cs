using Xunit.v3;

namespace TlsLab.Grading;

/// <summary>
/// The numbered item of the exercise's README that this test method grades: one task, one test method (a
/// theory's rows are checks inside it). <c>tlslab grade</c> counts and orders tasks by it, and
/// <c>dotnet test --filter-trait task=N</c> runs one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TaskAttribute(int number) : Attribute, ITraitAttribute
{
    /// <summary>The item's number in the README's "What the tests check".</summary>
    public int Number { get; } = number;

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() =>
        [new("task", Number.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
