namespace TlsLab.Cli.Grading;

/// <summary>The exercises <c>tlslab grade</c> knows, by number; the folder names match exercises/.</summary>
public static class ExerciseCatalog
{
    /// <summary>Exercise folders in order: exercise N is <c>Folders[N - 1]</c>.</summary>
    public static IReadOnlyList<string> Folders { get; } =
    [
        "01-plain-socket",
        "02-validate",
        "03-protocol-floor",
        "04-hostname",
        "05-server",
        "06-ciphers",
    ];

    /// <summary>The number of exercises.</summary>
    public static int Count => Folders.Count;

    /// <summary>The folder of exercise <paramref name="number"/>, e.g. <c>02-validate</c>.</summary>
    public static string Folder(int number) => Folders[number - 1];

    /// <summary>Where the attendee's grading test project lives, relative to the repository root.</summary>
    public static string TestProject { get; } = Path.Combine("exercises", "Tests", "Exercises.Tests.csproj");

    /// <summary>
    /// Finds the exercises test project by walking up from <paramref name="start"/>, or returns null.
    /// </summary>
    public static string? FindTestProject(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, TestProject);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
