namespace TlsLab.Wire;

/// <summary>
/// Reads TLS record headers from raw bytes, checking each byte as soon as it is available so that
/// non-TLS input (plaintext HTTP on a TLS port, for instance) is recognised from its first byte.
/// </summary>
internal static class TlsRecordReader
{
    /// <summary>Reads the record header at the start of <paramref name="bytes"/>.</summary>
    public static TlsRecordReadStatus TryReadHeader(ReadOnlySpan<byte> bytes, out TlsRecordHeader header, out TlsParseError? error) =>
        TryReadHeader(bytes, 0, out header, out error);

    /// <summary>
    /// Reads the record header at <paramref name="offset"/>. Offsets in the header and in any error count
    /// from the start of <paramref name="bytes"/>, so they can be matched against a hex dump of the whole stream.
    /// </summary>
    public static TlsRecordReadStatus TryReadHeader(ReadOnlySpan<byte> bytes, int offset, out TlsRecordHeader header, out TlsParseError? error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, bytes.Length);

        header = default;
        error = null;
        var rest = bytes[offset..];
        if (rest.IsEmpty)
        {
            return TlsRecordReadStatus.NeedMoreData;
        }

        var contentType = rest[0];
        if (!TlsContentType.IsKnown(contentType))
        {
            error = new TlsParseError(TlsParseErrorKind.NotTls, offset, NotTlsDiagnosis.Explain(rest, offset));
            return TlsRecordReadStatus.Invalid;
        }

        if (rest.Length >= 2 && rest[1] != 0x03)
        {
            error = new TlsParseError(
                TlsParseErrorKind.NotTls,
                offset + 1,
                $"Byte {offset + 1} is {TlsNames.Hex(rest[1])}, but every TLS record version starts with 0x03, so the bytes from {offset} on are not " +
                    $"a TLS record even though byte {offset} happens to be a valid content type.");
            return TlsRecordReadStatus.Invalid;
        }

        if (rest.Length >= 3 && rest[2] > 0x04)
        {
            error = new TlsParseError(
                TlsParseErrorKind.NotTls,
                offset + 1,
                $"Bytes {offset + 1}-{offset + 2} are 0x03{rest[2]:X2}, which is not a TLS record version (0x0300 to 0x0304), so the bytes from " +
                    $"{offset} on are not a TLS record.");
            return TlsRecordReadStatus.Invalid;
        }

        if (rest.Length < TlsRecordHeader.Size)
        {
            return TlsRecordReadStatus.NeedMoreData;
        }

        var version = (ushort)((rest[1] << 8) | rest[2]);
        var length = (rest[3] << 8) | rest[4];
        if (length > TlsRecordHeader.MaxLength)
        {
            error = new TlsParseError(
                TlsParseErrorKind.RecordTooLong,
                offset + 3,
                $"The {TlsNames.ContentType(contentType)} record at byte {offset} claims a {length}-byte payload, but TLS never allows more than " +
                    $"{TlsRecordHeader.MaxLength} (2^14 + 2048), so its length field is corrupt or this is not really TLS.");
            return TlsRecordReadStatus.Invalid;
        }

        header = new TlsRecordHeader(offset, contentType, version, length);
        return TlsRecordReadStatus.Complete;
    }

    /// <summary>
    /// Lists the records in a captured byte stream, for display. Never throws for any content:
    /// where the stream stops being TLS, the scan stops and says why.
    /// </summary>
    public static TlsRecordScan Scan(ReadOnlySpan<byte> bytes)
    {
        var records = new List<TlsRecordHeader>();
        var position = 0;
        while (position < bytes.Length)
        {
            switch (TryReadHeader(bytes, position, out var header, out var error))
            {
                case TlsRecordReadStatus.Invalid:
                    return new TlsRecordScan(records, error, 0);
                case TlsRecordReadStatus.NeedMoreData:
                    return new TlsRecordScan(records, null, bytes.Length - position);
            }

            if (header.TotalLength > bytes.Length - position)
            {
                return new TlsRecordScan(records, null, bytes.Length - position);
            }

            records.Add(header);
            position += header.TotalLength;
        }

        return new TlsRecordScan(records, null, 0);
    }
}
