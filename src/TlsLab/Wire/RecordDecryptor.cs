using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TlsLab.Wire;

/// <summary>Which AEAD a cipher suite seals its records with, and the hash of its key schedule.</summary>
internal sealed record AeadSuite(ushort Suite, string Cipher, int KeyLength, HashAlgorithmName Hash)
{
    /// <summary>The AEAD suites the kit can open; null (with a reason from <see cref="Unsupported"/>) for the rest.</summary>
    public static AeadSuite? For(ushort suite)
    {
        var name = TlsNames.CipherSuite(suite);
        var hash = name.EndsWith("SHA384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        if (name.Contains("_AES_128_GCM_", StringComparison.Ordinal))
        {
            return new(suite, "AES-128-GCM", 16, hash);
        }

        if (name.Contains("_AES_256_GCM_", StringComparison.Ordinal))
        {
            return new(suite, "AES-256-GCM", 32, hash);
        }

        return name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal) ? new(suite, "ChaCha20-Poly1305", 32, hash) : null;
    }

    /// <summary>Why a suite cannot be opened here.</summary>
    public static string Unsupported(ushort suite) =>
        $"{TlsNames.CipherSuite(suite)} is not an AES-GCM or ChaCha20-Poly1305 suite; the kit decrypts only those (CBC suites, " +
        "as on cbc-only, are not opened).";
}

/// <summary>
/// Opens the records of one direction of one connection with one key: tracks the 64-bit record sequence number, builds each
/// record's nonce and additional data the way the protocol version says, and reports a failure as a sentence, never a throw.
/// </summary>
internal sealed class RecordDecryptor : IDisposable
{
    private const int TagLength = 16;
    private readonly AeadSuite _suite;
    private readonly bool _tls13;
    private readonly byte[] _iv;
    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;

    private RecordDecryptor(AeadSuite suite, bool tls13, byte[] key, byte[] iv)
    {
        _suite = suite;
        _tls13 = tls13;
        _iv = iv;
        if (suite.Cipher.StartsWith("AES", StringComparison.Ordinal))
        {
            _gcm = new AesGcm(key, TagLength);
        }
        else
        {
            _chacha = new ChaCha20Poly1305(key);
        }
    }

    /// <summary>The number the next record gets (its sequence number, starting at 0 for each key).</summary>
    public ulong Sequence { get; private set; }

    /// <summary>TLS 1.3: keys from one traffic secret (HKDF-Expand-Label "key" and "iv").</summary>
    public static RecordDecryptor? Tls13(AeadSuite suite, byte[] trafficSecret, out string? problem)
    {
        var (key, iv) = TlsKeySchedule.TrafficKeys(suite.Hash, trafficSecret, suite.KeyLength);
        return Create(suite, tls13: true, key, iv, out problem);
    }

    /// <summary>
    /// TLS 1.2: keys from the master secret. key_block = PRF(master, "key expansion", server_random + client_random), cut into
    /// client key, server key, client IV, server IV (4 bytes each for GCM, the implicit salt; 12 for ChaCha20).
    /// </summary>
    public static RecordDecryptor? Tls12(AeadSuite suite, byte[] masterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom,
        bool clientWrites, out string? problem)
    {
        var ivLength = suite.Cipher == "ChaCha20-Poly1305" ? 12 : 4;
        var block = TlsKeySchedule.Prf12(suite.Hash, masterSecret, "key expansion", [.. serverRandom, .. clientRandom],
            2 * (suite.KeyLength + ivLength));
        var keyAt = clientWrites ? 0 : suite.KeyLength;
        var ivAt = (2 * suite.KeyLength) + (clientWrites ? 0 : ivLength);
        return Create(suite, tls13: false, block[keyAt..(keyAt + suite.KeyLength)], block[ivAt..(ivAt + ivLength)], out problem);
    }

    private static RecordDecryptor? Create(AeadSuite suite, bool tls13, byte[] key, byte[] iv, out string? problem)
    {
        if (suite.Cipher == "ChaCha20-Poly1305" && !ChaCha20Poly1305.IsSupported)
        {
            problem = "This platform's cryptography has no ChaCha20-Poly1305, so these records cannot be opened here.";
            return null;
        }

        if (suite.Cipher != "ChaCha20-Poly1305" && !AesGcm.IsSupported)
        {
            problem = "This platform's cryptography has no AES-GCM, so these records cannot be opened here.";
            return null;
        }

        problem = null;
        return new RecordDecryptor(suite, tls13, key, iv);
    }

    /// <summary>
    /// Opens one whole record (header included). On success <paramref name="plaintext"/> is the content and
    /// <paramref name="contentType"/> its real type (TLS 1.3 hides it inside the encryption). Never throws.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> record, out byte[] plaintext, out byte contentType, out string? problem)
    {
        plaintext = [];
        contentType = record.Length > 0 ? record[0] : (byte)0;
        var sequence = Sequence;
        Sequence++;
        var body = record[TlsRecordHeader.Size..];
        var explicitNonce = _tls13 || _chacha is not null ? 0 : 8;
        if (body.Length < explicitNonce + TagLength + (_tls13 ? 1 : 0))
        {
            problem = $"The record is {body.Length} bytes long, too short to hold an authentication tag: it is not a sealed record.";
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        if (explicitNonce > 0)
        {
            // TLS 1.2 GCM: 4 bytes of implicit salt from the key block, then the 8 bytes the record carries in the clear.
            _iv.CopyTo(nonce);
            body[..8].CopyTo(nonce[4..]);
        }
        else
        {
            // TLS 1.3 and TLS 1.2 ChaCha20: the IV XOR the sequence number, padded on the left.
            _iv.CopyTo(nonce);
            Span<byte> padded = stackalloc byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(padded[4..], sequence);
            for (var i = 0; i < 12; i++)
            {
                nonce[i] ^= padded[i];
            }
        }

        var ciphertext = body[explicitNonce..^TagLength];
        var tag = body[^TagLength..];
        byte[] aad;
        if (_tls13)
        {
            // TLS 1.3's additional data is the record header itself.
            aad = record[..TlsRecordHeader.Size].ToArray();
        }
        else
        {
            // TLS 1.2's: sequence number, type, version, and the plaintext's length.
            aad = new byte[13];
            BinaryPrimitives.WriteUInt64BigEndian(aad, sequence);
            aad[8] = record[0];
            aad[9] = record[1];
            aad[10] = record[2];
            BinaryPrimitives.WriteUInt16BigEndian(aad.AsSpan(11), (ushort)ciphertext.Length);
        }

        var opened = new byte[ciphertext.Length];
        try
        {
            if (_gcm is not null)
            {
                _gcm.Decrypt(nonce, ciphertext, tag, opened, aad);
            }
            else
            {
                _chacha!.Decrypt(nonce, ciphertext, tag, opened, aad);
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            problem = $"The authentication tag does not match ({_suite.Cipher}, record number {sequence}): the secret is not this " +
                "connection's, or the record was changed on the way.";
            return false;
        }

        if (!_tls13)
        {
            plaintext = opened;
            problem = null;
            return true;
        }

        // TLS 1.3 inner plaintext: content, then the real content type, then any zero padding.
        var end = opened.Length - 1;
        while (end >= 0 && opened[end] == 0)
        {
            end--;
        }

        if (end < 0)
        {
            problem = "The record opened but holds only padding, with no content type: the sender broke RFC 8446 section 5.4.";
            return false;
        }

        contentType = opened[end];
        plaintext = opened[..end];
        problem = null;
        return true;
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
    }
}
