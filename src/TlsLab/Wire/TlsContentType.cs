namespace TlsLab.Wire;

/// <summary>The first byte of every TLS record: what kind of payload the record carries.</summary>
internal static class TlsContentType
{
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const byte Heartbeat = 24;

    /// <summary>The content types a TLS (not DTLS) record layer can carry.</summary>
    public static bool IsKnown(byte contentType) => contentType is >= ChangeCipherSpec and <= Heartbeat;
}
