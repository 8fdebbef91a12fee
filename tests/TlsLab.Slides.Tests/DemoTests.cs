namespace TlsLab.Slides.Tests;

/// <summary>The live demos: their programs compile, and each script has a fallback captured from a real run.</summary>
public sealed class DemoTests
{
    private static string Demos => Repository.File("slides", "demos");

    public static IEnumerable<TheoryDataRow<string>> Programs() =>
        Directory.GetFiles(Demos, "*.cs").Order(StringComparer.Ordinal)
            .Select(p => new TheoryDataRow<string>(Path.GetFileName(p)) { TestDisplayName = $"slides/demos/{Path.GetFileName(p)} compiles" });

    public static IEnumerable<TheoryDataRow<string>> Scripts() =>
        Directory.GetFiles(Demos, "*.md").Order(StringComparer.Ordinal)
            .Select(p => new TheoryDataRow<string>(Path.GetFileName(p)) { TestDisplayName = $"slides/demos/{Path.GetFileName(p)} has its fallback" });

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_demo_program_compiles(string file)
    {
        var result = SnippetCompiler.CompileProgram(File.ReadAllText(Path.Combine(Demos, file)));
        var problems = result.Errors.Concat(result.Warnings).ToList();
        Assert.True(problems.Count == 0,
            $"slides/demos/{file} would not build with `dotnet run` (warnings are errors in this kit):\n  {string.Join("\n  ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_demo_script_names_a_fallback_that_exists(string file)
    {
        var text = File.ReadAllText(Path.Combine(Demos, file));
        var fallbacks = Deck.MentionedPaths(text).Where(p => p.StartsWith("slides/demos/fallback/", StringComparison.Ordinal)).ToList();
        Assert.True(fallbacks.Count > 0, $"slides/demos/{file} names no fallback under slides/demos/fallback/: a presenter whose demo fails needs the output of a real run to show instead.");
        foreach (var fallback in fallbacks)
        {
            var path = Repository.File(fallback.Split('/'));
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"slides/demos/{file} names {fallback}, which is missing or empty. Capture it from a real run (see slides/README.md).");
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
}
