using System.Text.RegularExpressions;

namespace TlsLab.Cli.Grading;

/// <summary>
/// The diagnostics that mean insecure TLS code: the kit's own (TLS001..., src/TlsLab.Analyzers) and the .NET SDK's security
/// rules that exercises/.editorconfig turns on. Each has a lesson that explains it.
/// </summary>
internal static partial class SecurityRules
{
    // The SDK's rules on in exercises/.editorconfig, with the lesson that covers each.
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        ["CA5359"] = "notebooks/02-client-default-context.ipynb",
        ["CA5397"] = "notebooks/03-protocols.ipynb",
        ["CA5399"] = "notebooks/08-revocation.ipynb",
        ["CA5400"] = "notebooks/08-revocation.ipynb",
        ["CA5364"] = "notebooks/03-protocols.ipynb",
        ["CA5386"] = "notebooks/03-protocols.ipynb",
        ["CA5361"] = "notebooks/03-protocols.ipynb",
        ["CA5378"] = "notebooks/03-protocols.ipynb",
        ["CA5350"] = "notebooks/06-ciphers.ipynb",
        ["CA5351"] = "notebooks/06-ciphers.ipynb",
        ["CA5384"] = "notebooks/06-ciphers.ipynb",
        ["CA5385"] = "notebooks/06-ciphers.ipynb",
        ["CA5358"] = "notebooks/06-ciphers.ipynb",
    };

    /// <summary>The SDK's rule ids that count, for compiling with them on in-process.</summary>
    public static IEnumerable<string> BuiltInIds => BuiltIn.Keys;

    /// <summary>True for a diagnostic that flags insecure TLS code.</summary>
    public static bool IsSecurity(string code) => KitRule().IsMatch(code) || BuiltIn.ContainsKey(code);

    /// <summary>The lesson to read: the one a kit rule's message names, or the one that covers an SDK rule.</summary>
    public static string LessonOf(string code, string message) =>
        LessonInMessage().Match(message) is { Success: true } match ? match.Groups[1].Value
            : BuiltIn.TryGetValue(code, out var lesson) ? lesson : "notebooks/README.md";

    /// <summary>The rule's sentence without the lesson and help link the compiler adds (they are shown on their own).</summary>
    public static string Sentence(string message) => HelpLink().Replace(LessonInMessage().Replace(message, string.Empty), string.Empty).Trim();

    [GeneratedRegex(@"^TLS\d{3}$")]
    private static partial Regex KitRule();

    [GeneratedRegex(@"\s*\(lesson: (\S+?)\)")]
    private static partial Regex LessonInMessage();

    [GeneratedRegex(@"\s*\((?:https?|file):[^)\s]*\)\s*$")]
    private static partial Regex HelpLink();
}
