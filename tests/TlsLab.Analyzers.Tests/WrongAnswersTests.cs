using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TlsLab.Analyzers.Tests;

/// <summary>
/// The kit's known wrong answers (tests/Grading/NN-name/WrongAnswers.cs) that are insecure on the page are flagged
/// by the rule written for them, before any test runs. Writes the count per rule to wrong-answers-by-rule.md next to the tests.
/// </summary>
public sealed class WrongAnswersTests
{
    private static readonly string Grading = Path.Combine(KitScan.Root, "tests", "Grading");

    // Rules on in exercises/.editorconfig (the SDK's own).
    private static readonly string[] BuiltIn =
        ["CA5359", "CA5397", "CA5399", "CA5400", "CA5364", "CA5386", "CA5361", "CA5378", "CA5350", "CA5351", "CA5384", "CA5385", "CA5358"];

    [Theory]
    [InlineData("2: an accept-all validation callback", "TLS006")]
    [InlineData("2: a callback that ignores RemoteCertificateNameMismatch", "TLS007")]
    [InlineData("2: the system store plus any root (AllowUnknownCertificateAuthority)", "TLS004")]
    [InlineData("2: the lab root plus every root of the machine", "TLS005")]
    [InlineData("2: VerificationFlags.AllFlags", "TLS004")]
    [InlineData("2: CustomRootTrust plus AllowUnknownCertificateAuthority", "TLS004")]
    [InlineData("2: a callback that checks the root's name, not its key", "TLS006")]
    [InlineData("2: an accept-all callback on the SslStream", "TLS006")]
    [InlineData("8: revocation switched off (NoCheck)", "TLS001")]
    [InlineData("8: Offline (the cache only)", "TLS001")]
    [InlineData("8: soft fail (Ignore...RevocationUnknown)", "TLS002")]
    [InlineData("8: a callback that looks only for Revoked", "TLS006")]
    [InlineData("9: thumbprint pinning", "TLS010")]
    [InlineData("9: a hash of the whole certificate", "TLS010")]
    [InlineData("9: a pin match that overrules .NET's verdict", "TLS006")]
    public async Task An_insecure_known_wrong_answer_is_flagged_by_its_rule(string wrongAnswer, string rule)
    {
        var (answers, findings) = await ScanAsync(KitScan.Analyzers, []);
        var types = answers[wrongAnswer];
        Assert.True(findings.Any(f => f.Id == rule && types.Contains(f.Type!)),
            $"The wrong answer '{wrongAnswer}' ({string.Join(", ", types)}) has no {rule} finding; it has: " +
            string.Join("; ", findings.Where(f => types.Contains(f.Type!))));
    }

    [Fact]
    public async Task The_count_per_rule_is_written_down()
    {
        var sdk = SdkSecurityAnalyzers();
        var (answers, findings) = await ScanAsync([.. KitScan.Analyzers, .. sdk], BuiltIn);
        var byRule = findings.GroupBy(f => f.Id).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Rule: g.Key, Answers: answers.Where(a => g.Any(f => a.Value.Contains(f.Type!))).Select(a => a.Key).ToList()))
            .ToList();
        var flagged = answers.Count(a => findings.Any(f => a.Value.Contains(f.Type!)));
        var lines = new List<string>
        {
            $"{answers.Count} known wrong answers; {flagged} flagged by at least one rule (SDK analyzers loaded: {sdk.Length}).",
            string.Empty,
            "| rule | known wrong answers flagged | which |",
            "|---|---|---|",
        };
        lines.AddRange(byRule.Select(r => $"| {r.Rule} | {r.Answers.Count} | {string.Join("; ", r.Answers)} |"));
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "wrong-answers-by-rule.md"), lines);
        Assert.True(answers.Count > 40 && flagged >= 15, string.Join("\n", lines));
    }

    // Each known wrong answer (its name in the Exercise NN Cases lists) and the types that implement it.
    private static async Task<(Dictionary<string, HashSet<string>> Answers, IReadOnlyList<KitFinding> Findings)> ScanAsync(
        ImmutableArray<DiagnosticAnalyzer> analyzers, IEnumerable<string> turnedOn)
    {
        var files = Directory.EnumerateFiles(Grading, "WrongAnswers.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var solutions = Directory.EnumerateFiles(Path.Combine(KitScan.Root, "solutions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var findings = (await KitScan.LibraryAsync([.. files, .. solutions], analyzers, turnedOn))
            .Where(f => f.File.StartsWith("tests/", StringComparison.Ordinal)).ToList();

        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f))).ToList();
        var declared = trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>()).Select(t => t.Identifier.ValueText)
            .ToHashSet(StringComparer.Ordinal);
        var answers = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ImplicitObjectCreationExpressionSyntax>()))
        {
            if (entry.ArgumentList.Arguments is [{ Expression: LiteralExpressionSyntax name }, ..] && name.Token.Value is string text)
            {
                answers[text] = [.. entry.ArgumentList.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText)
                    .Where(declared.Contains)];
            }
        }

        return (answers, findings);
    }

    // The SDK's security analyzers, from the SDK this test runs under; none when they cannot be loaded into this compiler.
    private static DiagnosticAnalyzer[] SdkSecurityAnalyzers()
    {
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var sdk = Directory.Exists(Path.Combine(dotnet, "sdk"))
            ? Directory.GetDirectories(Path.Combine(dotnet, "sdk")).OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0],
                out var v) ? v : new Version()).FirstOrDefault()
            : null;
        var folder = sdk is null ? null : Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers");
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        var loader = new Loader();
        try
        {
            return [.. new[] { "Microsoft.CodeAnalysis.NetAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll" }
                .Select(f => new AnalyzerFileReference(Path.Combine(folder, f), loader))
                .SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp))
                .Where(a => a.SupportedDiagnostics.Any(d => BuiltIn.Contains(d.Id)))];
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException or BadImageFormatException or ReflectionTypeLoadException)
        {
            return [];
        }
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}
