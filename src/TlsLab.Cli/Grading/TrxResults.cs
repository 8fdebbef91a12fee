using System.Xml.Linq;

namespace TlsLab.Cli.Grading;

/// <summary>How one grading test ended.</summary>
public enum TaskOutcome
{
    /// <summary>The test passed.</summary>
    Passed,

    /// <summary>The test failed (or errored, or timed out).</summary>
    Failed,

    /// <summary>The test did not run here, e.g. a platform that cannot do what it checks.</summary>
    Skipped,
}

/// <summary>One test from a TRX report.</summary>
/// <param name="ClassName">The test class, e.g. <c>TlsLab.Grading.Exercise02ValidateTests</c>.</param>
/// <param name="Name">The test's display name.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Message">The failure message (or skip reason), when there is one.</param>
/// <param name="Method">The test method's name, without class or arguments, when the report defines the test.</param>
/// <param name="Assembly">The test assembly's path (the report's <c>codeBase</c>), when the report names it.</param>
public sealed record TaskResult(string ClassName, string Name, TaskOutcome Outcome, string? Message, string? Method = null, string? Assembly = null);

/// <summary>Reads the TRX (Visual Studio test results XML) report that xunit writes with <c>--report-xunit-trx</c>.</summary>
public static class TrxResults
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Reads a TRX file.</summary>
    public static IReadOnlyList<TaskResult> Read(string path) => Parse(XDocument.Load(path));

    /// <summary>Reads TRX text.</summary>
    public static IReadOnlyList<TaskResult> Parse(string xml) => Parse(XDocument.Parse(xml));

    /// <summary>Reads a TRX document: every UnitTestResult, with the class name from its UnitTest definition.</summary>
    public static IReadOnlyList<TaskResult> Parse(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var definitions = document.Descendants(Ns + "UnitTest")
            .Select(u => (Id: (string?)u.Attribute("id"), Method: u.Element(Ns + "TestMethod")))
            .Where(u => u.Id is not null && (string?)u.Method?.Attribute("className") is not null)
            .GroupBy(u => u.Id!)
            .ToDictionary(g => g.Key, g => g.First().Method!);

        return document.Descendants(Ns + "UnitTestResult")
            .Select(r =>
            {
                var testId = (string?)r.Attribute("testId") ?? string.Empty;
                var name = (string?)r.Attribute("testName") ?? string.Empty;
                var output = r.Element(Ns + "Output");
                var message = (string?)output?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")
                    ?? (string?)output?.Element(Ns + "StdOut");
                var outcome = ((string?)r.Attribute("outcome")) switch
                {
                    "Passed" => TaskOutcome.Passed,
                    "NotExecuted" or "Inconclusive" or "Skipped" or "Ignored" => TaskOutcome.Skipped,
                    _ => TaskOutcome.Failed,
                };
                if (!definitions.TryGetValue(testId, out var definition))
                {
                    return new TaskResult(ClassFromName(name), name, outcome, message);
                }

                return new TaskResult(
                    (string)definition.Attribute("className")!,
                    name,
                    outcome,
                    message,
                    (string?)definition.Attribute("name"),
                    (string?)definition.Attribute("codeBase"));
            })
            .ToList();
    }

    // "Namespace.Class.Method(args)" -> "Namespace.Class", for reports without definitions.
    private static string ClassFromName(string testName)
    {
        var withoutArguments = testName.Split('(')[0];
        var lastDot = withoutArguments.LastIndexOf('.');
        return lastDot > 0 ? withoutArguments[..lastDot] : withoutArguments;
    }
}
