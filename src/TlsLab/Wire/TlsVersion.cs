namespace TlsLab.Wire;

/// <summary>Protocol version code points as they appear on the wire (major byte 3, then minor).</summary>
internal static class TlsVersion
{
    public const ushort Ssl30 = 0x0300;
    public const ushort Tls10 = 0x0301;
    public const ushort Tls11 = 0x0302;
    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;
}
