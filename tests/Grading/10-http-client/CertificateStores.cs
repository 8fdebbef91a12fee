using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>The current user's certificate stores (Root, CA, My), by thumbprint: what code that "installs" a root or a key changes.</summary>
public sealed record CertificateStores(IReadOnlyDictionary<string, string[]> Thumbprints)
{
    private static readonly StoreName[] Watched = [StoreName.Root, StoreName.CertificateAuthority, StoreName.My];

    /// <summary>What the stores hold now.</summary>
    public static CertificateStores Now()
    {
        var all = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in Watched)
        {
            using var store = new X509Store(name, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly | OpenFlags.IncludeArchived);
            all[name.ToString()] = [.. store.Certificates.Select(c => c.Thumbprint).Order(StringComparer.Ordinal)];
        }

        return new CertificateStores(all);
    }

    /// <summary>The entries added since <paramref name="before"/>, as "store: subject" lines; those that are <paramref name="ignore"/>d left out.</summary>
    public static IReadOnlyList<string> Added(CertificateStores before, Func<X509Certificate2, bool> ignore)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(ignore);
        var added = new List<string>();
        foreach (var name in Watched)
        {
            using var store = new X509Store(name, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly | OpenFlags.IncludeArchived);
            var old = before.Thumbprints.GetValueOrDefault(name.ToString(), []);
            added.AddRange(store.Certificates
                .Where(c => !old.Contains(c.Thumbprint, StringComparer.Ordinal) && !ignore(c))
                .Select(c => $"CurrentUser\\{name}: {c.Subject}"));
        }

        return added;
    }
}
