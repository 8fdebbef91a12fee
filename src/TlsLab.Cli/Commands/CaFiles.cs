using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Cli.Commands;

/// <summary>The <c>--ca FILE</c> of probe, capture and bench: the PEM root certificates to trust, read once, with one sentence when they cannot be.</summary>
internal static class CaFiles
{
    /// <summary>
    /// The certificates in <paramref name="path"/>, or null and a problem that starts with the quoted path (the caller
    /// says which option it was): missing, unreadable, or holding no PEM certificate.
    /// </summary>
    public static X509Certificate2Collection? Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"'{path}' does not exist; give the PEM file of the root certificate to trust (tlslab serve writes .tlslab/lab-root.pem).";
            return null;
        }

        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                problem = $"'{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).";
                return null;
            }

            return roots;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problem = $"'{path}' cannot be read as PEM certificates: {e.Message}";
            return null;
        }
    }

    /// <summary>Only the problem, for a request's checks before anything runs.</summary>
    public static string? Problem(string path, string prefix) => Load(path, out var problem) is null ? prefix + problem : null;
}
