using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Grading;

/// <summary>
/// A stranger root that the machine's trust store trusts while a check runs: what a public CA, a company proxy's
/// root or anything an administrator installed looks like to code that asks the machine. No lab endpoint chains to
/// a machine root, so without this fixture "trusts the lab root alone" and "trusts the machine's roots as well"
/// look the same.
/// </summary>
/// <remarks>
/// The root goes into the current user's Root store, which .NET on Linux keeps in a folder of its own
/// (~/.dotnet/corefx/cryptography/x509stores/root) and trusts in chain building alongside the system's roots,
/// and is removed as soon as the last check using it ends; a root left by a run that crashed is removed by the next.
/// Only its certificate is stored, never its key. Windows would ask the user to confirm the addition, and macOS
/// does not allow it from code: there the checks that need it are skipped.
/// </remarks>
public sealed class MachineTrustedRoot
{
    /// <summary>The start of the root's common name (the process id follows); a root with this name whose process is gone is a leftover.</summary>
    public const string CommonName = "TlsLab grading stranger root (machine-trusted while a check runs)";

    private static readonly Lazy<MachineTrustedRoot> Shared = new(() => new MachineTrustedRoot());
    private static readonly Lock Gate = new();
    private static int s_users;

    // Kept for the life of the test process, to issue from: the keys live in memory only.
    private readonly CertificateAuthority _root;
    private readonly CertificateAuthority _intermediate;

    private MachineTrustedRoot()
    {
        // The process id in the name: another test process may be running the same checks with a root of its own.
        _root = CertificateAuthority.CreateRoot($"{CommonName} pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        _intermediate = _root.CreateIntermediate("TlsLab grading stranger intermediate");
        Root = _root.PublicCertificate;
        Intermediate = _intermediate.PublicCertificate;
        ClientCertificate = ServerCertificates.CreateContext(_intermediate.Issue(LeafSpec.ForClient("machine-trusted stranger")), [Intermediate]);
    }

    /// <summary>True where the fixture can install the root without asking anyone (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Why the checks that need the fixture are skipped elsewhere.</summary>
    public const string SkipReason = "This check adds a throwaway root to the machine's trust store for a moment, which only Linux allows without " +
        "asking you; the exercise still counts, the rest of it is graded.";

    /// <summary>The one fixture of the test process.</summary>
    public static MachineTrustedRoot Instance => Shared.Value;

    /// <summary>The stranger root (no key).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate under it (no key).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>A client certificate from the stranger intermediate, with that intermediate.</summary>
    public SslStreamCertificateContext ClientCertificate { get; }

    /// <summary>A server certificate for <paramref name="host"/> from the stranger intermediate, with that intermediate.</summary>
    public SslStreamCertificateContext ServerCertificate(string host) =>
        ServerCertificates.CreateContext(_intermediate.Issue(LeafSpec.ForServer(host)), [Intermediate]);

    /// <summary>
    /// Makes the machine trust <see cref="Root"/> until the result is disposed (shared between checks running at once).
    /// Skips the calling check where <see cref="Supported"/> is false.
    /// </summary>
    public IDisposable Trust()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip(SkipReason);
        }

        lock (Gate)
        {
            if (s_users++ == 0)
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadWrite);
                RemoveLeftovers(store);
                store.Add(Root);
            }
        }

        return new Untrust();
    }

    // Roots of processes that are gone (a run that crashed): never another live process's, which its checks are using.
    private static void RemoveLeftovers(X509Store store)
    {
        foreach (var old in store.Certificates.Find(X509FindType.FindBySubjectName, CommonName, validOnly: false))
        {
            var name = old.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var pid = int.TryParse(name[(name.LastIndexOf(' ') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (pid == Environment.ProcessId || !IsRunning(pid))
            {
                store.Remove(old);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class Untrust : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            lock (Gate)
            {
                if (--s_users == 0)
                {
                    using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
                    store.Open(OpenFlags.ReadWrite);
                    store.Remove(Instance.Root);
                }
            }
        }
    }
}
