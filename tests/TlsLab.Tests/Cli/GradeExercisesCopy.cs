using TlsLab.Cli.Grading;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// A copy of the kit's exercises/ in a temporary folder (tlslab's own <see cref="ExercisesCopy"/>), so
/// that a test can break an attendee's file without touching the real one.
/// </summary>
internal sealed class GradeExercisesCopy : IDisposable
{
    private readonly ExercisesCopy _copy;

    private GradeExercisesCopy(ExercisesCopy copy) => _copy = copy;

    public string Exercises => _copy.Exercises;

    public string TestProject => _copy.TestProject;

    /// <summary>The kit's exercises/ folder, found above this test assembly.</summary>
    public static string ExercisesFolder()
    {
        var project = Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory), ExerciseCatalog.TestProject);
        Assert.True(File.Exists(project), $"{project} is missing from the checkout the tests run in.");
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, ".."));
    }

    public static GradeExercisesCopy Create() => new(ExercisesCopy.Create(Path.GetFullPath(Path.Combine(ExercisesFolder(), ".."))));

    /// <summary>Rewrites <paramref name="relativePath"/> under the copy's exercises/.</summary>
    public void Edit(string relativePath, Func<string, string> change) => _copy.Edit(relativePath, change);

    public void Dispose() => _copy.Dispose();

    /// <summary>Copies a folder of the kit, leaving out build output and the kit's scratch folder.</summary>
    internal static void CopyTree(string from, string to) => ExercisesCopy.CopyTree(from, to);
}
