using System.Text;

namespace TlsLab.Wire;

/// <summary>
/// Turns "the first byte is not a TLS content type" into a guess at what the bytes really are.
/// The common workshop mistake is speaking plaintext HTTP to a TLS port, so that case gets the clearest message.
/// </summary>
internal static class NotTlsDiagnosis
{
    // Matching a prefix of these (not the whole word) lets a single 'G' already be recognised,
    // which matters because a reader may be handed the very first byte a peer sends.
    private static readonly string[] HttpStarts =
        ["GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "PRI * HTTP/2", "HTTP/"];

    public static string Explain(ReadOnlySpan<byte> rest, int offset)
    {
        var first = rest[0];
        var at = $"Byte {offset} is {TlsNames.Hex(first)}{Quote(first)}";

        if (StartsWithAny(rest, HttpStarts))
        {
            return $"{at}: this looks like plaintext HTTP{Excerpt(rest)} sent to a TLS port, not a TLS record.";
        }

        if (StartsWithAny(rest, ["SSH-"]))
        {
            return $"{at}: this looks like an SSH banner{Excerpt(rest)}, not a TLS record.";
        }

        // SSL 2.0 used a 2-byte header with the top bit set, then message type 1 for its ClientHello.
        if ((first & 0x80) != 0 && rest.Length >= 3 && rest[2] == 1)
        {
            return $"{at}: this looks like an SSL 2.0-format ClientHello, which only clients from the 1990s send and no modern TLS server accepts.";
        }

        if (IsPrintable(first))
        {
            return $"{at}: this looks like plaintext{Excerpt(rest)}, not a TLS record, which would start with a content type byte between 0x14 and 0x18.";
        }

        return $"{at}: that is not a TLS content type (a TLS record starts with 0x14 to 0x18, a ClientHello with 0x16), so these bytes are not TLS.";
    }

    private static bool StartsWithAny(ReadOnlySpan<byte> bytes, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            var n = Math.Min(bytes.Length, prefix.Length);
            var matches = true;
            for (var i = 0; i < n && matches; i++)
            {
                matches = bytes[i] == prefix[i];
            }

            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static string Quote(byte b) => IsPrintable(b) ? $" ('{(char)b}')" : "";

    /// <summary>The readable start of the first line, so the person sees what was actually sent.</summary>
    private static string Excerpt(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (!IsPrintable(b) || text.Length == 40)
            {
                break;
            }

            text.Append((char)b);
        }

        return text.Length >= 4 ? $" (\"{text.ToString().TrimEnd()}\")" : "";
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and < 0x7F;
}
