namespace TlsLab.Tests.Cli;

/// <summary>
/// Text a command printed in a table cell, which wraps at words to the output's width (120 columns in a test's buffer): a phrase
/// is there when each of its words is there whole, whatever the width.
/// </summary>
internal static class CellText
{
    private static readonly char[] Separators = [' ', '\n', '\r', '│'];

    /// <summary>Fails unless every word of <paramref name="phrase"/> is a whole word of <paramref name="output"/> (the last may be a word's start).</summary>
    public static void AssertShows(string output, string phrase)
    {
        var words = output.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var wanted = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var missing = wanted.Where((w, i) => i == wanted.Length - 1
            ? !words.Any(x => x.StartsWith(w, StringComparison.Ordinal))
            : !words.Contains(w, StringComparer.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"The output should show '{phrase}' (wrapped or not); these words are missing or split: " +
            $"{string.Join(", ", missing)}\n{output}");
    }
}
