namespace TlsLab.Wire;

/// <summary>Which way a chunk of bytes travelled.</summary>
internal enum WireDirection
{
    ClientToServer,
    ServerToClient,
}
