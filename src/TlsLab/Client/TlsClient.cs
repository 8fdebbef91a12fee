using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using TlsLab.Diagnostics;
using TlsLab.Wire;

namespace TlsLab.Client;

/// <summary>
/// A careful TLS client in one call: connect, handshake with the given options, optionally send an
/// HTTP request, and report what happened in learner-facing terms. It validates exactly as .NET
/// does; it only records what validation saw.
/// </summary>
public static class TlsClient
{
    /// <summary>Connects to <paramref name="endPoint"/> with <paramref name="options"/>; never throws for network or TLS failures.</summary>
    /// <param name="endPoint">Where to connect.</param>
    /// <param name="options">Client options; a validation callback already set is kept and still decides.</param>
    /// <param name="path">The path to GET after the handshake, or null to stop after the handshake.</param>
    /// <param name="timeout">Deadline for the whole attempt (default 10 s).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public static async Task<HandshakeOutcome> ConnectAsync(
        IPEndPoint endPoint,
        SslClientAuthenticationOptions options,
        string? path = "/",
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        var recorder = options.RemoteCertificateValidationCallback is { } existing
            ? new ValidationRecorder(existing)
            : new ValidationRecorder();
        var recorded = CopyWithRecorder(options, recorder);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var localPort = 0;
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
            tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(recorded, deadline.Token).ConfigureAwait(false);
            var outcome = new HandshakeOutcome
            {
                Succeeded = true,
                Protocol = tls.SslProtocol,
                CipherSuite = tls.NegotiatedCipherSuite,
                Validation = recorder.Last,
                Problem = TlsProblem.None,
                Explanation = recorder.Last is { Passed: false } overridden
                    ? $"Connected with {tls.SslProtocol} using {tls.NegotiatedCipherSuite}, but only because the validation callback overrode .NET's " +
                        $"verdict: {Explain.Validation(overridden)}"
                    : $"Connected with {tls.SslProtocol} using {tls.NegotiatedCipherSuite}; the certificate chains to a trusted root and matches " +
                        $"'{recorded.TargetHost}'.",
                LocalPort = localPort,
            };
            if (path is null)
            {
                return outcome;
            }

            var (statusLine, body) = await GetAsync(tls, recorded.TargetHost ?? endPoint.Address.ToString(), path, deadline.Token).ConfigureAwait(false);
            if (statusLine.Length == 0)
            {
                throw new IOException("The server closed the connection without answering the request.");
            }

            return outcome with { StatusLine = statusLine, Body = body };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var validation = recorder.Last;
            var problem = Explain.Classify(e, validation);

            // TLS 1.3 finishes the client's side of the handshake before the server has checked the
            // client; a server that wanted a certificate says no on the first read.
            if (tls is { IsAuthenticated: true } && validation is { Passed: true } && recorded.ClientCertificates is not { Count: > 0 })
            {
                problem = TlsProblem.ClientCertificateRequired;
            }

            var explanation = Explain.Failure(e, validation, problem, validationWatched: true);
            return new HandshakeOutcome
            {
                Succeeded = false,
                Protocol = tls is { IsAuthenticated: true } ? tls.SslProtocol : null,
                Validation = validation,
                Problem = problem,
                Explanation = explanation,

                // The recorder is the validation callback, so .NET's own message blames "the provided
                // RemoteCertificateValidationCallback" for every refused certificate: say what was refused.
                Error = validation is { Passed: false } && e is AuthenticationException ? new AuthenticationException(explanation, e) : e,
                LocalPort = localPort,
            };
        }
        finally
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Opt-in: from now on this process writes the TLS secrets of every connection into <paramref name="keyLogFile"/> (NSS key-log
    /// format, owner-only, labelled), so a recorded transcript or a capture can be decrypted. The file decrypts the traffic: never
    /// share it. Must run before this process's first TLS connection. Returns null when key logging is on, otherwise why not (Linux
    /// only: Windows and macOS do not hand .NET the secrets). Never throws.
    /// </summary>
    public static Task<string?> TryEnableKeyLogAsync(string keyLogFile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyLogFile);
        return SslKeyLogging.TryEnableAsync(keyLogFile, cancellationToken);
    }

    /// <summary>Sends a correct HTTP/1.1 GET (CRLF line endings, Host header) and reads the whole answer.</summary>
    public static async Task<(string StatusLine, string Body)> GetAsync(Stream stream, string host, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var request = $"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var response = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusLine = response.Split("\r\n", 2)[0];
        return (statusLine, split < 0 ? string.Empty : response[(split + 4)..]);
    }

    private static SslClientAuthenticationOptions CopyWithRecorder(SslClientAuthenticationOptions o, ValidationRecorder recorder) => new()
    {
        TargetHost = o.TargetHost,
        EnabledSslProtocols = o.EnabledSslProtocols,
        CertificateChainPolicy = o.CertificateChainPolicy,
        CertificateRevocationCheckMode = o.CertificateRevocationCheckMode,
        ClientCertificates = o.ClientCertificates,
        ClientCertificateContext = o.ClientCertificateContext,
        LocalCertificateSelectionCallback = o.LocalCertificateSelectionCallback,
        ApplicationProtocols = o.ApplicationProtocols,
        CipherSuitesPolicy = OperatingSystem.IsWindows() ? null : o.CipherSuitesPolicy,
        EncryptionPolicy = o.EncryptionPolicy,
        AllowRenegotiation = o.AllowRenegotiation,
        AllowTlsResume = o.AllowTlsResume,
        RemoteCertificateValidationCallback = recorder.Validate,
    };
}
