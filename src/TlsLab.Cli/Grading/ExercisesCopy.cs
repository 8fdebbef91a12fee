using Microsoft.CodeAnalysis.CSharp;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading;

/// <summary>
/// A pristine copy of exercises/ in a temporary folder, with what it needs to build (the build props, the
/// grading tests' sources) and its reference to src/TlsLab pointed back at the
/// kit's: where <c>tlslab bench --grade</c> and the kit's tests grade and edit exercises without touching
/// the checkout's. Pristine whatever the attendee wrote in the checkout: each exercise's files are
/// stand-ins made from solutions/ (the same declarations, every body throwing NotImplementedException).
/// </summary>
internal sealed class ExercisesCopy : IDisposable
{
    private readonly DirectoryInfo _root;

    private ExercisesCopy(DirectoryInfo root) => _root = root;

    /// <summary>The copy's root, standing in for the checkout's.</summary>
    public string Root => _root.FullName;

    /// <summary>The copy's exercises/ folder.</summary>
    public string Exercises => Path.Combine(_root.FullName, "exercises");

    /// <summary>The copy's grading test project.</summary>
    public string TestProject => Path.Combine(_root.FullName, ExerciseCatalog.TestProject);

    /// <summary>Copies the exercises of the checkout at <paramref name="kit"/>.</summary>
    /// <exception cref="InvalidOperationException">The checkout is not laid out as the kit expects.</exception>
    public static ExercisesCopy Create(string kit)
    {
        var exercises = Path.Combine(kit, "exercises");
        var project = Path.Combine(exercises, "Exercises.csproj");
        var text = File.Exists(project) ? File.ReadAllText(project) : string.Empty;
        const string reference = @"..\src\TlsLab\TlsLab.csproj";
        if (!text.Contains(reference, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{project} is missing or no longer references {reference}.");
        }

        var root = Directory.CreateTempSubdirectory("tlslab-grade-copy-");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Where(f => File.Exists(Path.Combine(kit, f))))
        {
            File.Copy(Path.Combine(kit, file), Path.Combine(root.FullName, file));
        }

        CopyTree(exercises, Path.Combine(root.FullName, "exercises"));
        foreach (var entry in ExerciseCatalog.All)
        {
            WriteStandIns(Path.Combine(kit, entry.Solution), Path.Combine(root.FullName, "exercises", entry.Folder));
        }

        CopyTree(Path.Combine(kit, "tests", "Grading"), Path.Combine(root.FullName, "tests", "Grading"));

        // Its references to the kit's projects (TlsLab, the analyzers) point back at the kit's src/.
        var source = Path.Combine(kit, "src") + Path.DirectorySeparatorChar;
        File.WriteAllText(Path.Combine(root.FullName, "exercises", "Exercises.csproj"), text.Replace(@"..\src\", source, StringComparison.Ordinal));
        return new ExercisesCopy(root);
    }

    /// <summary>Rewrites <paramref name="relativePath"/> under the copy's exercises/.</summary>
    public void Edit(string relativePath, Func<string, string> change)
    {
        ArgumentNullException.ThrowIfNull(change);
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

    /// <summary>An exercise as shipped, not as the attendee left it: the stand-ins of its reference answer.</summary>
    private static void WriteStandIns(string solution, string exercise)
    {
        foreach (var file in Directory.EnumerateFiles(exercise, "*.cs", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        foreach (var file in Directory.EnumerateFiles(solution, "*.cs"))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file));
            File.WriteAllText(Path.Combine(exercise, Path.GetFileName(file)), StandIn.Of(tree, NotWrittenYet(Path.GetFileName(exercise))).ToString());
        }
    }

    private static string NotWrittenYet(string folder) =>
        $"Not written yet: see exercises/{folder}/README.md and exercises/{folder}/HINTS.md";

    /// <summary>Copies a folder of the kit, leaving out build output and the kit's scratch folder.</summary>
    public static void CopyTree(string from, string to)
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
