using System.Buffers.Binary;
using System.Text;

namespace TlsLab.Tests.Wire;

/// <summary>
/// Writes ClientHellos byte by byte for tests, so each test can say exactly which field it breaks.
/// The defaults describe a plain TLS 1.3 client.
/// </summary>
internal sealed class HelloBuilder
{
    public ushort LegacyVersion { get; set; } = 0x0303;

    public byte[] Random { get; set; } = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    public byte[] SessionId { get; set; } = [.. Enumerable.Range(0xA0, 32).Select(i => (byte)i)];

    public List<ushort> CipherSuites { get; } = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F];

    public byte[] CompressionMethods { get; set; } = [0];

    public List<(ushort Type, byte[] Data)> Extensions { get; } = [];

    /// <summary>Leave out the extensions block entirely, as SSL 3.0-era clients did.</summary>
    public bool WithoutExtensionsBlock { get; set; }

    public static HelloBuilder Typical() => new HelloBuilder()
        .ServerName("good.localhost")
        .SupportedVersions(0x0304, 0x0303)
        .Groups(29, 23, 24)
        .SignatureAlgorithms(0x0403, 0x0804, 0x0401)
        .Alpn("h2", "http/1.1")
        .KeyShares(29);

    public HelloBuilder Extension(ushort type, byte[] data)
    {
        Extensions.Add((type, data));
        return this;
    }

    public HelloBuilder ServerName(string name)
    {
        // Latin-1, not ASCII, so that tests can put a non-ASCII byte on the wire on purpose.
        var host = Encoding.Latin1.GetBytes(name);
        return Extension(0, [.. U16(host.Length + 3), 0, .. U16(host.Length), .. host]);
    }

    public HelloBuilder SupportedVersions(params ushort[] versions) =>
        Extension(43, [(byte)(versions.Length * 2), .. versions.SelectMany(U16)]);

    public HelloBuilder Groups(params ushort[] groups) => Extension(10, U16List(groups));

    public HelloBuilder SignatureAlgorithms(params ushort[] schemes) => Extension(13, U16List(schemes));

    public HelloBuilder Alpn(params string[] protocols)
    {
        var list = protocols.SelectMany(p => (byte[])[(byte)p.Length, .. Encoding.ASCII.GetBytes(p)]).ToArray();
        return Extension(16, [.. U16(list.Length), .. list]);
    }

    public HelloBuilder KeyShares(params ushort[] groups)
    {
        var shares = groups.SelectMany(g => (byte[])[.. U16(g), .. U16(32), .. new byte[32]]).ToArray();
        return Extension(51, [.. U16(shares.Length), .. shares]);
    }

    /// <summary>The handshake message: type 1, 3-byte length, body.</summary>
    public byte[] Message()
    {
        var body = new List<byte>();
        body.AddRange(U16(LegacyVersion));
        body.AddRange(Random);
        body.Add((byte)SessionId.Length);
        body.AddRange(SessionId);
        body.AddRange(U16List([.. CipherSuites]));
        body.Add((byte)CompressionMethods.Length);
        body.AddRange(CompressionMethods);
        if (!WithoutExtensionsBlock)
        {
            var extensions = Extensions.SelectMany(e => (byte[])[.. U16(e.Type), .. U16(e.Data.Length), .. e.Data]).ToArray();
            body.AddRange(U16(extensions.Length));
            body.AddRange(extensions);
        }

        return [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
    }

    /// <summary>The message in one handshake record, as nearly every client sends it.</summary>
    public byte[] Bytes() => Frame(Message());

    /// <summary>Wraps a handshake message in handshake records of the given payload sizes (the last one takes the rest).</summary>
    public static byte[] Frame(byte[] message, params int[] fragmentSizes)
    {
        var output = new List<byte>();
        var position = 0;
        foreach (var size in fragmentSizes.Append(int.MaxValue))
        {
            if (position >= message.Length)
            {
                break;
            }

            var length = Math.Min(size, message.Length - position);
            output.AddRange([22, 3, 1, .. U16(length)]);
            output.AddRange(message.AsSpan(position, length).ToArray());
            position += length;
        }

        return [.. output];
    }

    public static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    private static byte[] U16List(ushort[] values) => [.. U16(values.Length * 2), .. values.SelectMany(U16)];

    private static byte[] U16(ushort value) => U16((int)value);
}
