using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TlsLab.Analyzers;

/// <summary>One way to report: the rule's message gets the lesson as its second argument, the diagnostic the lesson as its help link.</summary>
internal static class Findings
{
    public static Diagnostic Create(DiagnosticDescriptor rule, Location location, string what, string? replacement = null, string? detail = null)
    {
        var properties = replacement is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(Rules.Replacement, replacement);
        return Diagnostic.Create(Lesson.For(rule, location), location, properties, what, Rules.LessonOf(rule), detail ?? string.Empty);
    }
}
