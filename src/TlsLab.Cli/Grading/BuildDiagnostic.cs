using System.Globalization;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading;

/// <summary>One compiler error or warning, located in the attendee's files when it is in an exercise folder.</summary>
/// <param name="File">The file as the compiler named it (a full path).</param>
/// <param name="ShownFile">The file as the attendee sees it, relative to the repository root: <c>exercises/02-validate/ValidatingClient.cs</c>.</param>
/// <param name="Line">The line, 1-based.</param>
/// <param name="Column">The column, 1-based.</param>
/// <param name="IsError">An error (the build failed) rather than a warning.</param>
/// <param name="Code">The diagnostic id, e.g. <c>CS1002</c>.</param>
/// <param name="Text">The compiler's words, e.g. <c>; expected</c>.</param>
/// <param name="Exercise">The exercise whose folder holds <paramref name="File"/>, or null when it is elsewhere.</param>
public sealed record BuildDiagnostic(string File, string ShownFile, int Line, int Column, bool IsError, string Code, string Text, int? Exercise)
{
    /// <summary>The line to show, in the compiler's own format: <c>exercises/02-validate/ValidatingClient.cs(12,5): error CS1002: ; expected</c>.</summary>
    public string Display => $"{ShownFile}({Line.ToString(CultureInfo.InvariantCulture)},{Column.ToString(CultureInfo.InvariantCulture)}): " +
        $"{(IsError ? "error" : "warning")} {Code}: {Text}";

    /// <summary>
    /// One diagnostic, from the in-process compiler, shown relative to
    /// <paramref name="repositoryRoot"/> and mapped to its exercise folder under <paramref name="exercisesFolder"/>.
    /// </summary>
    public static BuildDiagnostic Create(string file, int line, int column, bool isError, string code, string text, string exercisesFolder,
        string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(file);
        var exercises = Path.GetFullPath(exercisesFolder);
        var root = Path.GetFullPath(repositoryRoot);
        var full = Path.IsPathRooted(file) ? Path.GetFullPath(file) : file;
        var shown = Path.IsPathRooted(full) && IsUnder(full, root) ? Path.GetRelativePath(root, full).Replace('\\', '/') : file;
        return new BuildDiagnostic(full, shown, line, column, isError, code, text, ExerciseOf(full, exercises));
    }

    // exercises/NN-name/... is the attendee's exercise NN; exercises/Tests/ and anything else is not.
    private static int? ExerciseOf(string file, string exercisesFolder)
    {
        for (var number = 1; number <= ExerciseCatalog.Count; number++)
        {
            if (IsUnder(file, Path.Combine(exercisesFolder, ExerciseCatalog.Folder(number))))
            {
                return number;
            }
        }

        return null;
    }

    private static bool IsUnder(string file, string folder) =>
        file.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar,
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

}
