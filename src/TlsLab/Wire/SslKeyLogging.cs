using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Wire;

/// <summary>
/// Switches on .NET's NSS key-log writing for every <see cref="SslStream"/> of this process, into one owner-only file.
/// </summary>
/// <remarks>
/// What .NET 10 does (checked on Linux): the runtime reads the AppContext switch <c>System.Net.EnableSslKeyLogging</c> and the
/// environment variable <c>SSLKEYLOGFILE</c> once, at the process's first TLS handshake, and appends to that file from then on.
/// Setting them later changes nothing, and clearing the variable later does not stop the logging. So this class sets both,
/// makes one throwaway loopback handshake at once to fix the choice, and puts <c>SSLKEYLOGFILE</c> back as it was: the
/// logging stays on for this process only, and programs it starts later (curl, openssl, python) do not inherit it.
/// Only Linux (OpenSSL) hands .NET the secrets; SChannel (Windows) and macOS's TLS do not.
/// </remarks>
internal static class SslKeyLogging
{
    /// <summary>The first line of every key log the kit writes.</summary>
    internal const string Label = "# TLS key log (NSS format) written by TlsLab. These secrets decrypt the recorded TLS traffic: " +
        "keep this file on this machine, never share or commit it, delete it when done.";

    private const string Switch = "System.Net.EnableSslKeyLogging";
    private const string Variable = "SSLKEYLOGFILE";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? s_path;
    private static string? s_failure;

    /// <summary>The file this process writes its TLS secrets to, or null when key logging is off.</summary>
    public static string? ActivePath => Volatile.Read(ref s_path);

    /// <summary>Why this platform cannot log keys, or null when it can.</summary>
    public static string? PlatformProblem => OperatingSystem.IsLinux()
        ? null
        : "TLS key logging needs .NET on Linux: " + (OperatingSystem.IsWindows() ? "Windows' TLS (SChannel)" : "this platform's TLS") +
            " does not hand .NET the secrets. Make the key log and capture on Linux (or in the kit's dev container); decrypting them " +
            "works here.";

    /// <summary>Switches key logging on into <paramref name="path"/>; returns null when it is on, otherwise why not. Never throws.</summary>
    public static async Task<string?> TryEnableAsync(string path, CancellationToken cancellationToken = default)
    {
        if (PlatformProblem is { } problem)
        {
            return problem;
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"'{path}' is not a usable file name for the key log: {e.Message}";
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (s_path is { } active)
            {
                return string.Equals(active, full, StringComparison.Ordinal)
                    ? null
                    : $"This process already writes its TLS key log to '{active}'; .NET takes one key-log file per process, chosen at its " +
                        "first TLS connection. Use that file, or start a new process.";
            }

            if (s_failure is { } failure)
            {
                return failure;
            }

            try
            {
                OwnerOnlyFile.WriteAllText(full, Label + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return $"Cannot write the key log '{full}': {e.Message} Choose a writable file.";
            }

            var previous = Environment.GetEnvironmentVariable(Variable);
            AppContext.SetSwitch(Switch, true);
            Environment.SetEnvironmentVariable(Variable, full);
            try
            {
                await ProbeHandshakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or CryptographicException)
            {
                return $"Could not make the loopback handshake that switches key logging on: {e.Message}";
            }
            finally
            {
                Environment.SetEnvironmentVariable(Variable, previous);
            }

            if (File.ReadAllText(full).Contains("CLIENT_", StringComparison.Ordinal))
            {
                Volatile.Write(ref s_path, full);
                return null;
            }

            File.Delete(full);
            s_failure = "This process made a TLS connection before key logging was switched on, and .NET reads that setting only at its " +
                "first TLS connection. Start a new process (in a notebook: restart the kernel) and switch key logging on before connecting.";
            return s_failure;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>One handshake with itself over loopback, so the runtime reads the switch and the variable now.</summary>
    private static async Task ProbeHandshakeAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=key-log switch", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        using var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var client = new TcpClient();
            var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
            using var accepted = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            await connecting.ConfigureAwait(false);
            await using var server = new SslStream(accepted.GetStream());
            var pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);

            // The client trusts exactly this one throwaway certificate, by its hash.
            await using var tls = new SslStream(client.GetStream(), false, (_, presented, _, _) =>
                presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token),
                tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "key-log-switch" }, timeout.Token))
                .ConfigureAwait(false);
        }
        finally
        {
            listener.Stop();
        }
    }
}
