using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// The analyzers behind the security findings, for the in-process compile of <c>grade --watch</c>: the kit's own
/// (TlsLab.Analyzers) and those of the SDK's that report a rule exercises/.editorconfig turns on. Loaded once from the
/// assemblies MSBuild names for exercises/; every other analyzer is left out (the plain <c>grade</c> shows their warnings).
/// </summary>
internal static class SecurityAnalyzers
{
    private static readonly string[] Assemblies = ["TlsLab.Analyzers.dll", "Microsoft.CodeAnalysis.NetAnalyzers.dll",
        "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"];

    /// <summary>The kit's analyzer assembly among <paramref name="analyzerPaths"/>, or null when the project names none.</summary>
    public static string? KitAssembly(IEnumerable<string> analyzerPaths) =>
        analyzerPaths.FirstOrDefault(p => Path.GetFileName(p).Equals(Assemblies[0], StringComparison.OrdinalIgnoreCase));

    public static ImmutableArray<DiagnosticAnalyzer> Load(IEnumerable<string> analyzerPaths)
    {
        var loader = new Loader();
        var wanted = analyzerPaths.Where(p => Assemblies.Contains(Path.GetFileName(p), StringComparer.OrdinalIgnoreCase) && File.Exists(p)).ToList();
        foreach (var path in wanted)
        {
            loader.AddDependencyLocation(path);
        }

        return
        [
            .. wanted.SelectMany(path => new AnalyzerFileReference(path, loader).GetAnalyzers(LanguageNames.CSharp))
                .Where(a => a.SupportedDiagnostics.Any(d => SecurityRules.IsSecurity(d.Id))),
        ];
    }

    // The compiler's own assemblies are already loaded; an analyzer assembly loads beside them, once.
    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}
