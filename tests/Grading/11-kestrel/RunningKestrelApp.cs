using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// The attendee's app, built by their <c>KestrelApp.Build</c> from a fresh builder with a certificate for <c>localhost</c> (and 127.0.0.1,
/// ::1) from the lab, its intermediate as the chain, and the lab root as the client CA; the grader maps <c>GET /</c> (it answers with the
/// subject of the client's certificate, or <c>anonymous</c>) and starts it. Judged from outside only: real clients and the OS.
/// </summary>
public sealed class RunningKestrelApp : IAsyncDisposable
{
    /// <summary>The name on the app's certificate.</summary>
    public const string Host = "localhost";

    private readonly WebApplication _app;

    private RunningKestrelApp(WebApplication app, IPEndPoint endPoint, IReadOnlyList<string> addresses)
    {
        _app = app;
        EndPoint = endPoint;
        Addresses = addresses;
    }

    /// <summary>The first address the app reported, to connect to.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Every address the app reported listening on (Kestrel's own words, e.g. <c>https://127.0.0.1:41234</c>).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>What the call looked like, for messages.</summary>
    public const string Call = "KestrelApp.Build(builder, a certificate for localhost, [its intermediate], lab root)";

    /// <summary>Builds and starts the attendee's app; a failure to build or start becomes a grading failure pointing at <paramref name="hint"/>.</summary>
    public static Task<RunningKestrelApp> StartAsync(Lab lab, KestrelApi api, Hint hint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return StartAsync(lab, api, lab.RootCertificate, Call, hint, cancellationToken);
    }

    /// <summary>As <see cref="StartAsync(Lab, KestrelApi, Hint, CancellationToken)"/>, with another client CA (a root of the grader's own, whose
    /// CRLs it serves); <paramref name="call"/> says so in messages.</summary>
    public static async Task<RunningKestrelApp> StartAsync(Lab lab, KestrelApi api, X509Certificate2 clientCa, string call, Hint hint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(clientCa);
        var certificate = lab.Pki.IssueServerCertificate(Host, KeyKind.EcdsaP256, IPAddress.Loopback, IPAddress.IPv6Loopback);
        var chain = new X509Certificate2Collection(lab.Pki.Intermediate.PublicCertificate);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var app = Attempt.Call(call, hint, () => api.Build(builder, certificate, chain, clientCa))
            ?? throw new GradingFailure("Build returned null.", call, "it returned null", "the built WebApplication", hint);
        app.MapGet("/", (HttpContext http) => http.Connection.ClientCertificate?.Subject ?? "anonymous");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            await app.DisposeAsync();
            throw new GradingFailure($"The app built by Build did not start: {e.Message}", $"{call}, then app.StartAsync()", Attempt.OneLine(e),
                "an app that starts and listens on a loopback address", hint, e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var first = addresses.Select(a => new Uri(a)).FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps);
        if (first is null)
        {
            await app.DisposeAsync();
            throw new GradingFailure("The app built by Build listens on no HTTPS address.", $"{call}, then app.StartAsync()",
                $"it listens on [{string.Join(", ", addresses)}]", "one HTTPS address on loopback (Listen(IPAddress.Loopback, 0, l => l.UseHttps()))", hint);
        }

        var ip = IPAddress.Parse(first.Host.Trim('[', ']'));
        var connectTo = ip.Equals(IPAddress.Any) ? IPAddress.Loopback : ip.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : ip;
        return new RunningKestrelApp(app, new IPEndPoint(connectTo, first.Port), addresses);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
