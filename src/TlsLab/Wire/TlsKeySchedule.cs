using System.Security.Cryptography;
using System.Text;

namespace TlsLab.Wire;

/// <summary>
/// The two key derivations a key log needs, from secret to record key: TLS 1.3's HKDF-Expand-Label (RFC 8446 section 7.1) and
/// TLS 1.2's PRF (RFC 5246 section 5). HKDF and HMAC come from System.Security.Cryptography; only the label layout is written here.
/// </summary>
internal static class TlsKeySchedule
{
    /// <summary>
    /// HKDF-Expand-Label(secret, label, context, length): HKDF-Expand with the info
    /// <c>uint16 length || opaque label&lt;7..255&gt; = "tls13 " + label || opaque context&lt;0..255&gt;</c>.
    /// </summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        var info = new byte[2 + 1 + fullLabel.Length + 1 + context.Length];
        info[0] = (byte)(length >> 8);
        info[1] = (byte)length;
        info[2] = (byte)fullLabel.Length;
        fullLabel.CopyTo(info, 3);
        info[3 + fullLabel.Length] = (byte)context.Length;
        context.CopyTo(info.AsSpan(4 + fullLabel.Length));
        var output = new byte[length];
        HKDF.Expand(hash, secret, output, info);
        return output;
    }

    /// <summary>A TLS 1.3 traffic secret's record key and IV: <c>[sender]_write_key</c> and <c>[sender]_write_iv</c>.</summary>
    public static (byte[] Key, byte[] Iv) TrafficKeys(HashAlgorithmName hash, ReadOnlySpan<byte> trafficSecret, int keyLength) =>
        (ExpandLabel(hash, trafficSecret, "key", [], keyLength), ExpandLabel(hash, trafficSecret, "iv", [], 12));

    /// <summary>TLS 1.2's PRF: P_hash(secret, label + seed), HMAC chained until <paramref name="length"/> bytes.</summary>
    public static byte[] Prf12(HashAlgorithmName hash, byte[] secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] labelAndSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        var a = labelAndSeed;
        for (var written = 0; written < length;)
        {
            a = HMAC(hash, secret, a);
            var block = HMAC(hash, secret, [.. a, .. labelAndSeed]);
            var take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
        }

        return output;
    }

    private static byte[] HMAC(HashAlgorithmName hash, byte[] key, byte[] data) => hash == HashAlgorithmName.SHA384
        ? HMACSHA384.HashData(key, data)
        : HMACSHA256.HashData(key, data);
}
