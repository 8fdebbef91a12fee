namespace TlsLab.Wire;

/// <summary>
/// The one exception the readers in this namespace throw for bad input. It derives from
/// <see cref="FormatException"/> because that is what the input is: badly formatted.
/// </summary>
internal sealed class TlsParseException : FormatException
{
    public TlsParseException(TlsParseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message)
    {
        Error = error;
    }

    public TlsParseError Error { get; }
}
