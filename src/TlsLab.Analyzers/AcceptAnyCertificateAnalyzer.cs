using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>TLS008: HttpClientHandler.DangerousAcceptAnyServerCertificateValidator.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AcceptAnyCertificateAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.AcceptAnyCertificate];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.PropertyReference);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property is { Name: "DangerousAcceptAnyServerCertificateValidator", ContainingType.Name: "HttpClientHandler" })
        {
            context.ReportDiagnostic(Findings.Create(Rules.AcceptAnyCertificate, reference.Syntax.GetLocation(), reference.Syntax.ToString()));
        }
    }
}
