using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// MSBuild's answer about a project (<see cref="ProjectInputs"/>), kept in the project's obj/ folder: asking
/// MSBuild costs seconds, and the answer changes only when the kit does (a project or props file, the restored
/// packages, or which source files exist), which is what the answer is stored with and checked against.
/// </summary>
internal static class ProjectInputsCache
{
    private const string FileName = "tlslab-grade-inputs.json";

    /// <summary>The stored answer for <paramref name="project"/> if the kit has not changed since, else MSBuild's, stored for next time.</summary>
    public static async Task<ProjectInputs> ReadAsync(string project, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(project))!;
        var path = Path.Combine(folder, "obj", FileName);
        var stored = TryLoad(path);
        if (stored is not null && stored.Fingerprint == Fingerprint(stored.Inputs))
        {
            return stored.Inputs;
        }

        var inputs = await ProjectInputs.ReadAsync(project, cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new Stored(Fingerprint(inputs), inputs)), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a cache: the next grading asks MSBuild again.
        }

        return inputs;
    }

    /// <summary>Forgets the stored answer (after a build that changed what the project compiles against).</summary>
    public static void Forget(string project)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project))!, "obj", FileName);
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Then the fingerprint still tells a stale answer from a good one.
        }
    }

    private static Stored? TryLoad(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Stored>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    // What the answer depends on: the project, the props files above it, the restore's result, each reference's date, and the
    // C# files under the folders its sources come from (a grader added or removed changes the list).
    private static string Fingerprint(ProjectInputs inputs)
    {
        var folder = Path.GetDirectoryName(inputs.Project)!;
        var text = new StringBuilder();
        void Add(string file) => text.Append(file).Append('|').Append(File.Exists(file)
            ? File.GetLastWriteTimeUtc(file).Ticks.ToString(CultureInfo.InvariantCulture) + "|" + new FileInfo(file).Length.ToString(CultureInfo.InvariantCulture)
            : "-").Append('\n');

        Add(inputs.Project);
        Add(Path.Combine(folder, "obj", "project.assets.json"));
        for (var up = new DirectoryInfo(folder); up is not null; up = up.Parent)
        {
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
            {
                Add(Path.Combine(up.FullName, name));
            }
        }

        foreach (var reference in inputs.References.Concat(inputs.Analyzers))
        {
            Add(reference);
        }

        foreach (var root in SourceRoots(inputs.Sources))
        {
            // A folder added beside a root (a new exercise's tests/Grading/NN-name/) shows in the root's parent.
            foreach (var entry in Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(root) ?? root).Order(StringComparer.Ordinal))
            {
                text.Append(entry).Append('\n');
            }

            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal))
            {
                text.Append(file).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // The top folders of the sources (tests/Grading for the graders, plus the one linked catalogue file's folder).
    private static IEnumerable<string> SourceRoots(IReadOnlyList<string> sources)
    {
        var folders = sources.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var roots = new List<string>();
        foreach (var folder in folders)
        {
            if (!roots.Any(r => folder.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal) || folder == r))
            {
                roots.Add(folder);
            }
        }

        return roots.Where(Directory.Exists);
    }

    private sealed record Stored(string Fingerprint, ProjectInputs Inputs);
}
