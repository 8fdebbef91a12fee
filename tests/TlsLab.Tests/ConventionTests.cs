using TlsLab.Workshop;

namespace TlsLab.Tests;

/// <summary>
/// Conventions no formatter checks. `dotnet format --verify-no-changes` (run by .ci/run) enforces the
/// .editorconfig's naming, namespace and using rules; line length is not a Roslyn rule, so it is checked here,
/// over every C# file a reader opens: the library, the CLI, tests, tools, exercises, solutions, lessons and demos.
/// Raw string literals (and the lines that open or close them) are data, a TRX document or a page, and keep their own lines;
/// so do the rows of a markdown table that a lesson's twin carries as a comment (a table row cannot wrap).
/// </summary>
public sealed class ConventionTests
{
    private const int MaxLineLength = 160;

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", ".tlslab", "TestResults"];

    [Fact]
    public void No_line_of_CSharp_is_longer_than_160_characters()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);
        var tooLong = new List<string>();
        foreach (var file in CSharpFiles(root))
        {
            var inRawString = false;
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var quotes = CountOf(line, "\"\"\"");
                if (quotes > 0)
                {
                    inRawString ^= quotes % 2 == 1;
                    continue;
                }

                if (!inRawString && line.Length > MaxLineLength && !IsMarkdownTableRow(line))
                {
                    tooLong.Add($"{Path.GetRelativePath(root, file)}:{number} ({line.Length} characters)");
                }
            }
        }

        Assert.True(tooLong.Count == 0,
            $"{tooLong.Count} lines are longer than {MaxLineLength} characters; wrap them (a long sentence becomes two string " +
            $"literals joined with +, a long argument list breaks after a comma). Notebook twins are generated: wrap the " +
            $"notebook's cell and run `dotnet run --project tools/NotebookTwins`.{Environment.NewLine}" +
            string.Join(Environment.NewLine, tooLong.Take(40)));
    }

    private static IEnumerable<string> CSharpFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs"))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (SkippedFolders.Contains(Path.GetFileName(sub), StringComparer.Ordinal))
            {
                continue;
            }

            foreach (var file in CSharpFiles(sub))
            {
                yield return file;
            }
        }
    }

    private static bool IsMarkdownTableRow(string line) =>
        line.TrimStart().StartsWith("// |", StringComparison.Ordinal) || line.TrimStart().StartsWith("// > |", StringComparison.Ordinal);

    private static int CountOf(string line, string token)
    {
        var count = 0;
        for (var at = line.IndexOf(token, StringComparison.Ordinal); at >= 0; at = line.IndexOf(token, at + token.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
