using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// What stands in for an exercise that does not compile, so that the graders (and so every other exercise)
/// still compile: the exercise's own file with its declarations kept and every body replaced by a throw.
/// Made from the attendee's file at grade time, so no copy of the stubs has to be kept in step with them.
/// </summary>
internal static class StandIn
{
    /// <summary>What a stand-in for an exercise that does not compile throws.</summary>
    public const string DoesNotCompile = "This exercise does not compile; tlslab grade lists the compiler's errors.";

    /// <summary>The stand-in for <paramref name="tree"/>: same types and signatures, every body throwing <paramref name="message"/>.</summary>
    public static SyntaxTree Of(SyntaxTree tree, string message = DoesNotCompile)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var root = new BodiesToThrows(message).Visit(tree.GetRoot());
        return tree.WithRootAndOptions(root, tree.Options);
    }

    private sealed class BodiesToThrows(string message) : CSharpSyntaxRewriter
    {
        private readonly BlockSyntax _throw = SyntaxFactory.Block(SyntaxFactory.ParseStatement(
            $"throw new global::System.NotImplementedException({SymbolDisplay.FormatLiteral(message, quote: true)});"));

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node) =>
            node.Body is null && node.ExpressionBody is null ? node : node.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node) =>
            node.WithInitializer(null).WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node) =>
            node.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node) =>
            node.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        public override SyntaxNode? VisitDestructorDeclaration(DestructorDeclarationSyntax node) =>
            node.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        // An auto-property without a value ({ get; init; }) keeps its accessors: a record's or a result type's data stays data.
        public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node) =>
            node.Body is null && node.ExpressionBody is null ? node : node.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default);

        public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
        {
            if (node.ExpressionBody is not null)
            {
                // int X => ...; becomes int X { get { throw ...; } }
                return node.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(SyntaxFactory.AccessorList(
                    SyntaxFactory.SingletonList(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, _throw))));
            }

            var visited = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
            if (visited.Initializer is null || visited.AccessorList is null)
            {
                return visited;
            }

            // { get; } = value; is code (the value), like a method: every accessor throws.
            return visited.WithInitializer(null).WithSemicolonToken(default).WithAccessorList(visited.AccessorList.WithAccessors(
                SyntaxFactory.List(visited.AccessorList.Accessors.Select(a => a.WithBody(_throw).WithExpressionBody(null).WithSemicolonToken(default)))));
        }

        public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node) =>
            node.ExpressionBody is null
                ? base.VisitIndexerDeclaration(node)
                : node.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(SyntaxFactory.AccessorList(
                    SyntaxFactory.SingletonList(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, _throw))));

        // A field's initializer is code too; a constant's is part of the declaration and stays.
        public override SyntaxNode? VisitVariableDeclarator(VariableDeclaratorSyntax node) =>
            node.Parent?.Parent is FieldDeclarationSyntax field && !field.Modifiers.Any(SyntaxKind.ConstKeyword) ? node.WithInitializer(null) : node;
    }
}
