using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>TLS001 revocation off (NoCheck, Offline for a client), TLS002 soft fail (Ignore...RevocationUnknown), TLS003 the leaf only.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RevocationAnalyzer : DiagnosticAnalyzer
{
    private const string Mode = "System.Security.Cryptography.X509Certificates.X509RevocationMode";
    private const string Flag = "System.Security.Cryptography.X509Certificates.X509RevocationFlag";
    private const string Verification = "System.Security.Cryptography.X509Certificates.X509VerificationFlags";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Rules.RevocationOff, Rules.RevocationSoftFail, Rules.RevocationLeafOnly];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.FieldReference);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        var field = reference.Field;
        var type = field.ContainingType.ToDisplayString();
        if (type is not (Mode or Flag or Verification) || !Usage.IsSetting(reference))
        {
            return;
        }

        var location = reference.Syntax.GetLocation();
        var shown = reference.Syntax.ToString();
        switch (type, field.Name)
        {
            case (Mode, "NoCheck"):
                context.ReportDiagnostic(Findings.Create(Rules.RevocationOff, location, shown, "Online"));
                break;

            // A server checking client certificates may choose Offline (its own cache, no request per handshake); a client may not.
            case (Mode, "Offline") when !IsServerSetting(reference):
                context.ReportDiagnostic(Findings.Create(Rules.RevocationOff, location, shown, "Online"));
                break;
            case (Flag, "EndCertificateOnly"):
                context.ReportDiagnostic(Findings.Create(Rules.RevocationLeafOnly, location, shown, "ExcludeRoot"));
                break;
            case (Verification, "IgnoreEndRevocationUnknown" or "IgnoreCertificateAuthorityRevocationUnknown" or "IgnoreRootRevocationUnknown"
                or "IgnoreCtlSignerRevocationUnknown"):
                context.ReportDiagnostic(Findings.Create(Rules.RevocationSoftFail, location, shown, Usage.StandsAlone(reference) ? "NoFlag" : null));
                break;
        }
    }

    private static bool IsServerSetting(IOperation value) =>
        Usage.AssignedTo(value) is IPropertySymbol { Name: "CertificateRevocationCheckMode" } property
        && property.ContainingType.Name == "SslServerAuthenticationOptions";
}
