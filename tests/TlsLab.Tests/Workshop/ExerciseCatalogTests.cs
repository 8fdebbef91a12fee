using System.Globalization;
using System.Text.RegularExpressions;
using TlsLab.Workshop;

namespace TlsLab.Tests.Workshop;

/// <summary>
/// The exercise list in src/TlsLab/Workshop/ExerciseCatalog.cs (tlslab grade, the graders' messages)
/// and the folders on disk agree: every exercise folder has an entry, every entry has all its parts
/// (stubs, README, hints, lesson, solution, grading folder), and its README's numbered tasks, its test
/// methods' [Task(N)] and the catalogue's count are the same tasks (see CONTRIBUTING.md, "Adding an exercise").
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
    public void Every_entry_has_a_solution_with_the_same_files_as_its_stubs(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var solution = Path.Combine(Root, entry.Solution);

        Assert.True(Directory.Exists(solution), $"Exercise {number} has no reference answer in {entry.Solution}/.");
        Assert.True(CSharpFiles(solution).SequenceEqual(entry.Stubs.Order(StringComparer.Ordinal)),
            $"{entry.Solution}/ holds [{string.Join(", ", CSharpFiles(solution))}]; the stubs are [{string.Join(", ", entry.Stubs)}].");
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Every_entry_has_its_grading_folder_named_by_its_stem(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var stem = Stem(entry.Folder);
        var grading = Path.Combine(Root, "tests", "Grading", entry.Folder);
        string[] parts = [$"Exercise{number:00}{stem}Tests.cs", $"{stem}Grader.cs", $"{stem}Api.cs", "WrongAnswers.cs"];

        var missing = parts.Where(p => !File.Exists(Path.Combine(grading, p))).ToList();
        Assert.True(missing.Count == 0, $"tests/Grading/{entry.Folder}/ lacks {string.Join(", ", missing)}: an exercise's grading folder holds its " +
            "tests, its grader, its API record and its known wrong answers, named by the stem of its folder (see CONTRIBUTING.md).");
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void The_README_tasks_the_test_methods_and_the_catalogue_count_agree(int number)
    {
        var entry = ExerciseCatalog.Get(number);
        var tests = File.ReadAllText(Path.Combine(Root, "tests", "Grading", entry.Folder, $"Exercise{number:00}{Stem(entry.Folder)}Tests.cs"));
        var readmeTasks = ReadmeTasks(Path.Combine(Root, entry.Readme));
        var methods = Regex.Matches(tests, @"^\s*\[(Fact|Theory)\b", RegexOptions.Multiline).Count;
        var numbers = Regex.Matches(tests, @"\[Task\((\d+)\)\]").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();

        Assert.True(readmeTasks.SequenceEqual(Enumerable.Range(1, readmeTasks.Count)),
            $"{entry.Readme}'s \"What the tests check\" should number its tasks 1, 2, 3...; it has [{string.Join(", ", readmeTasks)}].");
        Assert.True(numbers.SequenceEqual(Enumerable.Range(1, readmeTasks.Count)),
            $"The test methods of tests/Grading/{entry.Folder}/ should carry [Task(1)] to [Task({readmeTasks.Count})], one each, like the README's " +
            $"tasks; they carry [{string.Join(", ", numbers)}].");
        Assert.True(methods == numbers.Count, $"tests/Grading/{entry.Folder}/ has {methods} test methods and {numbers.Count} [Task(N)]: " +
            "every test method is one task of the README.");
        Assert.True(entry.Tasks == readmeTasks.Count, $"{CatalogFile} gives exercise {number} {entry.Tasks} tasks; its README has " +
            $"{readmeTasks.Count}. Update the catalogue.");
    }

    // "02-validate" -> "Validate", "07-mutual-tls" -> "MutualTls".
    private static string Stem(string folder) =>
        string.Concat(folder.Split('-').Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    // The numbers of the items of the README's "What the tests check" list, in order.
    private static List<int> ReadmeTasks(string readme)
    {
        var section = File.ReadAllText(readme).Split("\n## ").FirstOrDefault(s => s.StartsWith("What the tests check", StringComparison.Ordinal)) ?? string.Empty;
        return [.. Regex.Matches(section, @"^(\d+)\. ", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
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
