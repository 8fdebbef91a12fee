using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace TlsLab.Slides.Tests;

/// <summary>A C# block on a slide, where it is, and whether the slide marks it as the wrong way to do it.</summary>
/// <param name="Slide">The slide's number, as Marp counts it (1 is the title slide).</param>
/// <param name="Line">The 1-based line in deck.md of the block's first line of code.</param>
/// <param name="Info">The info string's first word, e.g. <c>csharp</c>.</param>
/// <param name="Arguments">The rest of the info string, e.g. <c>wrong</c>.</param>
/// <param name="Code">The code, exactly as on the slide.</param>
public sealed record CodeBlock(int Slide, int Line, string Info, string Arguments, string Code)
{
    /// <summary>The marker a deliberately wrong block carries in its info string (<c>```csharp wrong</c>).</summary>
    public const string WrongMarker = "wrong";

    /// <summary>The label a deliberately wrong block shows on the slide, as its first line.</summary>
    public const string WrongLabel = "// WRONG WAY";

    /// <summary>True when the info string marks the block as deliberately wrong.</summary>
    public bool MarkedWrong => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(WrongMarker, StringComparer.OrdinalIgnoreCase);

    /// <summary>The first line of code, for messages.</summary>
    public string FirstLine => Code.Split('\n', 2)[0].TrimEnd('\r');

    /// <inheritdoc />
    public override string ToString() => $"slide {Slide} (deck.md line {Line}): {FirstLine}";
}

/// <summary>One slide: its number, the Marp directives and speaker notes in its HTML comments, and its C# blocks.</summary>
public sealed record Slide(int Number, string Title, IReadOnlyList<string> Notes, IReadOnlyDictionary<string, string> Directives,
    IReadOnlyList<CodeBlock> Code);

/// <summary>
/// The deck as Marp sees it: the front matter, then slides separated by horizontal rules. HTML
/// comments holding only directives (<c>_class: wrong</c>) style a slide; every other comment is a
/// speaker note.
/// </summary>
public sealed partial class Deck
{
    private static readonly HashSet<string> KnownDirectives = new(StringComparer.Ordinal)
    {
        "backgroundColor", "backgroundImage", "backgroundPosition", "backgroundRepeat", "backgroundSize",
        "class", "color", "footer", "header", "paginate", "theme", "style", "headingDivider", "size", "marp", "lang", "title",
        "description", "author", "url", "image", "math", "transition",
    };

    private static readonly string[] CSharpInfoStrings = ["csharp", "cs", "c#"];

    private Deck(string path, string text, IReadOnlyList<Slide> slides)
    {
        Path = path;
        Text = text;
        Slides = slides;
    }

    /// <summary>Where the deck was read from.</summary>
    public string Path { get; }

    /// <summary>The deck's Markdown.</summary>
    public string Text { get; }

    /// <summary>The slides, in order.</summary>
    public IReadOnlyList<Slide> Slides { get; }

    /// <summary>Every C# block, in order.</summary>
    public IEnumerable<CodeBlock> CodeBlocks => Slides.SelectMany(s => s.Code);

    /// <summary>The repository's deck, slides/deck.md.</summary>
    public static Deck Load() => Parse(Repository.File("slides", "deck.md"));

    /// <summary>Reads and splits a Marp deck.</summary>
    public static Deck Parse(string path)
    {
        var text = File.ReadAllText(path);
        var pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();
        var document = Markdown.Parse(text, pipeline);

        var slides = new List<Slide>();
        var number = 1;
        var title = string.Empty;
        var notes = new List<string>();
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        var code = new List<CodeBlock>();

        void Finish()
        {
            slides.Add(new Slide(number, title, notes.ToArray(), new Dictionary<string, string>(directives), code.ToArray()));
            number++;
            title = string.Empty;
            notes.Clear();
            directives.Clear();
            code.Clear();
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                    break;
                case ThematicBreakBlock:
                    Finish();
                    break;
                case HeadingBlock heading when title.Length == 0:
                    title = text.Substring(heading.Span.Start, heading.Span.Length).TrimStart('#', ' ');
                    break;
                case HtmlBlock { Type: HtmlBlockType.Comment } html:
                    var comment = CommentBody(html.Lines.ToString());
                    if (TryParseDirectives(comment, out var found))
                    {
                        foreach (var (key, value) in found)
                        {
                            directives[key] = value;
                        }
                    }
                    else if (comment.Trim().Length > 0)
                    {
                        notes.Add(comment.Trim());
                    }

                    break;
                case FencedCodeBlock fenced when CSharpInfoStrings.Contains(fenced.Info ?? string.Empty, StringComparer.OrdinalIgnoreCase):
                    code.Add(new CodeBlock(number, fenced.Line + 2, fenced.Info!, fenced.Arguments ?? string.Empty,
                        fenced.Lines.ToString().Replace("\r\n", "\n", StringComparison.Ordinal)));
                    break;
            }
        }

        Finish();
        return new Deck(path, text, slides);
    }

    /// <summary>Repository paths the text mentions, e.g. <c>notebooks/01-sockets</c> or <c>slides/demos/probe.cs</c>.</summary>
    /// Paths under <c>slides/dist/</c> and <c>slides/node_modules</c> are made by <c>render.sh</c> and
    /// <c>npm ci</c>, so a fresh clone does not have them.
    public static IReadOnlyList<string> MentionedPaths(string text) =>
        MentionedPathPattern().Matches(text)
            .Select(m => m.Value.TrimEnd('.'))
            .Where(p => !p.StartsWith("slides/dist/", StringComparison.Ordinal) && !p.StartsWith("slides/node_modules", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static string CommentBody(string html)
    {
        var body = html.Trim();
        if (body.StartsWith("<!--", StringComparison.Ordinal))
        {
            body = body[4..];
        }

        if (body.EndsWith("-->", StringComparison.Ordinal))
        {
            body = body[..^3];
        }

        return body;
    }

    // Marp reads a comment as directives when it is YAML whose keys are all directives.
    private static bool TryParseDirectives(string comment, out List<(string Key, string Value)> directives)
    {
        directives = [];
        var lines = comment.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            return false;
        }

        foreach (var line in lines)
        {
            var match = DirectivePattern().Match(line);
            if (!match.Success || !KnownDirectives.Contains(match.Groups["key"].Value))
            {
                directives.Clear();
                return false;
            }

            directives.Add((match.Groups["key"].Value, match.Groups["value"].Value.Trim().Trim('"')));
        }

        return true;
    }

    [GeneratedRegex(@"^_?(?<key>[A-Za-z]+)\s*:\s*(?<value>.*)$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"(?<![\w./-])(?:notebooks|exercises|solutions|slides|src|tests)/[A-Za-z0-9._/-]*[A-Za-z0-9_/]")]
    private static partial Regex MentionedPathPattern();
}
