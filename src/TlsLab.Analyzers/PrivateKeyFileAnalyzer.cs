using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>
/// TLS013: a private key (an Export...PrivateKey, or a PFX) written with File.WriteAll... while nothing in the same method makes the file
/// owner-only (FileStreamOptions.UnixCreateMode, File.SetUnixFileMode).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PrivateKeyFileAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.KeyFileReadable];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockAction(Analyze);
    }

    private static void Analyze(OperationBlockAnalysisContext context)
    {
        var operations = context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();
        var writes = operations.OfType<IInvocationOperation>()
            .Where(c => c.TargetMethod is
            {
                Name: "WriteAllText" or "WriteAllBytes" or "WriteAllTextAsync" or "WriteAllBytesAsync" or "WriteAllLines"
                or "WriteAllLinesAsync" or "AppendAllText" or "AppendAllTextAsync", ContainingType.Name: "File"
            })
            .Where(c => c.Arguments.Skip(1).Any(a => CarriesKey(a.Value, operations)))
            .ToList();
        if (writes.Count == 0)
        {
            return;
        }

        var ownerOnly = operations.Any(o => o is IInvocationOperation { TargetMethod.Name: "SetUnixFileMode" }
            or IPropertyReferenceOperation { Property.Name: "UnixCreateMode" });
        if (ownerOnly)
        {
            return;
        }

        foreach (var write in writes)
        {
            context.ReportDiagnostic(Findings.Create(Rules.KeyFileReadable, write.Syntax.GetLocation(), "File." + write.TargetMethod.Name));
        }
    }

    // The value is key material, or a local of this method that was set to key material.
    private static bool CarriesKey(IOperation value, System.Collections.Generic.List<IOperation> operations) =>
        value.DescendantsAndSelf().Any(o => o switch
        {
            IInvocationOperation call => IsKeyExport(call),
            ILocalReferenceOperation local => operations.OfType<IVariableDeclaratorOperation>()
                .Where(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local.Local))
                .Any(d => d.GetVariableInitializer()?.Value.DescendantsAndSelf().OfType<IInvocationOperation>().Any(IsKeyExport) == true),
            _ => false,
        });

    private static bool IsKeyExport(IInvocationOperation call) => call.TargetMethod.Name switch
    {
        "ExportPkcs8PrivateKey" or "ExportPkcs8PrivateKeyPem" or "ExportEncryptedPkcs8PrivateKey" or "ExportEncryptedPkcs8PrivateKeyPem"
            or "ExportRSAPrivateKey" or "ExportRSAPrivateKeyPem" or "ExportECPrivateKey" or "ExportECPrivateKeyPem" or "ExportPkcs12" => true,
        "Export" => call.Arguments.Any(a => a.Value.WalkDownConversion() is IFieldReferenceOperation
        {
            Field.Name: "Pfx" or "Pkcs12",
            Field.ContainingType.Name: "X509ContentType",
        }),
        _ => false,
    };
}
