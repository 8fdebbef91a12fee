namespace TlsLab.Wire;

/// <summary>
/// Reads the ClientHello from the bytes a TLS client sends first. Works incrementally, so a server can call it
/// after every read from the socket, and tells "not there yet" apart from "never going to be a ClientHello".
/// It never throws from <see cref="TryRead"/>, never loops on input, and never allocates more than the input
/// it was given: lengths from the wire are checked against what has arrived before they are trusted.
/// </summary>
internal static class ClientHelloReader
{
    /// <summary>
    /// The largest ClientHello body accepted. Real ones are a few hundred bytes, up to a few kilobytes with
    /// post-quantum key shares or large session tickets; anything claiming more is refused rather than buffered.
    /// </summary>
    public const int MaxClientHelloLength = 64 * 1024;

    // legacy_version(2) + random(32) + session_id length(1) + one suite with its length(4) + one compression method with its length(2)
    private const int MinClientHelloLength = 2 + 32 + 1 + 4 + 2;

    private const int HandshakeHeaderSize = 4;
    private const byte ClientHelloType = 1;

    /// <summary>
    /// Tries to read a ClientHello from <paramref name="bytes"/>: everything received from the client so far,
    /// starting at its first record.
    /// </summary>
    /// <returns>
    /// <see cref="ClientHelloReadStatus.Complete"/> with <paramref name="hello"/> set and <paramref name="bytesConsumed"/>
    /// the length of the records that carried it; <see cref="ClientHelloReadStatus.NeedMoreData"/> when every byte so far
    /// is a valid beginning of a ClientHello; <see cref="ClientHelloReadStatus.Invalid"/> with <paramref name="error"/> set.
    /// </returns>
    public static ClientHelloReadStatus TryRead(ReadOnlySpan<byte> bytes, out ClientHello? hello, out TlsParseError? error, out int bytesConsumed)
    {
        hello = null;
        error = null;
        bytesConsumed = 0;

        var map = new FragmentMap();
        var position = 0;
        var messageEnd = -1; // handshake header + body length, once the 4-byte handshake header has arrived
        var announced = 0; // handshake bytes promised by the record headers seen so far
        var complete = false;

        while (!complete)
        {
            var collectedBefore = map.MessageLength;
            // The content type is judged first, on its own: a lone first byte can already say "not a handshake
            // record", and that verdict must not change into another one when the next bytes arrive.
            if (position < bytes.Length && bytes[position] != TlsContentType.Handshake && TlsContentType.IsKnown(bytes[position]))
            {
                error = EarliestError(bytes, map, collectedBefore, messageEnd, NotHandshake(position, bytes[position]));
                return ClientHelloReadStatus.Invalid;
            }

            var status = TlsRecordReader.TryReadHeader(bytes, position, out var record, out error);
            if (status == TlsRecordReadStatus.Invalid)
            {
                error = EarliestError(bytes, map, collectedBefore, messageEnd, error!);
                return ClientHelloReadStatus.Invalid;
            }

            if (status == TlsRecordReadStatus.NeedMoreData)
            {
                break;
            }

            if (record.Length == 0)
            {
                error = EarliestError(bytes, map, collectedBefore, messageEnd, new TlsParseError(
                    TlsParseErrorKind.EmptyRecord,
                    position + 3,
                    $"The handshake record at byte {position} is empty; TLS forbids zero-length handshake records."));
                return ClientHelloReadStatus.Invalid;
            }

            announced += record.Length;
            var fragmentStart = position + TlsRecordHeader.Size;
            var received = Math.Min(record.Length, bytes.Length - fragmentStart);
            var before = map.MessageLength;
            if (received > 0)
            {
                map.Add(fragmentStart, received);
            }

            if (before < 1 && map.MessageLength >= 1 && map.ByteAt(bytes, 0) is var type && type != ClientHelloType)
            {
                var at = map.ToInputOffset(0);
                error = new TlsParseError(
                    TlsParseErrorKind.NotClientHello,
                    at,
                    $"The handshake message at byte {at} has type {type} ({TlsNames.HandshakeType(type)}), not 1 (client_hello), so these are not the " +
                        "first bytes of a TLS client.");
                return ClientHelloReadStatus.Invalid;
            }

            if (messageEnd < 0 && map.MessageLength >= HandshakeHeaderSize)
            {
                error = CheckMessageLength(bytes, map, out messageEnd);
                if (error is not null)
                {
                    return ClientHelloReadStatus.Invalid;
                }
            }

            if (messageEnd >= 0 && announced > messageEnd)
            {
                error = EarliestError(bytes, map, collectedBefore, messageEnd, new TlsParseError(
                    TlsParseErrorKind.TrailingData,
                    position + 3,
                    $"The handshake record at byte {position} carries {record.Length} bytes, which runs {announced - messageEnd} bytes past the end " +
                        $"of the {messageEnd}-byte ClientHello; nothing else may share its records."));
                return ClientHelloReadStatus.Invalid;
            }

            if (received < record.Length)
            {
                break;
            }

            position = fragmentStart + record.Length;
            complete = messageEnd >= 0 && announced == messageEnd;
        }

        if (messageEnd < 0)
        {
            return ClientHelloReadStatus.NeedMoreData;
        }

        var message = map.Assemble(bytes);
        var parser = new ClientHelloParser(message, messageEnd, map);
        if (!parser.Parse())
        {
            error = parser.Error;
            return error is null ? ClientHelloReadStatus.NeedMoreData : ClientHelloReadStatus.Invalid;
        }

        if (!complete)
        {
            // Cannot happen: a successful parse means every announced byte arrived. Kept so that a future
            // change to the loop cannot turn into a half-read hello being reported as complete.
            return ClientHelloReadStatus.NeedMoreData;
        }

        hello = parser.Build(message.ToArray());
        bytesConsumed = position;
        return ClientHelloReadStatus.Complete;
    }

