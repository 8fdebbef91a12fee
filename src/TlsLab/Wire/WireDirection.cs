namespace TlsLab.Wire;

/// <summary>Which way a chunk of bytes travelled.</summary>
public enum WireDirection
{
    ClientToServer,
    ServerToClient,
}
