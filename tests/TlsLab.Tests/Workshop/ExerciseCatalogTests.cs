using TlsLab.Workshop;

namespace TlsLab.Tests.Workshop;

/// <summary>
/// The exercise list in src/TlsLab/Workshop/ExerciseCatalog.cs (tlslab grade, the graders' messages)
/// and the folders on disk agree: every exercise folder has an entry, every entry has its folder,
/// stubs, README, hints, solution, placeholders and lesson. (The task counts are checked against the
/// graders themselves in tests/TlsLab.Grading.Solutions.Tests.)
/// </summary>
public sealed class ExerciseCatalogTests
{
    private const string CatalogFile = "src/TlsLab/Workshop/ExerciseCatalog.cs";

    private static readonly string Root = RepositoryRoot.Find(AppContext.BaseDirectory);

    public static TheoryData<int> Numbers => new(ExerciseCatalog.All.Select(e => e.Number));

    [Fact]
    public void Every_exercise_folder_has_a_catalogue_entry()
    {
        var folders = Directory.GetDirectories(Path.Combine(Root, "exercises"))
            .Select(d => Path.GetFileName(d)!)
            .Where(name => name is not ("Tests" or "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var unlisted = folders.Where(f => !ExerciseCatalog.Folders.Contains(f, StringComparer.Ordinal)).ToList();
        Assert.True(unlisted.Count == 0,
            $"exercises/ has {string.Join(", ", unlisted)} but {CatalogFile} does not list it, so tlslab grade and the graders' messages " +
            "do not know it: add an entry (number, folder, title, lesson, tasks, stubs).");
        Assert.Equal(ExerciseCatalog.Folders, folders);
    }

    [Fact]
    public void The_exercises_are_numbered_1_to_N_and_their_folders_start_with_their_number()
    {
        Assert.Equal(Enumerable.Range(1, ExerciseCatalog.Count), ExerciseCatalog.All.Select(e => e.Number));
        Assert.All(ExerciseCatalog.All, e => Assert.True(e.Folder.StartsWith($"{e.Number:00}-", StringComparison.Ordinal),
            $"Exercise {e.Number}'s folder '{e.Folder}' should start with '{e.Number:00}-' ({CatalogFile})."));
        Assert.Equal(ExerciseCatalog.Count, ExerciseCatalog.All.Select(e => e.Folder).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Every_entry_has_its_folder_stubs_readme_hints_and_lesson(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var folder = Path.Combine(Root, "exercises", entry.Folder);

        Assert.True(Directory.Exists(folder), $"{CatalogFile} lists exercise {number} in exercises/{entry.Folder}/, which does not exist.");
        Assert.True(File.Exists(Path.Combine(Root, entry.Readme)), $"Exercise {number} has no {entry.Readme}.");
        Assert.True(File.Exists(Path.Combine(Root, entry.Hints)), $"Exercise {number} has no {entry.Hints}.");
        Assert.True(File.Exists(Path.Combine(Root, entry.Notebook)), $"Exercise {number}'s lesson {entry.Notebook} does not exist.");
        Assert.Equal(entry.Stubs.Order(StringComparer.Ordinal), CSharpFiles(folder));
        Assert.True(entry.Tasks > 0, $"Exercise {number} has no grading tasks in {CatalogFile}.");
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Every_entry_has_a_solution_and_a_placeholder_with_the_same_files_as_its_stubs(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var solution = Path.Combine(Root, entry.Solution);
        var placeholder = Path.Combine(Root, "exercises", "Tests", "Placeholders", entry.Folder);

        Assert.True(Directory.Exists(solution), $"Exercise {number} has no reference answer in {entry.Solution}/.");
        Assert.True(Directory.Exists(placeholder),
            $"Exercise {number} has no placeholder in exercises/Tests/Placeholders/{entry.Folder}/ (tlslab grade needs it).");
        Assert.True(CSharpFiles(solution).SequenceEqual(entry.Stubs.Order(StringComparer.Ordinal)),
            $"{entry.Solution}/ holds [{string.Join(", ", CSharpFiles(solution))}]; the stubs are [{string.Join(", ", entry.Stubs)}].");
        Assert.True(CSharpFiles(placeholder).SequenceEqual(entry.Stubs.Order(StringComparer.Ordinal)),
            $"exercises/Tests/Placeholders/{entry.Folder}/ holds [{string.Join(", ", CSharpFiles(placeholder))}]; " +
            $"the stubs are [{string.Join(", ", entry.Stubs)}].");
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void The_title_is_the_one_the_readmes_use(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var heading = File.ReadLines(Path.Combine(Root, entry.Readme)).First();
        var row = $"| {number} | [`{entry.Folder}`]({entry.Folder}/) |";
        var table = File.ReadLines(Path.Combine(Root, "exercises", "README.md")).SingleOrDefault(l => l.StartsWith(row, StringComparison.Ordinal));

        Assert.Equal($"# Exercise {number}: {entry.Title}", heading);
        Assert.True(table is not null, $"exercises/README.md has no table row starting '{row}'.");
        Assert.EndsWith($"| `{entry.Notebook}` |", table, StringComparison.Ordinal);
    }

    private static List<string> CSharpFiles(string folder) =>
        [.. Directory.GetFiles(folder, "*.cs").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
}
