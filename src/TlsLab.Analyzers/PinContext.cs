using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TlsLab.Analyzers;

/// <summary>Whether code deals with pins: names that say pin, thumbprint, fingerprint or SPKI, or a certificate validation callback.</summary>
internal static class PinContext
{
    // "pins", "PinOf", "pinned", "expectedPin": not "mapping" or "spinner".
    private static readonly Regex PinWord = new("(?:^|[^a-zA-Z])pin|Pin", RegexOptions.CultureInvariant);

    private static readonly Regex OtherWords = new("thumbprint|fingerprint|spki", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static bool Mentions(string text) => Pin(text) || OtherWords.IsMatch(text);

    /// <summary>The text names a pin (not a thumbprint: comparing two certificates' thumbprints is asking "the same certificate?").</summary>
    public static bool Pin(string text) => PinWord.IsMatch(text);

    /// <summary>The enclosing method, local function or property says pin, or the code is inside a validation callback.</summary>
    public static bool Encloses(SyntaxNode node, SemanticModel model)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case MethodDeclarationSyntax m when Pin(m.Identifier.ValueText):
                case LocalFunctionStatementSyntax l when Pin(l.Identifier.ValueText):
                case PropertyDeclarationSyntax p when Pin(p.Identifier.ValueText):
                    return true;
                case ParenthesizedLambdaExpressionSyntax lambda when model.GetSymbolInfo(lambda).Symbol is IMethodSymbol
                {
                    Parameters.Length: 4,
                } callback && callback.Parameters[3].Type.Name == "SslPolicyErrors":
                    return true;
            }
        }

        return false;
    }
}
