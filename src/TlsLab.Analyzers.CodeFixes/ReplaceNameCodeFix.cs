using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TlsLab.Analyzers.CodeFixes;

/// <summary>
/// The one-edit fixes: the flagged name becomes the safe one the analyzer names (NoCheck and Offline to Online, EndCertificateOnly to
/// ExcludeRoot, a lone forgiving flag to NoFlag, System to CustomRootTrust, OrdinalIgnoreCase to Ordinal, Any to Loopback).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceNameCodeFix))]
[Shared]
public sealed class ReplaceNameCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ["TLS001", "TLS002", "TLS003", "TLS004", "TLS005", "TLS009", "TLS012"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(Rules.Replacement, out var replacement) || replacement is null)
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var name = node switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                SimpleNameSyntax simple => simple,
                _ => node.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().FirstOrDefault()?.Name,
            };
            if (name is null)
            {
                continue;
            }

            var title = $"Use {replacement}";
            context.RegisterCodeFix(CodeAction.Create(title, _ =>
            {
                var renamed = SyntaxFactory.IdentifierName(replacement).WithTriviaFrom(name);
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(name, renamed)));
            }, equivalenceKey: title), diagnostic);
        }
    }
}
