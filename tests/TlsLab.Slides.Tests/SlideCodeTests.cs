namespace TlsLab.Slides.Tests;

/// <summary>Every C# block on a slide compiles against TlsLab and the framework, as the kit builds its own code.</summary>
public sealed class SlideCodeTests
{
    /// <summary>One row per C# block in slides/deck.md, named after its slide and first line.</summary>
    public static IEnumerable<TheoryDataRow<int>> Blocks()
    {
        var blocks = Deck.Load().CodeBlocks.ToList();
        for (var i = 0; i < blocks.Count; i++)
        {
            yield return new TheoryDataRow<int>(i) { TestDisplayName = $"C# on {blocks[i]}" };
        }
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_block_compiles(int index)
    {
        var block = Deck.Load().CodeBlocks.ElementAt(index);
        var result = SnippetCompiler.CompileSlide(block.Code, "deck.md", block.Line);
        TestContext.Current.TestOutputHelper?.WriteLine(result.PlatformCheck);

        var problems = block.MarkedWrong ? result.Errors : [.. result.Errors, .. result.Warnings];
        Assert.True(problems.Count == 0, Describe(block, problems, block.MarkedWrong
            ? "This block is marked wrong, so warnings are allowed (they are part of the lesson), but it must still compile."
            : "Fix the slide, or, if the code is wrong on purpose, mark it: ```csharp wrong, with a first line // WRONG WAY: why."));

        if (block.MarkedWrong && result.Warnings.Count > 0)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"Warnings the wrong code earns (shown, not failed):\n  {string.Join("\n  ", result.Warnings)}");
        }
    }

    [Fact]
    public void The_deck_has_C_sharp_to_check()
    {
        var deck = Deck.Load();
        Assert.True(deck.CodeBlocks.Count() >= 10, $"Expected the deck to show C# on at least 10 slides; found {deck.CodeBlocks.Count()} ```csharp " +
            $"blocks in {deck.Path}. Did the info strings change?");
        Assert.Contains(deck.CodeBlocks, b => b.MarkedWrong);
    }

    [Fact]
    public void A_wrong_block_is_labelled_on_the_slide_and_only_a_wrong_block_is()
    {
        var deck = Deck.Load();
        var problems = new List<string>();
        foreach (var slide in deck.Slides)
        {
            foreach (var block in slide.Code)
            {
                var labelled = block.FirstLine.TrimStart().StartsWith(CodeBlock.WrongLabel, StringComparison.Ordinal);
                if (block.MarkedWrong && !labelled)
                {
                    problems.Add($"{block}: marked ```csharp wrong, but its first line is not a visible '{CodeBlock.WrongLabel}: why' comment, so the " +
                        "audience cannot tell.");
                }
                else if (!block.MarkedWrong && block.Code.Contains("WRONG WAY", StringComparison.Ordinal))
                {
                    problems.Add($"{block}: says WRONG WAY but its info string is not ```csharp wrong, so the tests would hold it to the kit's " +
                        "warnings-as-errors rules.");
                }

                if (block.MarkedWrong && !(slide.Directives.TryGetValue("class", out var cls) && cls.Split(' ').Contains("wrong")))
                {
                    problems.Add($"{block}: the slide shows wrong code but is not styled as such; add <!-- _class: wrong --> to give it the red frame.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_compiler_reports_a_broken_slide_with_its_line_and_diagnostic()
    {
        // The check itself: code that cannot compile must fail, with a message that says where and why.
        var result = SnippetCompiler.CompileSlide("var stream = new SslStream(null!);\nstream.AuthenticateAsClient(42);");
        Assert.Contains(result.Errors, e => e.StartsWith("line 2", StringComparison.Ordinal) && e.Contains("CS1503", StringComparison.Ordinal));
    }

    [Fact]
    public void The_platform_analyzer_rejects_an_unguarded_cipher_policy_as_the_kit_does()
    {
        var unguarded = "var policy = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]);";
        var result = SnippetCompiler.CompileSlide(unguarded);
        if (result.PlatformCheck.StartsWith("CA1416 not checked", StringComparison.Ordinal))
        {
            Assert.Skip($"{result.PlatformCheck}. Slide code still compiles; only the platform check is missing on this machine.");
        }

        Assert.Contains(result.Errors, e => e.Contains("CA1416", StringComparison.Ordinal));
        var guarded = SnippetCompiler.CompileSlide($"if (!OperatingSystem.IsWindows())\n{{\n    {unguarded}\n}}");
        Assert.True(guarded.Errors.Count == 0, "Guarded with OperatingSystem.IsWindows(), the code should pass CA1416, but:\n  " +
            $"{string.Join("\n  ", guarded.Errors)}");
    }

    private static string Describe(CodeBlock block, IReadOnlyList<string> problems, string advice) =>
        $"""
        The C# on slide {block.Slide} does not compile cleanly.
          deck.md line {block.Line}, first line: {block.FirstLine}
          {string.Join("\n  ", problems)}
        Slides may use the namespaces {string.Join(", ", SnippetCompiler.SlideUsings)}
        and the names lab, good, tls and serverOptions without declaring them. {advice}
        """;
}
