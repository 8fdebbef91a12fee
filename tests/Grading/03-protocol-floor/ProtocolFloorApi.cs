using System.Net.Security;

namespace TlsLab.Grading;

/// <summary>Exercise 3: <c>ProtocolFloor</c>.</summary>
public sealed record ProtocolFloorApi(
    Func<SslClientAuthenticationOptions, SslClientAuthenticationOptions> AtLeastTls12,
    Func<SslClientAuthenticationOptions, SslClientAuthenticationOptions> OnlyTls13)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static ProtocolFloorApi Compiled { get; } = new(Exercises.ProtocolFloor.AtLeastTls12, Exercises.ProtocolFloor.OnlyTls13);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static ProtocolFloorApi Current => Attendee.Current(Compiled);
}
