using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace TlsLab.Cli.Commands;

/// <summary>
/// Number options that say what they expected: System.CommandLine's own message names the CLR type
/// (<c>System.Nullable`1[System.Int32]</c>), which tells a workshop attendee nothing.
/// </summary>
internal static class Numbers
{
    /// <summary>Parses the option's one token as <typeparamref name="T"/>, or records an error that shows an example.</summary>
    public static T Parse<T>(ArgumentResult result, string option, string example)
        where T : struct, INumber<T>
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (T.TryParse(token, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} takes {example}, not '{token}'.");
        return default;
    }
}
