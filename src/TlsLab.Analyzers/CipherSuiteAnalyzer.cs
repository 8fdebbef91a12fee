using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>
/// TLS011: a CBC, static-RSA (or static-DH, NULL, RC4, 3DES, export, anonymous) suite chosen for a policy. Old protocol
/// versions in EnabledSslProtocols are the built-in CA5397's (and the compiler's SYSLIB0039).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CipherSuiteAnalyzer : DiagnosticAnalyzer
{
    private const string Suite = "System.Net.Security.TlsCipherSuite";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.WeakSuite];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.FieldReference);
    }

    /// <summary>Why a suite is weak, or null when it is not.</summary>
    public static string? Weakness(string name)
    {
        if (!name.StartsWith("TLS_", StringComparison.Ordinal) || name is "TLS_NULL_WITH_NULL_NULL")
        {
            return name.StartsWith("TLS_", StringComparison.Ordinal) ? "no encryption at all" : null;
        }

        if (name.Contains("_NULL_") || name.Contains("_RC4_") || name.Contains("_3DES_") || name.Contains("_DES_") || name.Contains("EXPORT")
            || name.Contains("_anon_") || name.EndsWith("_NULL", StringComparison.Ordinal))
        {
            return "broken (no or long-broken encryption)";
        }

        if (name.StartsWith("TLS_RSA_", StringComparison.Ordinal) || name.StartsWith("TLS_DH_", StringComparison.Ordinal)
            || name.StartsWith("TLS_ECDH_", StringComparison.Ordinal) || name.StartsWith("TLS_PSK_", StringComparison.Ordinal))
        {
            return "a static key exchange: no forward secrecy, one stolen key decrypts every recorded session";
        }

        return name.Contains("_CBC_") ? "a CBC suite (MAC-then-encrypt: padding oracles, Lucky 13)" : null;
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (reference.Field.ContainingType.ToDisplayString() != Suite || Weakness(reference.Field.Name) is not { } weakness
            || !Usage.IsSetting(reference))
        {
            return;
        }

        context.ReportDiagnostic(Findings.Create(Rules.WeakSuite, reference.Syntax.GetLocation(), reference.Field.Name, detail: weakness));
    }
}
