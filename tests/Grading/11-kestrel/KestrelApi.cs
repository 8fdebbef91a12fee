using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;

namespace TlsLab.Grading;

/// <summary>Exercise 11: <c>KestrelApp</c>.</summary>
public sealed record KestrelApi(Func<WebApplicationBuilder, X509Certificate2, X509Certificate2Collection, X509Certificate2, WebApplication> Build)
{
    /// <summary>The <c>TlsLab.Exercises</c> types this project was compiled against (exercises/ for the attendee, solutions/ for the kit).</summary>
    public static KestrelApi Compiled { get; } = new(TlsLab.Exercises.KestrelApp.Build);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static KestrelApi Current => Attendee.Current(Compiled);
}
