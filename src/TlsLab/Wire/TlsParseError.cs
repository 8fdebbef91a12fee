namespace TlsLab.Wire;

/// <summary>
/// Why some bytes could not be read as TLS: a kind for code, an offset into the input for a hex dump,
/// and one specific sentence for a person.
/// </summary>
internal sealed class TlsParseError
{
    public TlsParseError(TlsParseErrorKind kind, int offset, string message)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Kind = kind;
        Offset = offset;
        Message = message;
    }

    public TlsParseErrorKind Kind { get; }

    /// <summary>Offset of the offending byte, counted from the first byte of the input.</summary>
    public int Offset { get; }

    public string Message { get; }

    public override string ToString() => $"{Kind} at byte {Offset}: {Message}";
}
