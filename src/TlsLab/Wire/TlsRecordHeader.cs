namespace TlsLab.Wire;

/// <summary>
/// The five bytes in front of every TLS record: content type, legacy version, payload length.
/// They travel in the clear even after the handshake, which is why an eavesdropper still sees
/// how many records of which type went by, and how long each was.
/// </summary>
/// <param name="Offset">Where the header starts in the byte stream it was read from.</param>
/// <param name="ContentType">See <see cref="TlsContentType"/>.</param>
/// <param name="LegacyVersion">Frozen at 0x0301/0x0303 since TLS 1.3; the real version is negotiated inside the handshake.</param>
/// <param name="Length">Payload length, not counting the header.</param>
internal readonly record struct TlsRecordHeader(int Offset, byte ContentType, ushort LegacyVersion, int Length)
{
    internal const int Size = 5;

    /// <summary>
    /// The largest payload any TLS version allows: 2^14 bytes of plaintext plus 2048 bytes of
    /// expansion (MAC, padding) that TLS 1.2 permits for protected records.
    /// </summary>
    internal const int MaxLength = 16384 + 2048;

    /// <summary>Header plus payload: how far the next record starts after this one.</summary>
    public int TotalLength => Size + Length;

    public string ContentTypeName => TlsNames.ContentType(ContentType);

    public string VersionName => TlsNames.Version(LegacyVersion);

    public override string ToString() => $"{ContentTypeName} ({VersionName}), {Length} bytes at offset {Offset}";
}
