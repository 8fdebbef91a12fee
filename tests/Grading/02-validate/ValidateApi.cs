using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 2: <c>ValidatingClient</c>.</summary>
public sealed record ValidateApi(
    Func<string, X509Certificate2, SslClientAuthenticationOptions> CreateOptions,
    Func<IPEndPoint, SslClientAuthenticationOptions, CancellationToken, Task<string>> GetStatusLineAsync)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static ValidateApi Compiled { get; } = new(ValidatingClient.CreateOptions, ValidatingClient.GetStatusLineAsync);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static ValidateApi Current => Attendee.Current(Compiled);
}
