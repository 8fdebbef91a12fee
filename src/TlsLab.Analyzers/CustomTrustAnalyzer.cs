using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>
/// TLS005: a custom root was asked for, but the machine's roots are trusted too: <c>TrustMode = System</c> (or left at it, on a
/// policy made here) while <c>CustomTrustStore</c> is filled, or <c>CustomTrustStore</c> filled from the machine's store (directly, or
/// through a method of this code base that reads one).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CustomTrustAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.MachineRoots];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockAction(Analyze);
    }

    private static void Analyze(OperationBlockAnalysisContext context)
    {
        var operations = context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();
        var fills = operations.OfType<IInvocationOperation>()
            .Where(c => c.TargetMethod.Name is "Add" or "AddRange" or "Import" && c.Instance is IPropertyReferenceOperation
            {
                Property.Name: "CustomTrustStore",
            })
            .ToList();
        if (fills.Count == 0)
        {
            return;
        }

        var trustModes = operations.OfType<ISimpleAssignmentOperation>()
            .Where(a => a.Target is IPropertyReferenceOperation { Property.Name: "TrustMode" })
            .Select(a => a.Value.WalkDownConversion())
            .OfType<IFieldReferenceOperation>()
            .ToList();
        foreach (var system in trustModes.Where(m => m.Field.Name == "System"))
        {
            context.ReportDiagnostic(Findings.Create(Rules.MachineRoots, system.Syntax.GetLocation(),
                "TrustMode = System while CustomTrustStore is filled", "CustomRootTrust"));
        }

        foreach (var fill in fills)
        {
            var arguments = fill.Arguments.SelectMany(a => a.Value.DescendantsAndSelf()).ToList();
            var machine = arguments.OfType<IPropertyReferenceOperation>()
                    .Any(p => p.Property.Name == "Certificates" && p.Property.ContainingType.Name == "X509Store")
                || arguments.OfType<IInvocationOperation>().Any(c => ReadsAStore(c.TargetMethod));
            if (machine)
            {
                context.ReportDiagnostic(Findings.Create(Rules.MachineRoots, fill.Syntax.GetLocation(), "CustomTrustStore is filled from a machine's " +
                    "certificate store"));
            }
        }

        // A policy made here starts at System: filling CustomTrustStore without CustomRootTrust trusts both.
        if (trustModes.Count == 0 && fills.Any(f => MadeHere(((IPropertyReferenceOperation)f.Instance!).Instance, operations)))
        {
            var first = fills[0];
            context.ReportDiagnostic(Findings.Create(Rules.MachineRoots, first.Syntax.GetLocation(),
                "CustomTrustStore is filled but TrustMode stays System (the default)"));
        }
    }

    // A helper of this code base (MachineRoots.All()) that opens an X509Store and reads its Certificates: one level deep, by syntax,
    // since an analyzer may not ask for another file's semantic model.
    private static bool ReadsAStore(IMethodSymbol method) => method.DeclaringSyntaxReferences
        .Select(r => r.GetSyntax())
        .Any(body =>
        {
            var names = body.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax>().Select(n => n.Identifier.ValueText).ToList();
            return names.Contains("X509Store") && names.Contains("Certificates");
        });

    // The policy is a local initialized with new X509ChainPolicy() here, or the ChainPolicy of a new X509Chain() made here.
    private static bool MadeHere(IOperation? policy, System.Collections.Generic.List<IOperation> operations)
    {
        var target = policy switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IPropertyReferenceOperation { Property.Name: "ChainPolicy", Instance: ILocalReferenceOperation chain } => chain.Local,
            _ => null,
        };
        return target is ILocalSymbol symbol && operations.OfType<IVariableDeclaratorOperation>()
            .Any(d => SymbolEqualityComparer.Default.Equals(d.Symbol, symbol) && d.GetVariableInitializer()?.Value.WalkDownConversion() is
                IObjectCreationOperation { Type.Name: "X509ChainPolicy" or "X509Chain" });
    }
}
