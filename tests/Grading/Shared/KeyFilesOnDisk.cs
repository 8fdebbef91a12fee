using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Grading;

/// <summary>A file written while a check ran that holds the server's key or certificate.</summary>
/// <param name="Path">Where it is.</param>
/// <param name="Holds">What it holds, in words ("a PKCS#12 file with the certificate and its key", ...).</param>
/// <param name="Mode">Its permissions where the platform has them (Linux, macOS).</param>
public sealed record KeyFile(string Path, string Holds, UnixFileMode? Mode)
{
    /// <summary>Group or others may read it.</summary>
    public bool ReadableByOthers => Mode is { } mode && (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    /// <summary>E.g. <c>/tmp/server.pfx (mode 644, a PKCS#12 file ...)</c>.</summary>
    public override string ToString() =>
        $"{Path} ({(Mode is { } mode ? $"mode {Convert.ToString((int)mode, 8)}, " : string.Empty)}{Holds})";
}

/// <summary>
/// Looks for what code left on disk while a check ran: files created or changed since <see cref="Start"/> in the temp folder, the
/// home folder and the current folder (and the folders under them that changed), that hold a given certificate or its private key in
/// any of the usual forms (DER, PEM, PKCS#8, SEC1, PKCS#12 without a password). Other processes write there too; only the key of the
/// check's own throwaway certificate can match, so nothing of theirs is ever reported.
/// </summary>
public sealed class KeyFilesOnDisk
{
    private const int MaxFiles = 4000;
    private const long MaxSize = 1 << 20;
    private const int MaxDepth = 6;

    private readonly DateTime _since;
    private readonly X509Certificate2 _certificate;
    private readonly byte[][] _needles;
    private readonly string[] _excluded;

    private KeyFilesOnDisk(X509Certificate2 certificate, string[] excluded)
    {
        // File times are coarse on some file systems; a little slack costs only a few more files to read.
        _since = DateTime.UtcNow.AddSeconds(-2);
        _certificate = certificate;
        _excluded = excluded;
        var needles = new List<byte[]> { certificate.RawData };
        using (var ecdsa = certificate.GetECDsaPrivateKey())
        {
            if (ecdsa is not null)
            {
                AddKey(needles, ecdsa.ExportPkcs8PrivateKey());
                AddKey(needles, ecdsa.ExportECPrivateKey());
            }
        }

        using (var rsa = certificate.GetRSAPrivateKey())
        {
            if (rsa is not null)
            {
                AddKey(needles, rsa.ExportPkcs8PrivateKey());
                AddKey(needles, rsa.ExportRSAPrivateKey());
            }
        }

        _needles = [.. needles];
    }

    /// <summary>The folders looked in.</summary>
    public static IReadOnlyList<string> Roots => [.. new[]
    {
        Path.GetTempPath(),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Environment.CurrentDirectory,
    }.Where(d => d.Length > 0 && Directory.Exists(d)).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];

    /// <summary>Starts watching for files holding <paramref name="certificate"/> (with its key), outside <paramref name="excluded"/> folders.</summary>
    public static KeyFilesOnDisk Start(X509Certificate2 certificate, params string[] excluded)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(excluded);
        return new KeyFilesOnDisk(certificate, [.. excluded.Select(e => Path.TrimEndingDirectorySeparator(Path.GetFullPath(e)))]);
    }

    /// <summary>The files written since <see cref="Start"/> that hold the certificate or its key.</summary>
    public IReadOnlyList<KeyFile> Find()
    {
        var found = new List<KeyFile>();
        var budget = MaxFiles;
        foreach (var root in Roots)
        {
            Scan(new DirectoryInfo(root), 0, found, ref budget);
        }

        return [.. found.DistinctBy(f => f.Path)];
    }

    /// <summary>Deletes <paramref name="files"/>, as far as it can.</summary>
    public static void Delete(IEnumerable<KeyFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            try
            {
                File.Delete(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Reported already; the temp folder gets cleaned eventually.
            }
        }
    }

    private static void AddKey(List<byte[]> needles, byte[] der) => needles.Add(der);

    // The DER inside each PEM block of a text file.
    private static IEnumerable<byte[]> PemBlocks(byte[] bytes)
    {
        if (bytes.AsSpan().IndexOf("-----BEGIN "u8) < 0)
        {
            yield break;
        }

        var text = Encoding.ASCII.GetString(bytes).AsMemory();
        while (PemEncoding.TryFind(text.Span, out var fields))
        {
            var data = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(text.Span[fields.Base64Data], data, out var written))
            {
                yield return data[..written];
            }

            text = text[fields.Location.End..];
        }
    }

    private void Scan(DirectoryInfo directory, int depth, List<KeyFile> found, ref int budget)
    {
        if (_excluded.Contains(Path.TrimEndingDirectorySeparator(directory.FullName), StringComparer.Ordinal))
        {
            return;
        }

        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = directory.EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            if (budget-- <= 0)
            {
                return;
            }

            try
            {
                if (entry.LastWriteTimeUtc < _since || entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo child)
                {
                    // A new file changes its folder's time, so only folders changed since the start can hold one.
                    if (depth < MaxDepth)
                    {
                        Scan(child, depth + 1, found, ref budget);
                    }
                }
                else if (entry is FileInfo file && file.Length is > 0 and < MaxSize && Holds(file) is { } holds)
                {
                    found.Add(new KeyFile(file.FullName, holds, OperatingSystem.IsWindows() ? null : file.UnixFileMode));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone or locked meanwhile: someone else's file.
            }
        }
    }

    private string? Holds(FileInfo file)
    {
        var bytes = File.ReadAllBytes(file.FullName);

        // Whole encodings only: every P-256 key's PKCS#8 starts with the same bytes, so a prefix would match anyone's key file.
        foreach (var der in PemBlocks(bytes).Prepend(bytes))
        {
            for (var i = 0; i < _needles.Length; i++)
            {
                if (der.AsSpan().IndexOf(_needles[i]) >= 0)
                {
                    return i == 0 ? "the server's certificate" : "the server's private key";
                }
            }
        }

        foreach (var password in new[] { null, string.Empty })
        {
            try
            {
                var collection = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
                if (collection.Any(c => c.Thumbprint == _certificate.Thumbprint))
                {
                    return collection.Any(c => c.HasPrivateKey)
                        ? $"a PKCS#12 file with the server's certificate and private key, {(password is null ? "no password" : "an empty password")}"
                        : "a PKCS#12 file with the server's certificate";
                }
            }
            catch (CryptographicException)
            {
                // Not a PKCS#12 file, or not one this password opens.
            }
        }

        return null;
    }
}
