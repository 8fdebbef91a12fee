using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>
/// A client certificate, with its key, in the current user's personal (My) store while a check runs: what a handler that picks "any
/// suitable certificate from the store" (HttpClientHandler's ClientCertificateOptions.Automatic, or a selection callback that opens the store)
/// finds and hands to a server that asks. Linux only, like <see cref="MachineTrustedRoot"/>: elsewhere adding it could ask the user.
/// </summary>
public sealed class UserStoreClientCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private UserStoreClientCertificate(X509Certificate2 certificate)
    {
        _certificate = certificate;
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
    }

    /// <summary>Adds <paramref name="certificate"/> (with its key) until disposed; skips the calling check off Linux.</summary>
    public static UserStoreClientCertificate Add(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip(MachineTrustedRoot.SkipReason);
        }

        return new UserStoreClientCertificate(certificate);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Remove(_certificate);
    }
}