    /// <summary>Reads a whole ClientHello, throwing <see cref="TlsParseException"/> (and nothing else) if the bytes are not one.</summary>
    public static ClientHello Read(ReadOnlySpan<byte> bytes)
    {
        switch (TryRead(bytes, out var hello, out var error, out _))
        {
            case ClientHelloReadStatus.Complete:
                return hello!;
            case ClientHelloReadStatus.Invalid:
                throw new TlsParseException(error!);
            default:
                var message = bytes.IsEmpty
                    ? "The input is empty; a ClientHello starts with a 5-byte TLS record header."
                    : $"The input ends after {bytes.Length} bytes, before the ClientHello is complete; everything up to there is valid, so the " +
                        "capture was probably cut short.";
                throw new TlsParseException(new TlsParseError(TlsParseErrorKind.Truncated, bytes.Length, message));
        }
    }

    /// <summary>
    /// A problem with the current record is found while walking records, but the hello bytes carried by the
    /// records before it may hold an earlier problem, and that one wins. Only bytes from before the current
    /// record are considered, because those are exactly the bytes that any shorter read which reached this
    /// record also had: so the verdict is the same however the input was split into reads.
    /// </summary>
    private static TlsParseError EarliestError(ReadOnlySpan<byte> bytes, FragmentMap map, int collectedBefore, int messageEnd, TlsParseError recordError)
    {
        if (messageEnd < 0)
        {
            return recordError;
        }

        var parser = new ClientHelloParser(map.Assemble(bytes)[..collectedBefore], messageEnd, map);
        parser.Parse();
        return parser.Error ?? recordError;
    }

    private static TlsParseError? CheckMessageLength(ReadOnlySpan<byte> bytes, FragmentMap map, out int messageEnd)
    {
        var length = (map.ByteAt(bytes, 1) << 16) | (map.ByteAt(bytes, 2) << 8) | map.ByteAt(bytes, 3);
        var at = map.ToInputOffset(1);
        messageEnd = HandshakeHeaderSize + length;
        if (length > MaxClientHelloLength)
        {
            return new TlsParseError(
                TlsParseErrorKind.TooLarge,
                at,
                $"The ClientHello length at byte {at} claims {length} bytes; this reader accepts at most {MaxClientHelloLength}, and real " +
                    "ClientHellos are a few hundred bytes to a few kilobytes.");
        }

        if (length < MinClientHelloLength)
        {
            return new TlsParseError(
                TlsParseErrorKind.LengthMismatch,
                at,
                $"The ClientHello length at byte {at} claims only {length} bytes, fewer than the {MinClientHelloLength} that even the smallest " +
                    "ClientHello needs.");
        }

        return null;
    }

    private static TlsParseError NotHandshake(int position, byte contentType)
    {
        var what = $"Byte {position} is {TlsNames.Hex(contentType)} ({TlsNames.ContentType(contentType)})";
        var message = position == 0
            ? $"{what}: a TLS record, but not a handshake record (0x16), which is what a ClientHello travels in."
            : $"{what}: a {TlsNames.ContentType(contentType)} record arrived before the ClientHello was complete, but the rest of a ClientHello can " +
                "only travel in handshake records (0x16).";
        return new TlsParseError(TlsParseErrorKind.NotHandshake, position, message);
    }
}
