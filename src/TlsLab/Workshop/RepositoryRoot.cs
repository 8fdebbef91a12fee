namespace TlsLab.Workshop;

// The one search for the kit's root folder. TlsLab compiles it (TlslabGrade, tlslab grade and
// TlsLab.Tests use it); tools/NotebookTwins and tests/TlsLab.Slides.Tests compile this same file as
// their own copy (a reference to TlsLab would put a second TlsLab.dll next to the notebook tests'
// kernel). It must therefore stand alone: nothing beyond the BCL.

/// <summary>Finds the workshop repository: the nearest folder upwards that holds <see cref="Marker"/>.</summary>
internal static class RepositoryRoot
{
    /// <summary>The file that marks the root: the kit's solution.</summary>
    public const string Marker = "TlsLab.slnx";

    /// <summary>
    /// The root above the first of <paramref name="starts"/> that has one; with no starts, above the
    /// current folder, then the running program's folder, then this assembly's (a notebook kernel
    /// runs elsewhere, but loads TlsLab.dll from the checkout). Null when there is none.
    /// </summary>
    public static string? TryFind(params string?[] starts)
    {
        foreach (var start in (starts.Length > 0 ? starts : DefaultStarts()).Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var directory = new DirectoryInfo(Path.GetFullPath(start!)); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, Marker)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>As <see cref="TryFind"/>, but throws, saying what to do, when there is no root.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the starts holds <see cref="Marker"/>.</exception>
    public static string Find(params string?[] starts) =>
        TryFind(starts) ?? throw new DirectoryNotFoundException(NotFound(starts));

    /// <summary>What to say when the search finds nothing: where it looked and what to do.</summary>
    public static string NotFound(params string?[] starts)
    {
        var looked = string.Join(", ", (starts.Length > 0 ? starts : DefaultStarts()).Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal));
        return $"Cannot find the workshop repository (the folder holding {Marker}) in or above {looked}. " +
            "Run this from inside your checkout of the kit: a terminal in the cloned folder (or any folder in it), " +
            "a lesson opened from its notebooks/ folder.";
    }

    private static string?[] DefaultStarts() =>
        [Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(RepositoryRoot).Assembly.Location)];
}
