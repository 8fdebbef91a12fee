namespace TlsLab.Wire;

/// <summary>
/// One read or write as it happened: TCP does not preserve message boundaries, so chunks show how the bytes
/// happened to be delivered, not how the protocol framed them (that is what <see cref="WireTranscript.Records"/> is for).
/// </summary>
internal sealed record WireChunk(WireDirection Direction, DateTimeOffset Timestamp, byte[] Data)
{
    public override string ToString() => $"{Timestamp:HH:mm:ss.fff} " +
        $"{(Direction == WireDirection.ClientToServer ? "client -> server" : "server -> client")}: {Data.Length} bytes";
}
