using System.Globalization;
using System.Text;

namespace TlsLab.Wire;

/// <summary>Renders raw bytes the two ways a lesson needs: as a hex dump, and as what a curious eavesdropper could read.</summary>
internal static class WireText
{
    /// <summary>The classic offset / 16 hex bytes / ASCII layout (as <c>hexdump -C</c> prints it).</summary>
    public static string HexDump(ReadOnlySpan<byte> bytes, int maxBytes = 512)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (bytes.IsEmpty)
        {
            return "(no bytes)";
        }

        var shown = bytes[..Math.Min(bytes.Length, maxBytes)];
        var text = new StringBuilder();
        for (var row = 0; row < shown.Length; row += 16)
        {
            var line = shown.Slice(row, Math.Min(16, shown.Length - row));
            text.Append(row.ToString("x8", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                text.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
                if (i == 7)
                {
                    text.Append(' ');
                }
            }

            text.Append(" |");
            foreach (var b in line)
            {
                text.Append(IsPrintable(b) ? (char)b : '.');
            }

            text.Append('|').AppendLine();
        }

        AppendOmitted(text, bytes.Length - shown.Length);
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The bytes as text, with a dot for anything unprintable. Plaintext HTTP comes out readable line by line;
    /// TLS application data comes out as noise, which is the point.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int maxBytes = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var shown = bytes[..Math.Min(bytes.Length, maxBytes)];
        var text = new StringBuilder(shown.Length);
        for (var i = 0; i < shown.Length; i++)
        {
            var b = shown[i];
            if (b == '\r' && i + 1 < shown.Length && shown[i + 1] == '\n')
            {
                continue;
            }

            text.Append(b == '\n' || IsPrintable(b) ? (char)b : '.');
        }

        if (bytes.Length > shown.Length)
        {
            text.AppendLine();
        }

        AppendOmitted(text, bytes.Length - shown.Length);
        return text.ToString();
    }

    private static void AppendOmitted(StringBuilder text, int omitted)
    {
        if (omitted > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"... ({omitted} more bytes not shown)");
        }
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and < 0x7F;
}
