using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace TlsLab.Analyzers;

/// <summary>
/// The lesson that explains a rule, as a help link. In a checkout (a file under exercises/, solutions/, notebooks/...)
/// the link is the notebook itself, a file: address the editor opens; elsewhere it is the notebook's path in the kit.
/// </summary>
internal static class Lesson
{
    private static readonly string[] KitFolders = ["exercises", "solutions", "notebooks", "slides", "tests", "src"];

    private static readonly ConcurrentDictionary<(string Id, string Root), DiagnosticDescriptor> Linked = new();

    /// <summary>The notebook of <paramref name="rule"/> (its static help link is the path from the repository root).</summary>
    public static DiagnosticDescriptor For(DiagnosticDescriptor rule, Location location)
    {
        var root = RootOf(location.SourceTree?.FilePath);
        if (root is null)
        {
            return rule;
        }

        return Linked.GetOrAdd((rule.Id, root), key =>
        {
            var link = new Uri(key.Root.TrimEnd('/', '\\') + "/" + rule.HelpLinkUri).AbsoluteUri;
            return new DiagnosticDescriptor(rule.Id, rule.Title, rule.MessageFormat, rule.Category, rule.DefaultSeverity,
                rule.IsEnabledByDefault, rule.Description, link, [.. rule.CustomTags]);
        });
    }

    // Path arithmetic only (an analyzer must not touch the disk): the folder above the last kit folder in the path.
    private static string? RootOf(string? file)
    {
        if (string.IsNullOrEmpty(file) || !(file![0] == '/' || (file.Length > 2 && file[1] == ':')))
        {
            return null;
        }

        var normal = file.Replace('\\', '/');
        var best = -1;
        foreach (var folder in KitFolders)
        {
            var at = normal.LastIndexOf("/" + folder + "/", StringComparison.Ordinal);
            best = Math.Max(best, at);
        }

        return best <= 0 ? (best == 0 ? "/" : null) : normal.Substring(0, best);
    }
}
