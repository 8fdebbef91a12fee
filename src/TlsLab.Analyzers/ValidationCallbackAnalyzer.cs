using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TlsLab.Analyzers;

/// <summary>
/// TLS006: a certificate validation callback (<c>(sender, certificate, chain, sslPolicyErrors) =&gt; bool</c>) with a way to
/// return true while sslPolicyErrors is not None. A return is safe when it is false, when it requires
/// <c>errors == SslPolicyErrors.None</c> (or <c>errors is SslPolicyErrors.None</c>, <c>errors is 0</c>, <c>errors == 0</c>; a
/// conjunct of it, or of an enclosing <c>if</c>), or when an earlier <c>if (errors != SslPolicyErrors.None ...) return false;</c>
/// (or <c>is not</c>, <c>!= 0</c>) guards it. TLS007: the callback masks or accepts
/// RemoteCertificateNameMismatch.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ValidationCallbackAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rules.CallbackOverrules, Rules.NameMismatchIgnored];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.AnonymousMethodExpression,
            SyntaxKind.LocalFunctionStatement, SyntaxKind.MethodDeclaration);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var model = context.SemanticModel;
        var node = context.Node;
        var method = node is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(node, context.CancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(node, context.CancellationToken) as IMethodSymbol;
        if (method is null || !IsValidationCallback(method))
        {
            return;
        }

        var (block, expression) = node switch
        {
            AnonymousFunctionExpressionSyntax f => (f.Block, f.ExpressionBody),
            LocalFunctionStatementSyntax l => (l.Body, l.ExpressionBody?.Expression),
            MethodDeclarationSyntax m => (m.Body, m.ExpressionBody?.Expression),
            _ => (null, null),
        };
        SyntaxNode? body = (SyntaxNode?)block ?? expression;
        if (body is null)
        {
            return;
        }

        var errors = method.Parameters[3];
        var callback = new Callback(model, errors, body);
        foreach (var masked in callback.NameMismatchAccepted())
        {
            context.ReportDiagnostic(Findings.Create(Rules.NameMismatchIgnored, masked.GetLocation(), masked.ToString()));
        }

        var returns = expression is not null ? [expression] : callback.Returns().ToList();
        var unsafeReturn = returns.FirstOrDefault(r => !callback.IsSafe(r));
        if (unsafeReturn is null)
        {
            return;
        }

        var why = !callback.ReadsErrors ? "it never looks at sslPolicyErrors"
            : IsTrue(unsafeReturn) ? "this 'true' does not depend on sslPolicyErrors being None"
            : "this return does not require sslPolicyErrors == None";
        context.ReportDiagnostic(Findings.Create(Rules.CallbackOverrules, unsafeReturn.GetLocation(), why));
    }

    private static bool IsValidationCallback(IMethodSymbol method) =>
        method.ReturnType.SpecialType == SpecialType.System_Boolean && method.Parameters.Length == 4
        && method.Parameters[3].Type.ToDisplayString() == "System.Net.Security.SslPolicyErrors"
        && method.Parameters[2].Type.Name == "X509Chain";

    private static bool IsTrue(ExpressionSyntax expression) => Strip(expression).IsKind(SyntaxKind.TrueLiteralExpression);

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax p)
        {
            expression = p.Expression;
        }

        return expression;
    }

    private sealed class Callback(SemanticModel model, IParameterSymbol errors, SyntaxNode body)
    {
        public bool ReadsErrors { get; } = body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Any(i => i.Identifier.ValueText == errors.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i).Symbol, errors));

        // Returns of this callback, not of a lambda or local function inside it.
        public IEnumerable<ExpressionSyntax> Returns() => body.DescendantNodes(n => n == body || !IsFunction(n))
            .OfType<ReturnStatementSyntax>()
            .Where(r => r.Expression is not null)
            .Select(r => r.Expression!);

        public bool IsSafe(ExpressionSyntax value)
        {
            var stripped = Strip(value);
            if (stripped.IsKind(SyntaxKind.FalseLiteralExpression) || model.GetConstantValue(stripped).Value is false)
            {
                return true;
            }

            if (!ReadsErrors)
            {
                return false;
            }

            if (Conjuncts(stripped).Any(IsNone))
            {
                return true;
            }

            // An enclosing if (errors == None ...) { return ...; }, or an earlier if (errors != None ...) return false;
            SyntaxNode current = value;
            while (current != body && current.Parent is { } parent)
            {
                if (parent is IfStatementSyntax branch && branch.Statement == current && Conjuncts(branch.Condition).Any(IsNone))
                {
                    return true;
                }

                if (parent is BlockSyntax block)
                {
                    var earlier = block.Statements.TakeWhile(s => s != current);
                    if (earlier.OfType<IfStatementSyntax>().Any(s => s.Else is null && RefusesOnErrors(s)))
                    {
                        return true;
                    }
                }

                current = parent;
            }

            return false;
        }

        // ~RemoteCertificateNameMismatch, x ^ RemoteCertificateNameMismatch, errors == RemoteCertificateNameMismatch, errors is ...
        public IEnumerable<ExpressionSyntax> NameMismatchAccepted()
        {
            foreach (var expression in body.DescendantNodes().OfType<ExpressionSyntax>())
            {
                switch (expression)
                {
                    case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseNotExpression } not when IsMismatch(not.Operand):
                        yield return expression;
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.ExclusiveOrExpression } xor when IsMismatch(xor.Left) || IsMismatch(xor.Right):
                        yield return expression;
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals
                        when (IsMismatch(equals.Left) && IsErrors(equals.Right)) || (IsMismatch(equals.Right) && IsErrors(equals.Left)):
                        yield return expression;
                        break;
                    case IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax constant } pattern
                        when IsErrors(pattern.Expression) && IsMismatch(constant.Expression):
                        yield return expression;
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.IsExpression } typeTest
                        when IsErrors(typeTest.Left) && IsMismatch(typeTest.Right):
                        yield return expression;
                        break;
                }
            }
        }

        private bool RefusesOnErrors(IfStatementSyntax guard)
        {
            var exit = guard.Statement is BlockSyntax { Statements.Count: > 0 } block ? block.Statements[block.Statements.Count - 1] : guard.Statement;
            var exits = exit switch
            {
                ReturnStatementSyntax r => r.Expression is not null && Strip(r.Expression).IsKind(SyntaxKind.FalseLiteralExpression),
                ThrowStatementSyntax => true,
                _ => false,
            };
            return exits && Disjuncts(guard.Condition).Any(IsNotNone);
        }

        // `errors is SslPolicyErrors.None` parses as a type test (`x is T`) or a type pattern; it binds to the field all the same.
        private bool IsNone(ExpressionSyntax e) => Strip(e) switch
        {
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } b => (IsErrors(b.Left) && IsNoneValue(b.Right))
                || (IsErrors(b.Right) && IsNoneValue(b.Left)),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.IsExpression } b => IsErrors(b.Left) && IsNoneValue(b.Right),
            IsPatternExpressionSyntax p => IsErrors(p.Expression) && IsNonePattern(p.Pattern),
            _ => false,
        };

        private bool IsNotNone(ExpressionSyntax e) => Strip(e) switch
        {
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } b => (IsErrors(b.Left) && IsNoneValue(b.Right))
                || (IsErrors(b.Right) && IsNoneValue(b.Left)),
            IsPatternExpressionSyntax { Pattern: UnaryPatternSyntax { RawKind: (int)SyntaxKind.NotPattern } not } p => IsErrors(p.Expression)
                && IsNonePattern(not.Pattern),
            _ => false,
        };

        private bool IsNonePattern(PatternSyntax pattern) => pattern switch
        {
            ConstantPatternSyntax c => IsNoneValue(c.Expression),
            TypePatternSyntax t => IsNoneValue(t.Type),
            ParenthesizedPatternSyntax p => IsNonePattern(p.Pattern),
            _ => false,
        };

        private bool IsErrors(ExpressionSyntax e) =>
            SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(Strip(e)).Symbol, errors);

        // SslPolicyErrors.None, or any constant zero (`errors is 0`, `errors == 0`, `(SslPolicyErrors)0`): the same value.
        private bool IsNoneValue(ExpressionSyntax e)
        {
            var stripped = Strip(e);
            if (model.GetSymbolInfo(stripped).Symbol is IFieldSymbol { Name: "None" } f && f.ContainingType.Name == "SslPolicyErrors")
            {
                return true;
            }

            return model.GetConstantValue(stripped) is { HasValue: true, Value: int or uint or long or ulong or short or ushort or byte or sbyte } constant
                && System.Convert.ToDecimal(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 0;
        }

        private bool IsMismatch(ExpressionSyntax e) => model.GetSymbolInfo(Strip(e)).Symbol is IFieldSymbol
        {
            Name: "RemoteCertificateNameMismatch",
        };

        private static IEnumerable<ExpressionSyntax> Conjuncts(ExpressionSyntax e) => Split(e, SyntaxKind.LogicalAndExpression);

        private static IEnumerable<ExpressionSyntax> Disjuncts(ExpressionSyntax e) => Split(e, SyntaxKind.LogicalOrExpression);

        private static IEnumerable<ExpressionSyntax> Split(ExpressionSyntax e, SyntaxKind kind)
        {
            var stripped = Strip(e);
            if (stripped is BinaryExpressionSyntax b && b.IsKind(kind))
            {
                return Split(b.Left, kind).Concat(Split(b.Right, kind));
            }

            return [stripped];
        }

        private static bool IsFunction(SyntaxNode node) => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;
    }
}
