namespace TlsLab.Wire;

/// <summary>What category of wrong a <see cref="TlsParseError"/> is, so code can branch without matching message text.</summary>
internal enum TlsParseErrorKind
{
    /// <summary>The bytes are not a TLS record at all (plaintext HTTP, SSH, an SSL 2.0 hello, random bytes).</summary>
    NotTls,

    /// <summary>A well-formed TLS record, but not a handshake record, where one was required.</summary>
    NotHandshake,

    /// <summary>A handshake message, but not a ClientHello.</summary>
    NotClientHello,

    /// <summary>A record header claims more than the largest record TLS allows (2^14 + 2048 bytes).</summary>
    RecordTooLong,

    /// <summary>A handshake record with no payload, which TLS forbids.</summary>
    EmptyRecord,

    /// <summary>The ClientHello claims to be larger than this reader is willing to buffer.</summary>
    TooLarge,

    /// <summary>The input ended before the ClientHello did.</summary>
    Truncated,

    /// <summary>A length field claims more bytes than the structure that contains it has room for.</summary>
    LengthMismatch,

    /// <summary>A field holds a value the protocol forbids (an odd-length list of 2-byte values, a 40-byte session id...).</summary>
    BadField,

    /// <summary>An extension is duplicated or its contents do not follow its own format.</summary>
    BadExtension,

    /// <summary>Bytes follow the ClientHello inside the records that carry it.</summary>
    TrailingData,
}
