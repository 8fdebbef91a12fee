using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TlsLab.Analyzers.Tests;

/// <summary>
/// Roslyn's analyzer and code-fix test harness, compiling against the running .NET's own assemblies: offline, and the
/// same framework the kit targets (the harness would otherwise download reference packs).
/// </summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    // Usings every snippet gets, as the kit's projects do with ImplicitUsings.
    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net;
        global using System.Net.Http;
        global using System.Net.Security;
        global using System.Net.Sockets;
        global using System.Security.Cryptography;
        global using System.Security.Cryptography.X509Certificates;
        global using System.Threading.Tasks;

        """;

    public static Task AnalyzerAsync(string source)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Prepare(test.TestState, test);
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TFix>(string source, string fixedSource)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = source, FixedCode = fixedSource };
        Prepare(test.TestState, test);
        Prepare(test.FixedState, test);
        return test.RunAsync();
    }

    private static void Prepare(SolutionState state, AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.Sources.Add(("Usings.cs", Usings));
        foreach (var path in RuntimeAssemblies.Value)
        {
            state.AdditionalReferences.Add(MetadataReference.CreateFromFile(path));
        }
    }

    private static readonly Lazy<string[]> RuntimeAssemblies = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
        .ToArray());
}
