using System.Diagnostics.CodeAnalysis;

namespace TlsLab.Wire;

/// <summary>
/// An immutable snapshot of what crossed the wire on one connection, in both directions, in the order it was seen.
/// </summary>
public sealed class WireTranscript
{
    private readonly long _clientToServerTotal;
    private readonly long _serverToClientTotal;

    internal WireTranscript(IReadOnlyList<WireChunk> chunks, bool truncated, long clientToServerTotal, long serverToClientTotal)
    {
        Chunks = chunks;
        Truncated = truncated;
        _clientToServerTotal = clientToServerTotal;
        _serverToClientTotal = serverToClientTotal;
    }

    public static WireTranscript Empty { get; } = new([], false, 0, 0);

    internal IReadOnlyList<WireChunk> Chunks { get; }

    /// <summary>True when the recording cap was reached: totals still count everything, but not all bytes were kept.</summary>
    public bool Truncated { get; }

    /// <summary>What the client sent, concatenated.</summary>
    public byte[] BytesSent => Bytes(WireDirection.ClientToServer);

    /// <summary>What the server sent back, concatenated.</summary>
    public byte[] BytesReceived => Bytes(WireDirection.ServerToClient);

    /// <summary>How many bytes went this way, including any beyond the recording cap.</summary>
    internal long TotalBytes(WireDirection direction) =>
        direction == WireDirection.ClientToServer ? _clientToServerTotal : _serverToClientTotal;

    /// <summary>The recorded bytes that went this way, concatenated into one new array.</summary>
    internal byte[] Bytes(WireDirection direction)
    {
        var length = 0;
        foreach (var chunk in Chunks)
        {
            length += chunk.Direction == direction ? chunk.Data.Length : 0;
        }

        var bytes = new byte[length];
        var position = 0;
        foreach (var chunk in Chunks)
        {
            if (chunk.Direction == direction)
            {
                chunk.Data.CopyTo(bytes, position);
                position += chunk.Data.Length;
            }
        }

        return bytes;
    }

    /// <summary>The TLS records seen going this way; empty when the bytes are not TLS (see <see cref="ScanRecords"/> for why).</summary>
    internal IReadOnlyList<TlsRecordHeader> Records(WireDirection direction) => ScanRecords(direction).Records;

    /// <summary>The TLS records going this way, plus where and why the bytes stopped looking like TLS.</summary>
    internal TlsRecordScan ScanRecords(WireDirection direction) => TlsRecordReader.Scan(Bytes(direction));

    internal string HexDump(WireDirection direction, int maxBytes = 512) => WireText.HexDump(Bytes(direction), maxBytes);

    internal string Printable(WireDirection direction, int maxBytes = 4096) => WireText.Printable(Bytes(direction), maxBytes);

    /// <summary>The ClientHello at the start of the client's bytes, if that is what they are.</summary>
    public bool TryGetClientHello([NotNullWhen(true)] out ClientHello? hello) =>
        ClientHelloReader.TryRead(Bytes(WireDirection.ClientToServer), out hello, out _, out _) == ClientHelloReadStatus.Complete;

    public override string ToString() =>
        $"{Chunks.Count} chunks: client -> server {TotalBytes(WireDirection.ClientToServer)} bytes, server -> client " +
            $"{TotalBytes(WireDirection.ServerToClient)} bytes{(Truncated ? " (recording cap reached)" : "")}";
}
