using System.Text.RegularExpressions;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Tests.Scenarios;

// The README's zoo table is read as text and compared with the catalogue: every scenario has its row,
// so a new scenario cannot ship undocumented.
public sealed partial class ZooReadmeTests
{
    private static readonly string Root = RepositoryRoot.Find(AppContext.BaseDirectory);

    [Fact]
    public void The_readme_zoo_table_has_a_row_for_every_scenario()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var start = readme.IndexOf("| scenario | a correct client", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no zoo table ('| scenario | a correct client ...').");
        var table = readme[start..].Split("\n\n", 2)[0];
        var rows = Row().Matches(table).Select(m => m.Groups[1].Value).ToList();

        var missing = ScenarioCatalog.Names.Except(rows).ToList();
        Assert.True(missing.Count == 0, $"README.md's zoo table has no row for: {string.Join(", ", missing)}. Add one under '## The zoo'.");
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
