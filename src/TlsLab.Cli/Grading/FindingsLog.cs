using System.Text.Json;

namespace TlsLab.Cli.Grading;

/// <summary>
/// The compiler's log of exercises/ (SARIF, exercises/Exercises.csproj's ErrorLog): every diagnostic of its last compile. A
/// build with nothing to recompile prints no warning, so <c>tlslab grade</c> reads the security findings from here.
/// </summary>
internal static class FindingsLog
{
    /// <summary>Where Exercises.csproj writes it.</summary>
    public static string PathIn(string exercisesFolder) => Path.Combine(exercisesFolder, "obj", "tlslab-findings.sarif");

    /// <summary>The unsuppressed security findings in the log, located in the attendee's files; empty when there is no log.</summary>
    public static IReadOnlyList<BuildDiagnostic> Read(string exercisesFolder, string repositoryRoot)
    {
        var path = PathIn(exercisesFolder);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var findings = new List<BuildDiagnostic>();
            foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
            {
                if (!run.TryGetProperty("results", out var results))
                {
                    continue;
                }

                foreach (var result in results.EnumerateArray())
                {
                    if (Finding(result, exercisesFolder, repositoryRoot) is { } finding)
                    {
                        findings.Add(finding);
                    }
                }
            }

            return findings;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UriFormatException)
        {
            // A log cut short by an interrupted build: the next build writes it again.
            return [];
        }
    }

    private static BuildDiagnostic? Finding(JsonElement result, string exercisesFolder, string repositoryRoot)
    {
        var code = result.GetProperty("ruleId").GetString() ?? string.Empty;
        var suppressed = result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0;
        if (!SecurityRules.IsSecurity(code) || suppressed || !result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0)
        {
            return null;
        }

        var physical = locations[0].GetProperty("physicalLocation");
        var file = new Uri(physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath;
        var region = physical.GetProperty("region");
        var level = result.TryGetProperty("level", out var l) ? l.GetString() : "warning";
        return BuildDiagnostic.Create(file, region.GetProperty("startLine").GetInt32(),
            region.TryGetProperty("startColumn", out var column) ? column.GetInt32() : 1, level == "error", code,
            result.GetProperty("message").GetProperty("text").GetString() ?? string.Empty, exercisesFolder, repositoryRoot);
    }
}
