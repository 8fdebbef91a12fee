namespace TlsLab.Slides.Tests;

/// <summary>Finds the repository the tests were built from, by walking up to TlsLab.slnx.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository's root folder.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path under the repository root.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "TlsLab.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Could not find TlsLab.slnx above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
