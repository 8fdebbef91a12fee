using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TlsLab.Analyzers.Tests;

/// <summary>One finding of the kit's analyzers in the kit's own files.</summary>
/// <param name="Id">TLS001...</param>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">1-based.</param>
/// <param name="Message">The analyzer's sentence.</param>
/// <param name="Labelled">
/// The line, one of the 12 above it, or the comment that opens its top-level statement says WRONG WAY: a demo of the mistake, on purpose.
/// </param>
/// <param name="Type">The top-level type it is in, when there is one.</param>
internal sealed record KitFinding(string Id, string File, int Line, string Message, bool Labelled, string? Type)
{
    public override string ToString() => $"{File}:{Line}: {Id} {Message}";
}

/// <summary>Runs every kit analyzer over files of the checkout, compiled against TlsLab and the running .NET, as the kit builds them.</summary>
internal static partial class KitScan
{
    public static readonly string Root = TlsLab.Workshop.RepositoryRoot.Find(AppContext.BaseDirectory);

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        new RevocationAnalyzer(), new VerificationFlagsAnalyzer(), new CustomTrustAnalyzer(), new ValidationCallbackAnalyzer(),
        new AcceptAnyCertificateAnalyzer(), new PinAnalyzer(), new CipherSuiteAnalyzer(), new BindAddressAnalyzer(), new PrivateKeyFileAnalyzer(),
    ];

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [
            .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => MetadataReference.CreateFromFile(p)),
            MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "TlsLab.dll")),
        ]);

    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    // The slides may use these without a using directive (tests/TlsLab.Slides.Tests/SnippetCompiler.cs).
    private static readonly string[] SlideUsings =
    [
        .. ImplicitUsings, "System.Net", "System.Net.Security", "System.Net.Sockets", "System.Security.Authentication",
        "System.Security.Cryptography.X509Certificates", "TlsLab.Zoo", "TlsLab.Client", "TlsLab.Diagnostics", "TlsLab.Pki",
    ];

    /// <summary>Files of a folder compiled together as one library (solutions/, exercises/).</summary>
    public static Task<IReadOnlyList<KitFinding>> LibraryAsync(IEnumerable<string> files) =>
        ScanAsync([.. files.Select(f => Parse(f, File.ReadAllText(f)))], OutputKind.DynamicallyLinkedLibrary, ImplicitUsings);

    /// <summary>As <see cref="LibraryAsync(IEnumerable{string})"/>, with other analyzers and rule settings (the SDK's security rules).</summary>
    public static Task<IReadOnlyList<KitFinding>> LibraryAsync(IEnumerable<string> files, ImmutableArray<DiagnosticAnalyzer> analyzers,
        IEnumerable<string> turnedOn) =>
        ScanAsync([.. files.Select(f => Parse(f, File.ReadAllText(f)))], OutputKind.DynamicallyLinkedLibrary, ImplicitUsings, analyzers, turnedOn);

    /// <summary>One file-based program (a lesson twin, a slide demo): its #: directives are the SDK's, not C#.</summary>
    public static Task<IReadOnlyList<KitFinding>> ProgramAsync(string file)
    {
        var text = Directive().Replace(File.ReadAllText(file), "//");
        return ScanAsync([Parse(file, text)], OutputKind.ConsoleApplication, ImplicitUsings);
    }

    /// <summary>Every C# block of the deck, each compiled on its own with the slides' usings.</summary>
    public static async Task<IReadOnlyList<KitFinding>> DeckAsync(string deck)
    {
        var findings = new List<KitFinding>();
        var lines = File.ReadAllLines(deck);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!CSharpFence().IsMatch(lines[i]))
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            // Blank lines keep the block's lines where they are in the deck, so a finding names the deck's line.
            var text = string.Concat(Enumerable.Repeat("\n", start)) + string.Join("\n", lines[start..end]);
            findings.AddRange(await ScanAsync([Parse(deck, text)], OutputKind.ConsoleApplication, SlideUsings));
            i = end;
        }

        return findings;
    }

    private static SyntaxTree Parse(string file, string text) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), Path.GetFullPath(file));

    private static async Task<IReadOnlyList<KitFinding>> ScanAsync(SyntaxTree[] trees, OutputKind kind, IEnumerable<string> usings,
        ImmutableArray<DiagnosticAnalyzer>? analyzers = null, IEnumerable<string>? turnedOn = null)
    {
        var globalUsings = CSharpSyntaxTree.ParseText(string.Concat(usings.Distinct().Select(u => $"global using global::{u};\n")),
            new CSharpParseOptions(LanguageVersion.Preview), Path.Combine(Root, "obj", "GlobalUsings.g.cs"));
        var compilation = CSharpCompilation.Create("KitScan", [globalUsings, .. trees], References.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: (turnedOn ?? []).Select(id => KeyValuePair.Create(id, ReportDiagnostic.Warn))));
        var diagnostics = await compilation.WithAnalyzers(analyzers ?? Analyzers).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.Where(d => !d.IsSuppressed).Select(d => Describe(d))];
    }

    private static KitFinding Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var tree = diagnostic.Location.SourceTree!;
        var lines = tree.GetText().Lines;
        var line = span.StartLinePosition.Line;
        // Labelled: WRONG on the line or in the 12 above it, or in the comment that opens the top-level statement or member it is in
        // (a list of wrong-way clients under one label).
        var node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        var top = node.AncestorsAndSelf().LastOrDefault(a => a.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax
            or Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax);
        var labelled = Enumerable.Range(Math.Max(0, line - 12), Math.Min(13, line + 1))
            .Any(l => lines[l].ToString().Contains("WRONG", StringComparison.Ordinal))
            || top?.GetLeadingTrivia().ToFullString().Contains("WRONG", StringComparison.Ordinal) == true;
        var type = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>().LastOrDefault()?.Identifier.ValueText;
        return new KitFinding(diagnostic.Id, Path.GetRelativePath(Root, span.Path).Replace('\\', '/'), line + 1, diagnostic.GetMessage(), labelled,
            type);
    }

    [GeneratedRegex("^#:", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^```(csharp|cs|c#)\b")]
    private static partial Regex CSharpFence();
}
