using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;

namespace TlsLab.Exercises;

/// <summary>Exercise 11: an ASP.NET Core app whose Kestrel serves TLS the way exercises 5 to 7 did by hand. Task: README.md in this
/// folder.</summary>
public static class KestrelApp
{
    /// <summary>Configures <paramref name="builder"/> to serve HTTPS on loopback with <paramref name="certificate"/> and its
    /// <paramref name="chain"/>, TLS 1.2 and 1.3 with modern suites, optional client certificates checked against <paramref name="clientCa"/>,
    /// and HSTS; builds the app and returns it (not started, no endpoints: the caller maps them).</summary>
    public static WebApplication Build(WebApplicationBuilder builder, X509Certificate2 certificate, X509Certificate2Collection chain,
        X509Certificate2 clientCa)
    {
        // TODO: ConfigureKestrel (Listen on loopback, UseHttps with the certificate, chain, protocols, suites, client certificates), AddHsts,
        // Build, UseHsts.
        throw new NotImplementedException("Exercise 11, Build: see notebooks/13-kestrel.ipynb and exercises/11-kestrel/HINTS.md");
    }
}
