using System.Globalization;

namespace TlsLab.Wire;

/// <summary>
/// An NSS key log (the <c>SSLKEYLOGFILE</c> format that .NET, OpenSSL, browsers and Wireshark share): one secret per line,
/// <c>LABEL CLIENT_RANDOM_HEX SECRET_HEX</c>, keyed by the ClientHello's random so one file serves many connections.
/// </summary>
internal sealed class KeyLog
{
    private readonly Dictionary<(string Label, string ClientRandom), byte[]> _secrets;

    private KeyLog(Dictionary<(string, string), byte[]> secrets, IReadOnlyList<string> problems)
    {
        _secrets = secrets;
        Problems = problems;
    }

    /// <summary>Lines that were neither a comment, blank, nor a secret, each with its line number and what is wrong.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>How many distinct secrets the log holds.</summary>
    public int Count => _secrets.Count;

    /// <summary>Parses key-log text; never throws: a bad line is skipped and named in <see cref="Problems"/>.</summary>
    public static KeyLog Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var secrets = new Dictionary<(string, string), byte[]>();
        var problems = new List<string>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                problems.Add($"line {number}: expected LABEL CLIENT_RANDOM SECRET, found {parts.Length} word(s)");
                continue;
            }

            if (parts[1].Length != 64 || !TryHex(parts[1], out _))
            {
                problems.Add($"line {number}: the client random must be 64 hex digits (32 bytes)");
                continue;
            }

            if (!TryHex(parts[2], out var secret) || secret.Length is < 16 or > 64)
            {
                problems.Add($"line {number}: the secret must be 32 to 128 hex digits");
                continue;
            }

            secrets[(parts[0].ToUpperInvariant(), parts[1].ToLowerInvariant())] = secret;
        }

        return new KeyLog(secrets, problems);
    }

    /// <summary>The secret with this label for the connection whose ClientHello carried <paramref name="clientRandom"/>.</summary>
    public bool TryGet(string label, ReadOnlySpan<byte> clientRandom, out byte[] secret) =>
        _secrets.TryGetValue((label, Convert.ToHexStringLower(clientRandom)), out secret!);

    /// <summary>The key-log lines for one connection only, in NSS format (what a capture file should carry).</summary>
    public string LinesFor(ReadOnlySpan<byte> clientRandom)
    {
        var random = Convert.ToHexStringLower(clientRandom);
        return string.Concat(_secrets
            .Where(s => s.Key.ClientRandom == random)
            .OrderBy(s => s.Key.Label, StringComparer.Ordinal)
            .Select(s => $"{s.Key.Label} {random} {Convert.ToHexStringLower(s.Value)}\n"));
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(text);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"key log: {Count} secrets, {Problems.Count} bad lines");
}
