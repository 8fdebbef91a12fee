using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>TLS012: a lab server bound to every interface (IPAddress.Any, IPv6Any, TcpListener.Create, Kestrel's ListenAnyIP).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BindAddressAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.BindsEverywhere];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeField, OperationKind.FieldReference);
        context.RegisterOperationAction(AnalyzeCall, OperationKind.Invocation);
    }

    private static void AnalyzeField(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (reference.Field.ContainingType.ToDisplayString() != "System.Net.IPAddress" || reference.Field.Name is not ("Any" or "IPv6Any")
            || !Usage.IsSetting(reference))
        {
            return;
        }

        context.ReportDiagnostic(Findings.Create(Rules.BindsEverywhere, reference.Syntax.GetLocation(), reference.Syntax.ToString(),
            reference.Field.Name == "Any" ? "Loopback" : "IPv6Loopback"));
    }

    private static void AnalyzeCall(OperationAnalysisContext context)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        var any = method switch
        {
            { Name: "Create", ContainingType.Name: "TcpListener" } => true,
            { Name: "ListenAnyIP", ContainingType.Name: "KestrelServerOptions" } => true,
            { Name: "Parse" or "TryParse", ContainingType.Name: "IPAddress" } => call.Arguments.Length > 0
                && call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: "0.0.0.0" or "::" },
            _ => false,
        };
        if (any && method.ContainingType.ContainingNamespace.ToDisplayString() is "System.Net" or "System.Net.Sockets"
            or "Microsoft.AspNetCore.Server.Kestrel.Core")
        {
            context.ReportDiagnostic(Findings.Create(Rules.BindsEverywhere, call.Syntax.GetLocation(), call.Syntax.ToString()));
        }
    }
}
