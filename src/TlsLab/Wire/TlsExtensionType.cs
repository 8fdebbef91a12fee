namespace TlsLab.Wire;

/// <summary>Extension code points that <see cref="ClientHelloReader"/> decodes; <see cref="TlsNames.Extension"/> names the rest.</summary>
internal static class TlsExtensionType
{
    public const ushort ServerName = 0;
    public const ushort StatusRequest = 5;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort ApplicationLayerProtocolNegotiation = 16;
    public const ushort Padding = 21;
    public const ushort EncryptThenMac = 22;
    public const ushort ExtendedMasterSecret = 23;
    public const ushort SessionTicket = 35;
    public const ushort PreSharedKey = 41;
    public const ushort EarlyData = 42;
    public const ushort SupportedVersions = 43;
    public const ushort PskKeyExchangeModes = 45;
    public const ushort PostHandshakeAuth = 49;
    public const ushort KeyShare = 51;
    public const ushort RenegotiationInfo = 0xFF01;
}
