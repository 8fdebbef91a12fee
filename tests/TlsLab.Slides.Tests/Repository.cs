using TlsLab.Workshop;

namespace TlsLab.Slides.Tests;

/// <summary>Finds the repository the tests were built from (the folder holding TlsLab.slnx).</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository's root folder.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path under the repository root.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    // The kit's one search (src/TlsLab/Workshop/RepositoryRoot.cs, compiled in), so every part of the kit agrees on the root.
    private static string FindRoot() => RepositoryRoot.Find(AppContext.BaseDirectory);
}
