using System.Globalization;
using System.Text.Json;
using TlsLab.Cli.Setup;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// What MSBuild would hand the compiler for one project: its source files, the assemblies it compiles
/// against, its global usings and its compiler settings. Read once from MSBuild itself (an evaluation
/// and reference resolution, no build), so that the in-process compile of <c>grade --watch</c> uses
/// exactly the references and settings of <c>dotnet build</c>.
/// </summary>
/// <param name="Project">The project file.</param>
/// <param name="AssemblyName">The assembly it builds, e.g. <c>TlsLab.Exercises</c>.</param>
/// <param name="Sources">
/// Its C# files that exist on disk (generated ones under obj/ are left out: the usings are rebuilt from <paramref name="Usings"/>).
/// </param>
/// <param name="References">The assemblies it compiles against (reference assemblies where MSBuild uses them).</param>
/// <param name="Usings">Its implicit global usings.</param>
/// <param name="LanguageVersion">LangVersion, e.g. <c>latest</c>.</param>
/// <param name="NullableEnabled">Nullable=enable.</param>
/// <param name="Defines">DefineConstants.</param>
/// <param name="NoWarn">Warnings the project silences.</param>
/// <param name="WarningLevel">WarningLevel (the warning wave).</param>
/// <param name="OutputFolder">Where dotnet build puts the project's output (the runtime copies of its package references).</param>
/// <param name="Analyzers">The analyzer assemblies it compiles with (the SDK's, the kit's security analyzers for exercises/).</param>
internal sealed record ProjectInputs(string Project, string AssemblyName, IReadOnlyList<string> Sources, IReadOnlyList<string> References,
    IReadOnlyList<string> Usings, string LanguageVersion, bool NullableEnabled, IReadOnlyList<string> Defines, IReadOnlyList<string> NoWarn,
    int WarningLevel, string OutputFolder, IReadOnlyList<string> Analyzers)
{
    private static readonly string[] Properties =
        ["AssemblyName", "LangVersion", "Nullable", "DefineConstants", "NoWarn", "WarningLevel", "TargetPath"];

    /// <summary>
    /// Asks MSBuild for <paramref name="project"/>'s inputs (restoring it first, as a build would); throws
    /// <see cref="InvalidOperationException"/> with MSBuild's words when it cannot.
    /// </summary>
    public static async Task<ProjectInputs> ReadAsync(string project, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "msbuild", project, "-nologo", "-restore",
            // Reference resolution without building the referenced projects: their outputs are only named here.
            "-t:FindReferenceAssembliesForReferences", "-p:BuildProjectReferences=false",
            "-getItem:ReferencePathWithRefAssemblies", "-getItem:Compile", "-getItem:Using", "-getItem:Analyzer",
        };
        arguments.AddRange(Properties.Select(p => "-getProperty:" + p));
        var folder = Path.GetDirectoryName(Path.GetFullPath(project))!;
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(DotnetCommand.StartInfo(folder, arguments), TimeSpan.FromMinutes(2),
            cancellationToken);
        var start = stdout.IndexOf('{', StringComparison.Ordinal);
        if (exit != 0 || start < 0)
        {
            var said = string.Join(' ', (stdout + "\n" + stderr).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3));
            throw new InvalidOperationException($"MSBuild could not read {Path.GetFileName(project)} (exit code {exit}). {said.Trim()}");
        }

        var json = stdout[start..];
        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.GetProperty("Properties");
        var items = document.RootElement.GetProperty("Items");
        string Property(string name) => properties.TryGetProperty(name, out var value) ? value.GetString() ?? string.Empty : string.Empty;
        IEnumerable<string> Item(string name) => items.TryGetProperty(name, out var list)
            ? list.EnumerateArray().Select(i => i.GetProperty("FullPath").GetString() ?? i.GetProperty("Identity").GetString()!)
            : [];
        static string[] List(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var obj = Path.Combine(folder, "obj") + Path.DirectorySeparatorChar;
        return new ProjectInputs(
            Path.GetFullPath(project),
            Property("AssemblyName"),
            [.. Item("Compile").Where(f => !f.StartsWith(obj, StringComparison.Ordinal) && File.Exists(f))],
            [.. Item("ReferencePathWithRefAssemblies")],
            [.. items.GetProperty("Using").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!)],
            Property("LangVersion"),
            Property("Nullable").Equals("enable", StringComparison.OrdinalIgnoreCase),
            List(Property("DefineConstants")),
            List(Property("NoWarn")),
            int.TryParse(Property("WarningLevel"), NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 4,
            Path.GetDirectoryName(Property("TargetPath")) ?? folder,
            [.. Item("Analyzer")]);
    }
}
