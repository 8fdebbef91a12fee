using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Output;

namespace TlsLab.Cli.Commands;

/// <summary>Below the grade table: each finding of insecure TLS code with its rule, file and line, the mistake in one sentence and the lesson.</summary>
internal static class SecurityFindings
{
    public static void Write(IAnsiConsole console, IReadOnlyList<BuildDiagnostic> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        var exercises = findings.Select(f => f.Exercise).Distinct().Count();
        console.MarkupLine($"[red]{findings.Count} insecure TLS code finding{(findings.Count == 1 ? string.Empty : "s")}[/]: an exercise with one " +
            $"is not done, even when its tests pass ({exercises} exercise{(exercises == 1 ? " fails" : "s fail")} \"{SecurityGate.Task}\"):");
        foreach (var finding in findings)
        {
            var line = finding.Line.ToString(CultureInfo.InvariantCulture);
            console.MarkupLine($"  [red]{finding.Code}[/] {finding.ShownFile.EscapeMarkup()}:{line}");
            console.Write(new TrimmedLines(new Padder(new Markup(SecurityRules.Sentence(finding.Text).EscapeMarkup())).Padding(4, 0, 0, 0)));
            console.Write(new TrimmedLines(new Padder(new Markup($"[grey]lesson:[/] {SecurityRules.LessonOf(finding.Code, finding.Text).EscapeMarkup()}"))
                .Padding(4, 0, 0, 0)));
        }
    }
}
