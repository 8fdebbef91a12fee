using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 4: <c>HostnameCheck</c>, its result copied into <see cref="HostnameVerdict"/>.</summary>
public sealed record HostnameApi(
    Func<IPEndPoint, string, X509Certificate2, CancellationToken, Task<HostnameVerdict?>> ConnectAsync)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static HostnameApi Compiled { get; } = new(async (address, host, root, ct) =>
        await HostnameCheck.ConnectAsync(address, host, root, ct) is { } r ? new HostnameVerdict(r.Connected, r.PolicyErrors, r.ChainStatus, r.Reason) : null);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static HostnameApi Current => Attendee.Current(Compiled);
}

/// <summary>The fields of exercise 4's <c>HostnameCheckResult</c>.</summary>
public sealed record HostnameVerdict(bool Connected, SslPolicyErrors PolicyErrors, X509ChainStatusFlags ChainStatus, string? Reason);
