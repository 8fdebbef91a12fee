using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>Exercise 4: connect to an address, validate a name, and explain a refusal from its flags.</summary>
public static class HostnameGrader
{
    private const int Exercise = 4;

    /// <summary>Endpoints whose certificate chain is refused, with the flag the result must carry.</summary>
    public static IReadOnlyList<string> ChainProblemScenarios { get; } = ["expired", "self-signed", "untrusted-root", "incomplete-chain"];

    /// <summary>good, reached at 127.0.0.1 and validated as good.localhost, connects.</summary>
    public static async Task GoodByAddressConnectsAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var good = lab["good"];
        var (call, result) = await ConnectAsync(lab, api, good.EndPoint, good.Host, cancellationToken);
        if (result.Connected && result.PolicyErrors == SslPolicyErrors.None)
        {
            return;
        }

        var hint = result.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? 2
            : result.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? 3
            : 4;
        throw new GradingFailure(
            $"Connecting to 'good' at {good.EndPoint} while validating '{good.Host}' failed; it should succeed.",
            call,
            Show(result),
            $"Connected = true, PolicyErrors = None: the certificate of 'good' is valid for '{good.Host}' and chains to the lab root",
            new Hint(Exercise, hint));
    }

    /// <summary>wrong-host is refused with exactly RemoteCertificateNameMismatch, and the reason names the host asked for.</summary>
    public static async Task WrongHostIsANameMismatchAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var wrongHost = lab["wrong-host"];
        var (call, result) = await ConnectAsync(lab, api, wrongHost.EndPoint, wrongHost.Host, cancellationToken);
        ExpectNameMismatch(result, call, wrongHost.Host,
            $"'wrong-host' presents a valid certificate, for another name ({ScenarioCredentials.WrongHostName})");
    }

    /// <summary>good validated as another lab name is refused: the name is what counts, not the address.</summary>
    public static async Task GoodAsAnotherNameIsRefusedAsync(Lab lab, HostnameApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var good = lab["good"];
        var otherName = lab["expired"].Host;
        var (call, result) = await ConnectAsync(lab, api, good.EndPoint, otherName, cancellationToken);
        ExpectNameMismatch(result, call, otherName,
            $"the certificate of 'good' is valid for {good.Host}, localhost, 127.0.0.1 and ::1, but not for '{otherName}'");
    }

    /// <summary>A chain problem is refused with RemoteCertificateChainErrors, the scenario's chain status flag and a reason.</summary>
    public static async Task ChainProblemIsReportedAsync(Lab lab, HostnameApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection!;
        var (call, result) = await ConnectAsync(lab, api, endpoint.EndPoint, endpoint.Host, cancellationToken);
        var expectation = $"Connected = false, PolicyErrors = RemoteCertificateChainErrors, ChainStatus including {expected.ChainStatus}, and a Reason ({expected.Summary})";
        if (result.Connected)
        {
            throw new GradingFailure(
                $"Your client connected to '{scenario}', which it must refuse: {expected.Summary}.",
                call,
                Show(result),
                expectation,
                new Hint(Exercise, 4));
        }

        if (result.PolicyErrors != SslPolicyErrors.RemoteCertificateChainErrors || !result.ChainStatus.HasFlag(expected.ChainStatus))
        {
            var missing = result.PolicyErrors == SslPolicyErrors.None
                ? "PolicyErrors is None although the connection was refused: the result does not carry what validation found"
                : result.ChainStatus == X509ChainStatusFlags.NoError
                    ? "ChainStatus is NoError: combine the Status of every entry in chain.ChainStatus"
                    : $"the flags do not match what .NET reports for '{scenario}'";
            throw new GradingFailure(
                $"The refusal of '{scenario}' does not report the right flags: {missing}.",
                call,
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }

        if (string.IsNullOrWhiteSpace(result.Reason))
        {
            throw new GradingFailure(
                $"The refusal of '{scenario}' has no Reason.",
                call,
                Show(result),
                "a sentence for a person: what is wrong with the certificate (Explain.Validation can write it)",
                new Hint(Exercise, 5));
        }
    }

    private static void ExpectNameMismatch(HostnameVerdict result, string call, string expectedHost, string why)
    {
        var expectation = $"Connected = false, PolicyErrors = RemoteCertificateNameMismatch (and nothing else), ChainStatus = NoError, and a Reason that names '{expectedHost}'";
        if (result.Connected)
        {
            throw new GradingFailure(
                $"Your client accepted a certificate that is not valid for '{expectedHost}'.",
                $"{call}; {why}",
                Show(result),
                $"{expectation}. Either TargetHost was not '{expectedHost}' (the address instead?) or the callback let a name mismatch through",
                new Hint(Exercise, 2));
        }

        if (result.PolicyErrors != SslPolicyErrors.RemoteCertificateNameMismatch || result.ChainStatus != X509ChainStatusFlags.NoError)
        {
            throw new GradingFailure(
                $"The refusal is right but its flags are not: PolicyErrors {result.PolicyErrors}, ChainStatus {result.ChainStatus}.",
                $"{call}; {why}",
                Show(result),
                expectation,
                new Hint(Exercise, result.PolicyErrors == SslPolicyErrors.None ? 5 : 3));
        }

        if (string.IsNullOrWhiteSpace(result.Reason) || !result.Reason.Contains(expectedHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new GradingFailure(
                $"The Reason for refusing a name mismatch does not say which name was asked for ('{expectedHost}').",
                $"{call}; {why}",
                Show(result),
                expectation,
                new Hint(Exercise, 5));
        }
    }

    private static async Task<(string Call, HostnameVerdict Result)> ConnectAsync(
        Lab lab, HostnameApi api, System.Net.IPEndPoint address, string expectedHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var call = $"HostnameCheck.ConnectAsync({address}, \"{expectedHost}\", lab root)";
        var result = await Attempt.CallAsync(call, new Hint(Exercise, 5),
            () => api.ConnectAsync(address, expectedHost, lab.RootCertificate, cancellationToken));
        return (call, result ?? throw new GradingFailure(
            "HostnameCheck.ConnectAsync returned null.",
            call,
            "it returned null",
            "a HostnameCheckResult, also (especially) when the certificate is refused",
            new Hint(Exercise, 5)));
    }

    private static string Show(HostnameVerdict result) =>
        $"Connected = {result.Connected}, PolicyErrors = {result.PolicyErrors}, ChainStatus = {result.ChainStatus}, Reason = {(result.Reason is null ? "null" : $"\"{result.Reason}\"")}";
}
