namespace TlsLab.Cli;

/// <summary>The known name a mistyped one was most likely meant to be: one or two letters off, or the start of it.</summary>
internal static class Suggestions
{
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        if (typed.Length < 2)
        {
            return null;
        }

        // Closeness allowed grows with the name: "grad" is one letter off "grade", "expird" one off "expired".
        var best = known.Distinct(StringComparer.Ordinal)
            .Select(name => (name, distance: Distance(typed.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.distance <= Math.Max(1, Math.Min(3, c.name.Length / 3))
                || typed.Length >= 3 && c.name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.distance)
            .ThenBy(c => c.name, StringComparer.Ordinal)
            .ToList();
        return best.Count > 0 && !best[0].name.Equals(typed, StringComparison.Ordinal) ? best[0].name : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("sreve") cost one.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
