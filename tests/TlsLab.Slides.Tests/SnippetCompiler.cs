using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Slides.Tests;

/// <summary>What compiling one piece of slide or demo code found.</summary>
/// <param name="Errors">Diagnostics that stop the code: compiler errors, and CA1416 (an error in this kit).</param>
/// <param name="Warnings">Compiler warnings (errors in this kit, unless the slide marks the code as wrong).</param>
/// <param name="PlatformCheck">Whether the platform analyzer (CA1416) ran, or why not.</param>
public sealed record CompileResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string PlatformCheck);

/// <summary>
/// Compiles slide snippets and demo programs with Roslyn against the framework and TlsLab, the way
/// the kit builds its own code: C# latest, nullable on, and the platform analyzer (CA1416) as an error.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>
    /// Namespaces every slide may use without a using directive: a console project's implicit usings
    /// plus the TLS namespaces the deck is about. A block may still declare its own usings.
    /// </summary>
    public static readonly string[] SlideUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading",
        "System.Threading.Tasks", "System.Net", "System.Net.Security", "System.Net.Sockets", "System.Security.Authentication",
        "System.Security.Cryptography.X509Certificates", "TlsLab.Zoo", "TlsLab.Client", "TlsLab.Diagnostics",
        "TlsLab.Pki",
    ];

    /// <summary>
    /// Names a slide may use without declaring them, because the slides before it set them up:
    /// <c>lab</c> (a running Lab), <c>good</c> (lab["good"]), <c>tls</c> (an authenticated SslStream),
    /// <c>serverOptions</c> (the server's options). A block that declares its own shadows them.
    /// </summary>
    public const string SlideAmbient = """
        global using static SlideAmbient;

        internal static class SlideAmbient
        {
            public static TlsLab.Zoo.Lab lab = null!;
            public static TlsLab.Zoo.LabEndpoint good = null!;
            public static System.Net.Security.SslStream tls = null!;
            public static System.Net.Security.SslServerAuthenticationOptions serverOptions = null!;
        }
        """;

    // Warnings a slide may trigger without being wrong: a short snippet declares things it does not use.
    private static readonly Dictionary<string, ReportDiagnostic> SlideWarningsIgnored = new()
    {
        ["CS0168"] = ReportDiagnostic.Suppress, // variable declared but never used
        ["CS0219"] = ReportDiagnostic.Suppress, // variable assigned but its value never used
        ["CS8321"] = ReportDiagnostic.Suppress, // local function declared but never used
        ["CS1701"] = ReportDiagnostic.Suppress, // assembly unification, as the SDK's NoWarn
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    // The SDK's TLS security rules, on for the lessons and demos as for the exercises (the root .editorconfig's
    // [{notebooks,slides}/**.cs] section): a slide that shows one on purpose is marked wrong.
    private static readonly string[] SecurityRules =
        ["CA5359", "CA5397", "CA5399", "CA5400", "CA5364", "CA5386", "CA5361", "CA5378", "CA5350", "CA5351", "CA5384", "CA5385", "CA5358"];

    private static readonly Lazy<(ImmutableArray<MetadataReference> References, string? RefPack)> Framework = new(LoadReferences);
    private static readonly Lazy<(ImmutableArray<DiagnosticAnalyzer> Analyzers, string Status)> PlatformAnalyzer = new(LoadPlatformAnalyzer);

    /// <summary>Compiles a slide's block: statements (top-level style), or declarations, with the slide usings and names.</summary>
    /// <param name="code">The block's code.</param>
    /// <param name="source">Where the block is, for messages (e.g. <c>deck.md</c>); null to count lines from the block.</param>
    /// <param name="firstLine">The line in <paramref name="source"/> of the block's first line.</param>
    public static CompileResult CompileSlide(string code, string? source = null, int firstLine = 1) =>
        Compile(code, SlideUsings, SlideAmbient, SlideWarningsIgnored, source, firstLine);

    private static CompileResult Compile(string code, string[] usings, string? ambient, Dictionary<string, ReportDiagnostic> ignored, string? source,
        int firstLine)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var snippet = CSharpSyntaxTree.ParseText(code, parse, path: "slide.cs");
        var prelude = string.Join('\n', usings.Select(u => $"global using {u};")) + "\n" + (ambient ?? string.Empty);
        var preludeTree = CSharpSyntaxTree.ParseText(prelude, parse, path: "prelude.cs");
        var hasStatements = snippet.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

        var options = new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(ignored.Append(new("CA1416", ReportDiagnostic.Error))
                .Concat(SecurityRules.Select(id => new KeyValuePair<string, ReportDiagnostic>(id, ReportDiagnostic.Warn))));
        var compilation = CSharpCompilation.Create("SlideCode", [preludeTree, snippet], Framework.Value.References, options);

        var diagnostics = compilation.GetDiagnostics().ToList();
        var (analyzers, status) = PlatformAnalyzer.Value;
        if (!analyzers.IsEmpty && !diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            var withAnalyzers = compilation.WithAnalyzers(analyzers, new AnalyzerOptions([], new BuildProperties()));
            diagnostics.AddRange(withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
        }

        var shown = diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning && !d.IsSuppressed)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
        return new CompileResult(
            shown.Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "CA1416").Select(d => Format(d, source, firstLine)).ToArray(),
            shown.Where(d => d.Severity == DiagnosticSeverity.Warning && d.Id != "CA1416").Select(d => Format(d, source, firstLine)).ToArray(),
            status);
    }

    private static string Format(Diagnostic d, string? source, int firstLine)
    {
        var span = d.Location.GetLineSpan();
        var line = span.StartLinePosition.Line + 1;
        var column = span.StartLinePosition.Character + 1;
        var where = !d.Location.IsInSource || span.Path != "slide.cs" ? string.Empty
            : source is null ? $"line {line}, col {column}: "
            : $"{source} line {firstLine + line - 1} (line {line} of the block), col {column}: ";
        return $"{where}{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    // The framework as the SDK compiles against it: the reference assemblies of the targeting pack
    // (Microsoft.NETCore.App.Ref). They carry the platform attributes a project sees ("not on
    // Windows"); the runtime's own assemblies are built per platform and say "Linux only" on Linux.
    // Without a targeting pack: the trusted platform assemblies of the running tests, and no CA1416.
    private static (ImmutableArray<MetadataReference> References, string? RefPack) LoadReferences()
    {
        var tlsLab = typeof(Lab).Assembly.Location;
        if (FindReferencePack("Microsoft.NETCore.App.Ref") is { } refPack)
        {
            // ASP.NET Core (Kestrel, IHttpClientFactory) ships with the SDK too; the deck's "At work" slides and the Kestrel demo use it.
            var aspNetCore = FindReferencePack("Microsoft.AspNetCore.App.Ref") is { } webPack ? Directory.GetFiles(webPack, "*.dll") : [];
            return ([.. Directory.GetFiles(refPack, "*.dll").Concat(aspNetCore).Append(tlsLab).Select(p => MetadataReference.CreateFromFile(p))], refPack);
        }

        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var framework = tpa.Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.OrdinalIgnoreCase));
        return ([.. framework.Append(tlsLab).Distinct(StringComparer.OrdinalIgnoreCase).Select(p => MetadataReference.CreateFromFile(p))], null);
    }

    private static IEnumerable<string> DotnetRoots()
    {
        // The runtime lives in DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION.
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return new[] { Environment.GetEnvironmentVariable("DOTNET_ROOT"), Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..")) }
            .Where(r => !string.IsNullOrEmpty(r) && Directory.Exists(r))
            .Select(r => r!)
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static Version VersionOf(string directory) =>
        Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var v) ? v : new Version(0, 0);

    private static string? FindReferencePack(string pack)
    {
        var major = Environment.Version.Major;
        return DotnetRoots()
            .Select(r => Path.Combine(r, "packs", pack))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Where(d => VersionOf(d).Major == major)
            .OrderByDescending(VersionOf)
            .Select(d => Path.Combine(d, "ref", $"net{major}.0"))
            .FirstOrDefault(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.dll").Any());
    }

    // CA1416 comes from the .NET SDK's own analyzers (Microsoft.CodeAnalysis.NetAnalyzers.dll), the
    // same ones that check the kit's projects. If this machine's SDK cannot be found or its analyzers
    // need a newer compiler than the tests carry, slide code is still compiled, and the result says so.
    private static (ImmutableArray<DiagnosticAnalyzer>, string) LoadPlatformAnalyzer()
    {
        if (Framework.Value.RefPack is null)
        {
            return ([], "CA1416 not checked: no targeting pack (packs/Microsoft.NETCore.App.Ref) was found next to the running .NET, and the " +
                "runtime's own assemblies carry this platform's attributes, not a project's");
        }

        if (!TryFindSdkAnalyzers(out var path, out var why))
        {
            return ([], $"CA1416 not checked: {why}");
        }

        try
        {
            var assembly = Assembly.LoadFrom(path);
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                // The same assembly holds code fixes, which need Roslyn's Workspaces; the analyzers do not.
                types = [.. e.Types.OfType<Type>()];
            }

            var analyzers = types
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                    && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .Where(a => a.SupportedDiagnostics.Any(d => d.Id == "CA1416" || SecurityRules.Contains(d.Id)))
                .ToImmutableArray();
            return analyzers.IsEmpty
                ? ([], $"CA1416 not checked: no platform analyzer in {path}")
                : (analyzers, $"CA1416 and the TLS security rules checked with {path}");
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileLoadException or FileNotFoundException or BadImageFormatException
            or TypeLoadException)
        {
            return ([], $"CA1416 not checked: could not load {path} ({e.GetType().Name}: {e.Message})");
        }
    }

    private static bool TryFindSdkAnalyzers([NotNullWhen(true)] out string? path, out string why)
    {
        path = DotnetRoots()
            .Select(r => Path.Combine(r, "sdk"))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .OrderByDescending(VersionOf)
            .Select(d => Path.Combine(d, "Sdks", "Microsoft.NET.Sdk", "analyzers", "Microsoft.CodeAnalysis.NetAnalyzers.dll"))
            .FirstOrDefault(File.Exists);
        why = path is null ? "no .NET SDK with Microsoft.CodeAnalysis.NetAnalyzers.dll was found next to the running .NET" : string.Empty;
        return path is not null;
    }

    // What MSBuild tells the platform analyzer about a net10.0 project that runs everywhere.
    private sealed class BuildProperties : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Global = new(new Dictionary<string, string>
        {
            ["build_property.TargetFramework"] = "net10.0",
            ["build_property.TargetFrameworkIdentifier"] = ".NETCoreApp",
            ["build_property.TargetFrameworkVersion"] = "v10.0",
            ["build_property._SupportedPlatformList"] = "Linux,macOS,Windows",
            ["dotnet_diagnostic.CA1416.severity"] = "error",
        });

        public override AnalyzerConfigOptions GlobalOptions => Global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
