using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>Exercise 2: validate properly, trusting only the lab root.</summary>
public static class ValidationGrader
{
    private const int Exercise = 2;

    /// <summary>The endpoints a client trusting only the lab root must refuse, each for its own reason.</summary>
    public static IReadOnlyList<string> RefusedScenarios { get; } =
        ["expired", "not-yet-valid", "self-signed", "untrusted-root", "incomplete-chain", "wrong-host"];

    /// <summary>CreateOptions(good's name, lab root) connects to <c>good</c>.</summary>
    public static async Task GoodIsAcceptedAsync(Lab lab, ValidationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var call = $"ValidatingClient.CreateOptions(\"{good.Host}\", lab root)";
        var options = CreateOptions(api, call, good.Host, lab.RootCertificate);
        if (options.TargetHost != good.Host)
        {
            throw new GradingFailure(
                $"CreateOptions set TargetHost to '{options.TargetHost}' instead of the targetHost argument.",
                call,
                $"options.TargetHost is '{options.TargetHost}'",
                $"TargetHost = \"{good.Host}\": the name the certificate must carry",
                new Hint(Exercise, 1));
        }

        var outcome = await TlsProbe.ConnectAsync(good.EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Succeeded)
        {
            return;
        }

        var status = outcome.Validation?.ChainStatus ?? X509ChainStatusFlags.NoError;
        var hint = status.HasFlag(X509ChainStatusFlags.RevocationStatusUnknown) || status.HasFlag(X509ChainStatusFlags.OfflineRevocation) ? 4 : 2;
        throw new GradingFailure(
            "A client built with CreateOptions refused the lab's good endpoint, which a client trusting the lab root must accept.",
            $"{call}, then a TLS handshake with 'good' at {good.EndPoint} ({Describe.Trust(options)})",
            Describe.Outcome(outcome),
            "the handshake succeeds and GET / answers HTTP/1.1 200 OK",
            new Hint(Exercise, hint));
    }

    /// <summary>CreateOptions refuses <paramref name="scenario"/> for the reason the lab documents.</summary>
    public static async Task ScenarioIsRefusedForItsReasonAsync(Lab lab, ValidationApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not a scenario a careful client refuses.", nameof(scenario));
        var call = $"ValidatingClient.CreateOptions(\"{endpoint.Host}\", lab root)";
        var options = CreateOptions(api, call, endpoint.Host, lab.RootCertificate);
        var tried = $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)})";

        var outcome = await TlsProbe.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(5), cancellationToken);
        if (outcome.Succeeded)
        {
            throw new GradingFailure(
                $"Your client connected to '{scenario}', which it must refuse: {expected.Summary}.",
                tried,
                $"{Describe.Outcome(outcome)}, although {Describe.DotNetVerdict(outcome)}",
                Describe.Refusal(expected),
                new Hint(Exercise, options.RemoteCertificateValidationCallback is not null ? 3 : 2));
        }

        var validation = outcome.Validation;
        var rightReason = outcome.Problem == expected.Problem
            && validation is not null
            && validation.PolicyErrors == expected.PolicyErrors
            && validation.ChainStatus.HasFlag(expected.ChainStatus);
        if (!rightReason)
        {
            throw new GradingFailure(
                $"Your client refused '{scenario}', but for the wrong reason: TlsProblem.{outcome.Problem} instead of TlsProblem.{expected.Problem}.",
                tried,
                Describe.Outcome(outcome),
                $"{Describe.Refusal(expected)}; a different reason usually means the client does not trust exactly the lab root",
                new Hint(Exercise, 2));
        }
    }

    /// <summary>GetStatusLineAsync completes a handshake with the given options and returns the status line.</summary>
    public static async Task GetsOkOverTlsAsync(Lab lab, ValidationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var good = lab["good"];
        var options = lab.CreateClientOptions("good");
        var call = $"ValidatingClient.GetStatusLineAsync({good.EndPoint}, options for '{good.Host}' trusting the lab root)";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(good.EndPoint, options, cancellationToken));
        if (error is not null)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync threw {error.GetType().Name} against the lab's good endpoint.",
                $"{call}; these options are known to work",
                $"{Attempt.OneLine(error)}. In plain words: {Explain.Failure(error)}",
                "\"HTTP/1.1 200 OK\"",
                new Hint(Exercise, 5),
                error);
        }

        if (statusLine != "HTTP/1.1 200 OK")
        {
            throw new GradingFailure(
                $"GetStatusLineAsync returned {Quote(statusLine)} from the good endpoint instead of the status line.",
                call,
                $"it returned {Quote(statusLine)}",
                "\"HTTP/1.1 200 OK\": send a GET with a Host header (as in exercise 1) over the SslStream and read one line",
                new Hint(Exercise, 5));
        }
    }

    /// <summary>GetStatusLineAsync lets an AuthenticationException reach the caller instead of hiding it.</summary>
    public static async Task LetsARefusalSurfaceAsync(Lab lab, ValidationApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var expired = lab["expired"];
        var options = lab.CreateClientOptions("expired");
        var call = $"ValidatingClient.GetStatusLineAsync({expired.EndPoint}, options for '{expired.Host}' trusting the lab root)";
        var (statusLine, error) = await Attempt.CaptureAsync(call, new Hint(Exercise, 5),
            () => api.GetStatusLineAsync(expired.EndPoint, options, cancellationToken));
        if (error is null)
        {
            throw new GradingFailure(
                $"GetStatusLineAsync returned {Quote(statusLine)} from 'expired' instead of failing.",
                $"{call}; the endpoint's certificate expired yesterday",
                $"it returned {Quote(statusLine)}: either validation was switched off, or a failure was turned into an ordinary return value",
                "an AuthenticationException from AuthenticateAsClientAsync, passed on to the caller",
                new Hint(Exercise, 5));
        }

        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return;
            }
        }

        throw new GradingFailure(
            $"GetStatusLineAsync failed against 'expired' with {error.GetType().Name}, not AuthenticationException.",
            call,
            Attempt.OneLine(error),
            "the AuthenticationException that AuthenticateAsClientAsync throws, unchanged (or as the InnerException of yours)",
            new Hint(Exercise, 5),
            error);
    }

    private static SslClientAuthenticationOptions CreateOptions(ValidationApi api, string call, string host, X509Certificate2 root)
    {
        var options = Attempt.Call(call, new Hint(Exercise, 1), () => api.CreateOptions(host, root));
        return options ?? throw new GradingFailure(
            "CreateOptions returned null.",
            call,
            "it returned null",
            "a new SslClientAuthenticationOptions",
            new Hint(Exercise, 1));
    }

    private static string Quote(string? text) => text is null ? "null" : $"\"{text}\"";
}
