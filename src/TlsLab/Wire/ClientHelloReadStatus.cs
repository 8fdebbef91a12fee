namespace TlsLab.Wire;

/// <summary>Outcome of <see cref="ClientHelloReader.TryRead"/> on the bytes received so far.</summary>
internal enum ClientHelloReadStatus
{
    /// <summary>A whole ClientHello was read.</summary>
    Complete,

    /// <summary>Everything so far is a valid beginning of a ClientHello; read more from the peer and try again.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be (the start of) a ClientHello; the error says why.</summary>
    Invalid,
}
