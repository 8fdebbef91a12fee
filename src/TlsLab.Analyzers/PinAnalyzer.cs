using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>
/// TLS009: a pin or thumbprint compared without StringComparison.Ordinal (an ignore-case or culture comparison, or ToUpper/ToLower
/// before comparing). TLS010: a pin of the whole certificate (Thumbprint, GetCertHash, a hash of RawData) instead of its
/// SubjectPublicKeyInfo.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PinAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.PinIgnoresCase, Rules.WholeCertificatePin];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeComparison, OperationKind.FieldReference, OperationKind.PropertyReference);
        context.RegisterOperationAction(AnalyzeCall, OperationKind.Invocation);
    }

    // StringComparison.OrdinalIgnoreCase (or a culture comparison), StringComparer.OrdinalIgnoreCase..., in a call about pins.
    private static void AnalyzeComparison(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        var (member, type) = operation switch
        {
            IFieldReferenceOperation f => (f.Field.Name, f.Field.ContainingType.Name),
            IPropertyReferenceOperation p => (p.Property.Name, p.Property.ContainingType.Name),
            _ => (string.Empty, string.Empty),
        };
        if (type is not ("StringComparison" or "StringComparer") || member is "Ordinal" || operation.Parent is IBinaryOperation)
        {
            if (type is "X509Certificate2" or "X509Certificate" && member == "Thumbprint" && IsPin(operation, context))
            {
                context.ReportDiagnostic(Findings.Create(Rules.WholeCertificatePin, operation.Syntax.GetLocation(), operation.Syntax.ToString()));
            }

            return;
        }

        // The call (or collection) this comparison is given to must be about pins.
        var call = operation.Syntax.Ancestors().FirstOrDefault(a => a is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax);
        if (call is not null && PinContext.Mentions(call.ToString()))
        {
            context.ReportDiagnostic(Findings.Create(Rules.PinIgnoresCase, operation.Syntax.GetLocation(), operation.Syntax.ToString(), "Ordinal"));
        }
    }

    private static void AnalyzeCall(OperationAnalysisContext context)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        switch (method.Name)
        {
            case "ToUpper" or "ToLower" or "ToUpperInvariant" or "ToLowerInvariant" when method.ContainingType.SpecialType == SpecialType.System_String
                && IsCompared(call) && (PinContext.Mentions(call.Instance?.Syntax.ToString() ?? string.Empty) || PinContext.Mentions(ComparedWith(call))):
                context.ReportDiagnostic(Findings.Create(Rules.PinIgnoresCase, call.Syntax.GetLocation(), call.Syntax.ToString()));
                break;
            case "GetCertHash" or "GetCertHashString" or "TryGetCertHash" when method.ContainingType.Name is "X509Certificate" or "X509Certificate2"
                && IsPin(call, context):
                context.ReportDiagnostic(Findings.Create(Rules.WholeCertificatePin, call.Syntax.GetLocation(), call.Syntax.ToString()));
                break;
            case "HashData" or "ComputeHash" or "TryHashData" or "TryComputeHash" when call.Arguments.Any(a => IsWholeCertificate(a.Value))
                && IsPin(call, context):
                context.ReportDiagnostic(Findings.Create(Rules.WholeCertificatePin, call.Syntax.GetLocation(), call.Syntax.ToString()));
                break;
        }
    }

    private static bool IsWholeCertificate(IOperation value) => value.WalkDownConversion() switch
    {
        IPropertyReferenceOperation { Property.Name: "RawData" or "RawDataMemory" } p => p.Property.ContainingType.Name.StartsWith("X509Certificate",
            System.StringComparison.Ordinal),
        IInvocationOperation { TargetMethod.Name: "GetRawCertData" or "Export" } i => i.TargetMethod.ContainingType.Name.StartsWith("X509Certificate",
            System.StringComparison.Ordinal),
        _ => false,
    };

    // A pin: the enclosing member says so, it is inside a validation callback, or it is compared with something named pin.
    private static bool IsPin(IOperation operation, OperationAnalysisContext context) =>
        PinContext.Encloses(operation.Syntax, operation.SemanticModel!) || PinContext.Pin(ComparedWith(operation));

    private static bool IsCompared(IOperation value) => ComparedWith(value).Length > 0;

    // The other side of ==, Equals or Contains: "pins" in pins.Contains(x.Thumbprint).
    private static string ComparedWith(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IBinaryOperation b => (b.LeftOperand == current ? b.RightOperand : b.LeftOperand).Syntax.ToString(),
            IInvocationOperation { TargetMethod.Name: "Equals" or "Contains" or "SequenceEqual" or "Compare" or "StartsWith" } i =>
                string.Join(" ", new[] { i.Instance?.Syntax.ToString() ?? string.Empty }
                    .Concat(i.Arguments.Where(a => a != current).Select(a => a.Syntax.ToString()))),
            _ => string.Empty,
        };
    }
}
