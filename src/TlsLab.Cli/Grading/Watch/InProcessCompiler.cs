using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>Two assemblies, compiled in memory: the attendee's exercises and the graders that test them.</summary>
/// <param name="Exercises">TlsLab.Exercises, as dotnet build would make it.</param>
/// <param name="Graders">TlsLab.Exercises.Tests: the grading tests, compiled against <paramref name="Exercises"/>.</param>
internal sealed record CompiledExercises(byte[] Exercises, byte[] Graders);

/// <summary>What one compile gave: the assemblies (when everything compiled) and every diagnostic, located in the attendee's files.</summary>
/// <param name="Assemblies">The two assemblies, or null when something did not compile.</param>
/// <param name="Diagnostics">Errors and warnings, each once.</param>
internal sealed record CompileOutcome(CompiledExercises? Assemblies, IReadOnlyList<BuildDiagnostic> Diagnostics);

/// <summary>
/// Compiles exercises/ and its grading tests with Roslyn, in-process, against the references MSBuild
/// resolved (see <see cref="ProjectInputs"/>): what <c>dotnet build</c> of exercises/Tests would do, in a
/// fraction of the time, because the compiler and every reference stay loaded between saves.
/// </summary>
internal sealed class InProcessCompiler
{
    private readonly ProjectInputs _exercises;
    private readonly ProjectInputs _graders;
    private readonly string _exercisesFolder;
    private readonly string _repositoryRoot;
    private readonly ImmutableArray<MetadataReference> _exerciseReferences;
    private readonly ImmutableArray<MetadataReference> _graderReferences;

    // The security analyzers (grade fails an exercise with a finding): run on the exercises, never on the graders.
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;

    // The graders change only when the kit changes: parsed once.
    private readonly ImmutableArray<SyntaxTree> _graderTrees;

    // The graders see only the exercises' public surface: while a save leaves it alone (the usual case: a method body
    // changed), the graders compiled last time are still right, and compiling 4,000 lines again is most of a save's cost.
    private (byte[] Surface, byte[] Graders)? _last;

    // The same, between runs of tlslab grade: compiling the graders is most of a plain grade's start.
    private readonly CompiledGradersCache _gradersOnDisk;

    public InProcessCompiler(ProjectInputs exercises, ProjectInputs graders, string repositoryRoot)
    {
        _exercises = exercises;
        _graders = graders;
        _repositoryRoot = Path.GetFullPath(repositoryRoot);
        _exercisesFolder = Path.GetDirectoryName(exercises.Project)!;
        _exerciseReferences = [.. exercises.References.Select(Reference)];
        _analyzers = SecurityAnalyzers.Load(exercises.Analyzers);

        // The graders compile against the exercises assembly this compiler makes, not the one dotnet build left in obj/.
        _graderReferences = [.. graders.References.Where(r => !SameAssembly(r, exercises.AssemblyName)).Select(Reference)];
        _graderTrees = [.. graders.Sources.Select(file => Parse(file, File.ReadAllText(file), graders)), GlobalUsings(graders)];
        _gradersOnDisk = new CompiledGradersCache(Path.Combine(Path.GetDirectoryName(graders.Project)!, "obj", "tlslab-graders"),
            _graderTrees.Select(t => t.FilePath + "\n" + t.GetText()).Concat(graders.References.Select(r => r + "|" + File.GetLastWriteTimeUtc(r).Ticks)));
    }

    /// <summary>
    /// The exercise folders' files as they are now, those of the exercises <paramref name="standIns"/> replaced by
    /// their <see cref="StandIn"/> (declarations only), so that one exercise that does not compile leaves the others gradable.
    /// </summary>
    public CompileOutcome Compile(IReadOnlyCollection<int> standIns)
    {
        var trees = new List<SyntaxTree> { GlobalUsings(_exercises) };
        var replaced = standIns.Select(n => Path.Combine(_exercisesFolder, ExerciseCatalog.Folder(n)) + Path.DirectorySeparatorChar).ToList();
        foreach (var file in ExerciseSources())
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                // An editor that saves by replacing the file leaves a moment with no file: the next change event compiles again.
                continue;
            }

