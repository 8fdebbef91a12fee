using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// The check every exercise client that takes a target also passes: the same client, pointed at an attacker in the middle (an
/// <see cref="Interceptor"/> in front of the lab's good endpoint) that presents a forged certificate, must not say a word. A client
/// that sends its request there fails with what the attacker read and the hint for its cause.
/// </summary>
public static class AttackerInTheMiddle
{
    /// <summary>The secret the graders' request carries, so a failure can show it in the attacker's hands.</summary>
    public const string Authorization = "Bearer tlslab-grading-token";

    // The three forgeries a client could mistake for the server; the real certificate without its key fools no client.
    private static readonly Forgery[] Forgeries = [Forgery.SelfSigned, Forgery.OtherName, Forgery.ImpostorCa];

    /// <summary>
    /// For an answer that is client options: a client built with <paramref name="createOptions"/> (given the good endpoint's host name) sends
    /// a GET with an <c>Authorization</c> header through each forgery. <paramref name="hints"/> names the hint for a callback that overruled
    /// .NET's verdict (<c>Callback</c>) and for trust that let the forged chain through (<c>Trust</c>).
    /// </summary>
    public static async Task ReadsNothingFromAsync(Lab lab, string call, Func<string, SslClientAuthenticationOptions> createOptions,
        (Hint Callback, Hint Trust) hints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(createOptions);
        foreach (var forgery in Forgeries)
        {
            await using var attacker = await Interceptor.StartAsync(lab, "good", forgery);
            var options = createOptions(attacker.Target.Host);
            SslPolicyErrors? overruled = null;
            if (options.RemoteCertificateValidationCallback is { } callback)
            {
                // Wrapped, to tell "your callback said yes to what .NET refused" from "your trust settings let it through".
                options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    var accepted = callback(sender, certificate, chain, errors);
                    overruled = accepted && errors != SslPolicyErrors.None ? errors : overruled;
                    return accepted;
                };
            }

            await SendRequestAsync(attacker.EndPoint, options, cancellationToken);
            var seen = await attacker.WaitForConnectionAsync(1, TimeSpan.FromSeconds(10), cancellationToken);
            if (seen.ClientFooled)
            {
                var cause = overruled is { } errors
                    ? $".NET refused the certificate ({errors}) and your validation callback returned true anyway"
                    : $"your trust settings accepted it ({Describe.Trust(createOptions(attacker.Target.Host))})";
                throw Failure(attacker, seen, $"{call}, then GET / with an Authorization header, sent to an attacker in the middle",
                    cause, overruled is null ? hints.Trust : hints.Callback);
            }
        }
    }

    /// <summary>
    /// For an answer that connects by itself (exercise 4): <paramref name="connects"/> is called with the attacker's address and the good
    /// endpoint's host name, and must not report success. A name the forgery does not carry points to <c>Callback</c> (a forgiven name
    /// mismatch), a chain the lab root did not sign to <c>Trust</c>.
    /// </summary>
    public static async Task IsNotTakenInByAsync(Lab lab, string call, Func<IPEndPoint, string, Task<bool>> connects,
        (Hint Callback, Hint Trust) hints)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(connects);
        foreach (var forgery in Forgeries)
        {
            await using var attacker = await Interceptor.StartAsync(lab, "good", forgery);
            if (await connects(attacker.EndPoint, attacker.Target.Host))
            {
                var seen = await attacker.WaitForConnectionAsync(1, TimeSpan.FromSeconds(10));
                var (cause, hint) = forgery == Forgery.OtherName
                    ? ("its certificate is for another name, and your client let the name mismatch go", hints.Callback)
                    : ("its chain does not lead to the lab root, and your client trusted it anyway", hints.Trust);
                throw Failure(attacker, seen, $"{call} with the attacker's address, which presents {attacker.Presents}", cause, hint, reported: true);
            }
        }
    }

    private static GradingFailure Failure(Interceptor attacker, InterceptedConnection seen, string tried, string cause, Hint hint,
        bool reported = false)
    {
        var read = seen.ClientFooled
            ? string.Join(" | ", seen.Request.Split("\r\n\r\n")[0].Split("\r\n"))
            : "nothing yet: your client finished the handshake with the attacker and reported success, so the request it sends next is theirs";
        return new GradingFailure(
            $"An attacker in the middle read your request: {read}",
            $"{tried} (it presents {attacker.Presents}, then passes everything on to the real '{attacker.Target.Name}')",
            $"your client {(reported ? "reported a successful connection" : "talked")}: {cause}" +
                (seen.StatusLine is { } status ? $"; the attacker passed on the real answer ({status}), so nothing looked wrong" : ""),
            "a refusal during the handshake, before a byte of the request is sent: only the real server's certificate, for its name, " +
                "chaining to the lab root, will do",
            hint);
    }

    /// <summary>One request with a secret in it; whatever goes wrong (a refusal, above all) ends it quietly.</summary>
    private static async Task SendRequestAsync(IPEndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Attempt.DefaultTimeout);
        try
        {
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endPoint, timeout.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
            var request = $"GET / HTTP/1.1\r\nHost: {options.TargetHost}\r\nAuthorization: {Authorization}\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
            using var reader = new StreamReader(tls, Encoding.UTF8);
            await reader.ReadToEndAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException)
        {
            // A refusal is the right answer here; what the attacker read decides.
        }
    }
}
