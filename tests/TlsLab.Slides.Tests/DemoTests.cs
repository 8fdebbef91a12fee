using System.Diagnostics;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Slides.Tests;

/// <summary>The live demos: their programs build as `dotnet run` builds them, and each script has a fallback captured from a real run.</summary>
public sealed class DemoTests
{
    private static string Demos => Repository.File("slides", "demos");

    public static IEnumerable<TheoryDataRow<string>> Programs() =>
        Directory.GetFiles(Demos, "*.cs").Order(StringComparer.Ordinal)
            .Select(p => new TheoryDataRow<string>(Path.GetFileName(p)) { TestDisplayName = $"dotnet run slides/demos/{Path.GetFileName(p)} builds" });

    public static IEnumerable<TheoryDataRow<string>> Scripts() =>
        Directory.GetFiles(Demos, "*.md").Order(StringComparer.Ordinal)
            .Select(p => new TheoryDataRow<string>(Path.GetFileName(p)) { TestDisplayName = $"slides/demos/{Path.GetFileName(p)} has its fallback" });

    // The presenter types `dotnet run slides/demos/probe.cs -- good` in the repository root. That builds the file with the SDK,
    // under the kit's own Directory.Build.props and .editorconfig (warnings and style rules are errors), so a compile by Roslyn
    // alone proves nothing: the test builds each program with the same SDK command `dotnet run` builds it with.
    [Theory]
    [MemberData(nameof(Programs))]
    public async Task The_demo_program_builds_as_the_presenter_runs_it(string file)
    {
        var start = DotnetCommand.StartInfo(Repository.Root, "build", $"slides/demos/{file}");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet build slides/demos/{file} took more than 5 minutes.");
        }

        var output = (await stdout) + (await stderr);
        var problems = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)
            || l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(process.ExitCode == 0 && problems.Count == 0,
            $"`dotnet run slides/demos/{file}` would stop with \"The build failed\" on stage (dotnet build slides/demos/{file} exited with " +
            $"{process.ExitCode}). Fix these in the demo program:\n  {string.Join("\n  ", problems.DefaultIfEmpty(output.Trim()))}");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_demo_script_names_a_fallback_that_exists(string file)
    {
        var text = File.ReadAllText(Path.Combine(Demos, file));
        var fallbacks = Deck.MentionedPaths(text).Where(p => p.StartsWith("slides/demos/fallback/", StringComparison.Ordinal)).ToList();
        Assert.True(fallbacks.Count > 0, $"slides/demos/{file} names no fallback under slides/demos/fallback/: a presenter whose demo fails needs the " +
            "output of a real run to show instead.");
        foreach (var fallback in fallbacks)
        {
            var path = Repository.File(fallback.Split('/'));
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"slides/demos/{file} names {fallback}, which is missing or empty. " +
                "Capture it from a real run (see slides/README.md).");
        }
    }

    [Fact]
    public void Every_demo_the_deck_shows_has_a_script()
    {
        var scripts = Directory.GetFiles(Demos, "*.md").Select(Path.GetFileName).ToList();
        var demoSlides = Deck.Load().Slides.Where(s => s.Title.StartsWith("Demo ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(demoSlides);
        foreach (var slide in demoSlides)
        {
            var notes = string.Join("\n", slide.Notes);
            Assert.True(scripts.Any(s => notes.Contains($"slides/demos/{s}", StringComparison.Ordinal)),
                $"Slide {slide.Number} ({slide.Title}) is a demo, but its notes name no script slides/demos/NN-name.md.");
        }
    }

    [Fact]
    public void Ports_on_the_slides_and_in_the_scripts_are_the_ones_serve_base_port_8440_uses()
    {
        // `serve --base-port 8440` puts scenario N of the catalogue on 8440 + N.
        var expected = Scenario.Names.Select((name, i) => (name, port: 8440 + i)).ToDictionary(p => p.name, p => p.port);
        var problems = new List<string>();

        foreach (System.Text.RegularExpressions.Match row in System.Text.RegularExpressions.Regex.Matches(Deck.Load().Text,
            @"^\| (\d{4}) \| `([a-z0-9-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            var (port, name) = (int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), row.Groups[2].Value);
            if (!expected.TryGetValue(name, out var right) || right != port)
            {
                problems.Add($"deck.md says {name} is on {port}; serve --base-port 8440 puts it on " +
                    (expected.TryGetValue(name, out var p)
                        ? p.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : "no port (no such scenario)") + ".");
            }
        }

        var script = File.ReadAllText(Path.Combine(Demos, "01-curl-the-zoo.sh"));
        var list = System.Text.RegularExpressions.Regex.Match(script, @"names=\(([^)]*)\)").Groups[1].Value
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (!list.SequenceEqual(Scenario.Names))
        {
            problems.Add($"slides/demos/01-curl-the-zoo.sh lists the scenarios as ({string.Join(" ", list)}), but the catalogue's order is " +
                $"({string.Join(" ", Scenario.Names)}); ports would be off.");
        }

        foreach (var file in Directory.GetFiles(Demos, "*.*").Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".sh",
            StringComparison.Ordinal)))
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file),
                @"([a-z0-9-]+)\.localhost:(\d{4})"))
            {
                var (name, port) = (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
                if (expected.TryGetValue(name, out var right) && right != port)
                {
                    problems.Add($"slides/demos/{Path.GetFileName(file)} uses {name}.localhost:{port}; serve --base-port 8440 puts {name} on {right}.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
