using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>TLS004: verification flags that make a chain accept what it should refuse.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VerificationFlagsAnalyzer : DiagnosticAnalyzer
{
    private const string Verification = "System.Security.Cryptography.X509Certificates.X509VerificationFlags";

    // What each flag lets in. The Ignore...RevocationUnknown flags are TLS002's.
    private static readonly Dictionary<string, string> Forgives = new()
    {
        ["AllowUnknownCertificateAuthority"] = "a chain to any root, self-signed ones included",
        ["IgnoreNotTimeValid"] = "expired and not-yet-valid certificates",
        ["IgnoreCtlNotTimeValid"] = "an expired certificate trust list",
        ["IgnoreNotTimeNested"] = "a certificate valid outside its issuer's validity",
        ["IgnoreInvalidBasicConstraints"] = "a certificate signed by a leaf, which is no CA",
        ["IgnoreInvalidName"] = "names outside the CA's name constraints",
        ["IgnoreInvalidPolicy"] = "certificates outside the required policies",
        ["IgnoreWrongUsage"] = "a certificate made for another use",
        ["IgnoreCtlSignerRevocationUnknown"] = "unknown revocation status",
        ["AllFlags"] = "everything: expired, self-signed, misused and unknown certificates",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.ForgivingFlags];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.FieldReference);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (reference.Field.ContainingType.ToDisplayString() != Verification || !Forgives.TryGetValue(reference.Field.Name, out var forgiven)
            || reference.Field.Name == "IgnoreCtlSignerRevocationUnknown" || !Usage.IsSetting(reference))
        {
            return;
        }

        context.ReportDiagnostic(Findings.Create(Rules.ForgivingFlags, reference.Syntax.GetLocation(), reference.Syntax.ToString(),
            Usage.StandsAlone(reference) ? "NoFlag" : null, forgiven));
    }
}
