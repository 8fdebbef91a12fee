using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// A copy of exercises/ in a temporary folder, with what it needs to build (the build props, the
/// grading tests' sources, the exercise list) and its reference to src/TlsLab pointed back at the
/// kit's, so that a test can break an attendee's file without touching the real one.
/// </summary>
internal sealed class GradeExercisesCopy : IDisposable
{
    private readonly DirectoryInfo _root;

    private GradeExercisesCopy(DirectoryInfo root) => _root = root;

    public string Exercises => Path.Combine(_root.FullName, "exercises");

    public string TestProject => Path.Combine(Exercises, "Tests", "Exercises.Tests.csproj");

    /// <summary>The kit's exercises/ folder, found above this test assembly.</summary>
    public static string ExercisesFolder()
    {
        var project = Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory), ExerciseCatalog.TestProject);
        Assert.True(File.Exists(project), $"{project} is missing from the checkout the tests run in.");
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, ".."));
    }

    public static GradeExercisesCopy Create()
    {
        var exercises = ExercisesFolder();
        var kit = Path.GetFullPath(Path.Combine(exercises, ".."));
        var root = Directory.CreateTempSubdirectory("tlslab-grade-copy-");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(kit, file), Path.Combine(root.FullName, file));
        }

        CopyTree(exercises, Path.Combine(root.FullName, "exercises"));
        CopyTree(Path.Combine(kit, "tests", "Grading"), Path.Combine(root.FullName, "tests", "Grading"));

        // The one exercise list, which exercises/Tests compiles from src/TlsLab/Workshop/.
        var catalog = Path.Combine("src", "TlsLab", "Workshop", "ExerciseCatalog.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root.FullName, catalog))!);
        File.Copy(Path.Combine(kit, catalog), Path.Combine(root.FullName, catalog));

        var project = Path.Combine(root.FullName, "exercises", "Exercises.csproj");
        var library = Path.Combine(kit, "src", "TlsLab", "TlsLab.csproj");
        var text = File.ReadAllText(project);
        const string reference = @"..\src\TlsLab\TlsLab.csproj";
        Assert.Contains(reference, text, StringComparison.Ordinal);
        File.WriteAllText(project, text.Replace(reference, library, StringComparison.Ordinal));
        return new GradeExercisesCopy(root);
    }

    /// <summary>Rewrites <paramref name="relativePath"/> under the copy's exercises/.</summary>
    public void Edit(string relativePath, Func<string, string> change)
    {
        var path = Path.Combine(Exercises, relativePath);
        File.WriteAllText(path, change(File.ReadAllText(path)));
    }

    public void Dispose()
    {
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }

    /// <summary>Copies a folder of the kit, leaving out build output and the kit's scratch folder.</summary>
    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj" or ".tlslab"))
            {
                CopyTree(directory, Path.Combine(to, name));
            }
        }
    }
}