            var tree = Parse(file, text, _exercises);
            trees.Add(replaced.Any(d => file.StartsWith(d, StringComparison.Ordinal)) ? StandIn.Of(tree) : tree);
        }

        var exercises = CSharpCompilation.Create(_exercises.AssemblyName, trees, _exerciseReferences, Options(_exercises)
            .WithSpecificDiagnosticOptions(Options(_exercises).SpecificDiagnosticOptions.SetItems(
                SecurityRules.BuiltInIds.Select(id => KeyValuePair.Create(id, ReportDiagnostic.Warn)))));
        var diagnostics = new List<BuildDiagnostic>();
        var (image, surface) = Emit(exercises, diagnostics, withSurface: true);
        if (image is null)
        {
            return new CompileOutcome(null, diagnostics);
        }

        // Stand-ins have no code, so nothing for the security analyzers to find.
        if (standIns.Count < ExerciseCatalog.Count)
        {
            Analyze(exercises, diagnostics);
        }

        if (_last is { } last && last.Surface.AsSpan().SequenceEqual(surface))
        {
            return new CompileOutcome(new CompiledExercises(image, last.Graders), diagnostics);
        }

        var gradersImage = _gradersOnDisk.Find(surface!) ?? CompileGraders(surface!, diagnostics);
        _last = gradersImage is null ? null : (surface!, gradersImage);
        return new CompileOutcome(gradersImage is null ? null : new CompiledExercises(image, gradersImage), diagnostics);
    }

    private byte[]? CompileGraders(byte[] surface, List<BuildDiagnostic> diagnostics)
    {
        var graders = CSharpCompilation.Create(_graders.AssemblyName, _graderTrees, [.. _graderReferences, MetadataReference.CreateFromImage(surface)],
            Options(_graders));
        var (image, _) = Emit(graders, diagnostics, withSurface: false);
        if (image is not null)
        {
            _gradersOnDisk.Keep(surface, image);
        }

        return image;
    }

    // What Exercises.csproj compiles: every .cs under exercises/ but Tests/, bin/, obj/ and try-my-server.cs (its DefaultItemExcludes).
    private IEnumerable<string> ExerciseSources()
    {
        var skip = new[] { "Tests", "bin", "obj" }.Select(d => Path.Combine(_exercisesFolder, d) + Path.DirectorySeparatorChar).ToList();
        return Directory.EnumerateFiles(_exercisesFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !skip.Any(d => f.StartsWith(d, StringComparison.Ordinal)))
            .Where(f => f != Path.Combine(_exercisesFolder, "try-my-server.cs"))
            .Order(StringComparer.Ordinal);
    }

    // Only the security analyzers, as dotnet build of exercises/ runs them: their findings fail the exercise they are in.
    private void Analyze(CSharpCompilation compilation, List<BuildDiagnostic> into)
    {
        if (_analyzers.IsEmpty)
        {
            return;
        }

        var found = compilation.WithAnalyzers(_analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
            concurrentAnalysis: true, logAnalyzerExecutionTime: false)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Add(found.Where(d => !d.IsSuppressed && SecurityRules.IsSecurity(d.Id)), compilation, into);
    }

    // The assembly, and with withSurface its reference assembly (public surface only, byte-for-byte stable: deterministic).
    private (byte[]? Image, byte[]? Surface) Emit(CSharpCompilation compilation, List<BuildDiagnostic> into, bool withSurface)
    {
        using var stream = new MemoryStream();
        using var surface = withSurface ? new MemoryStream() : null;
        var result = compilation.Emit(stream, metadataPEStream: surface);
        Add(result.Diagnostics, compilation, into);
        return result.Success ? (stream.ToArray(), surface?.ToArray()) : (null, null);
    }

    private void Add(IEnumerable<Diagnostic> found, CSharpCompilation compilation, List<BuildDiagnostic> into)
    {
        foreach (var diagnostic in found.Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning))
        {
            var span = diagnostic.Location.GetMappedLineSpan();
            // A diagnostic about the compilation as a whole (a missing reference) has no file: name the assembly.
            var file = string.IsNullOrEmpty(span.Path) ? compilation.AssemblyName ?? "?" : span.Path;
            var located = BuildDiagnostic.Create(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
                diagnostic.Severity == DiagnosticSeverity.Error, diagnostic.Id, diagnostic.GetMessage(CultureInfo.CurrentUICulture), _exercisesFolder,
                _repositoryRoot);
            if (!into.Any(d => d.Display == located.Display))
            {
                into.Add(located);
            }
        }
    }

    private static SyntaxTree Parse(string file, string text, ProjectInputs project) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, System.Text.Encoding.UTF8), ParseOptions(project), file);

    private static SyntaxTree GlobalUsings(ProjectInputs project) =>
        CSharpSyntaxTree.ParseText(string.Concat(project.Usings.Select(u => $"global using global::{u};\n")), ParseOptions(project),
            Path.Combine(Path.GetDirectoryName(project.Project)!, "obj", $"{Path.GetFileNameWithoutExtension(project.Project)}.GlobalUsings.g.cs"));

    private static CSharpParseOptions ParseOptions(ProjectInputs project) => new(
        LanguageVersionFacts.TryParse(project.LanguageVersion, out var version) ? version : LanguageVersion.Latest,
        preprocessorSymbols: project.Defines);

    private static CSharpCompilationOptions Options(ProjectInputs project) => new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(project.NullableEnabled ? NullableContextOptions.Enable : NullableContextOptions.Disable)
        .WithWarningLevel(project.WarningLevel)
        .WithSpecificDiagnosticOptions(project.NoWarn.Select(id => KeyValuePair.Create(id, ReportDiagnostic.Suppress)))
        .WithOptimizationLevel(OptimizationLevel.Debug)
        .WithDeterministic(true)
        .WithConcurrentBuild(true);

    private static PortableExecutableReference Reference(string path) => MetadataReference.CreateFromFile(path);

    private static bool SameAssembly(string path, string assemblyName) =>
        Path.GetFileNameWithoutExtension(path).Equals(assemblyName, StringComparison.OrdinalIgnoreCase);
}
