using System.Text.RegularExpressions;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Tests;

/// <summary>
/// The public surface of TlsLab is deliberate: every public type is in the table of src/README.md
/// (what a learner uses it for, where it is introduced), and the table names nothing that is gone.
/// </summary>
public sealed partial class PublicSurfaceTests
{
    [Fact]
    public void Every_public_type_is_in_the_surface_table_and_the_table_only_names_public_types()
    {
        var exported = typeof(Lab).Assembly.GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var readme = File.ReadAllText(Path.Combine(ExerciseGrader.FindRepositoryRoot()
            ?? throw new InvalidOperationException("TlsLab.slnx not found above the test's folder."), "src", "README.md"));
        var listed = TableRow().Matches(readme).Select(m => m.Groups["type"].Value).ToHashSet(StringComparer.Ordinal);

        TestContext.Current.TestOutputHelper?.WriteLine($"{exported.Count} public types: {string.Join(", ", exported)}");
        var unlisted = exported.Where(t => !listed.Contains(t)).ToList();
        var gone = listed.Where(t => !exported.Contains(t)).ToList();
        Assert.True(unlisted.Count == 0,
            $"Public in TlsLab but not in the surface table of src/README.md: {string.Join(", ", unlisted)}. Add a row (what a learner uses it for, " +
                "the lesson that introduces it), or make the type internal.");
        Assert.True(gone.Count == 0,
            $"The surface table of src/README.md names types that are not public in TlsLab: {string.Join(", ", gone)}. Remove their rows.");
    }

    [GeneratedRegex(@"^\| `(?<type>[A-Za-z0-9]+)` \| TlsLab", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
