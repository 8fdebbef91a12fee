namespace TlsLab.Wire;

/// <summary>One extension exactly as it appeared in a hello: its code point and its undecoded body.</summary>
internal readonly record struct TlsExtension(ushort Type, ReadOnlyMemory<byte> Data)
{
    public string Name => TlsNames.Extension(Type);

    public override string ToString() => $"{Name} ({Data.Length} bytes)";
}
