using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TlsLab.Pki;
using TlsLab.Tests.Interop;

namespace TlsLab.Tests.Cli;

// Exercise 11's graders judge an app from outside with openssl, curl and the OS; the kit's own probe lives in the CLI, out of their
// reach. So this kit test runs `tlslab probe` on the reference answer (solutions/11-kestrel, compiled in) and holds it to A+.

/// <summary>The reference Kestrel app of exercise 11 grades A+ with tlslab probe.</summary>
public sealed class ProbeReferenceKestrelAppTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    [Fact]
    public async Task The_reference_Kestrel_app_grades_A_plus()
    {
        var lab = fixture.Lab;
        var certificate = lab.Pki.IssueServerCertificate("localhost", KeyKind.EcdsaP256, IPAddress.Loopback, IPAddress.IPv6Loopback);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        await using var app = TlsLab.Exercises.KestrelApp.Build(builder, certificate, new X509Certificate2Collection(lab.Pki.Intermediate.PublicCertificate),
            lab.RootCertificate);
        app.MapGet("/", (HttpContext http) => http.Connection.ClientCertificate?.Subject ?? "anonymous");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(app.Urls.First()).Port;

        var (exit, stdout, stderr) = await CliRun.CompleteAsync(
            "probe", $"127.0.0.1:{port}", "--servername", "localhost", "--ca", files.Root, "--json", "--timeout", "3");
        await app.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        Assert.True(root.GetProperty("trusted").GetBoolean() && root.GetProperty("nameMatches").GetBoolean(), stdout);
        Assert.True(root.GetProperty("chainComplete").GetBoolean(), $"The reference app does not send its intermediate:\n{stdout}");
        Assert.False(root.GetProperty("protocols").GetProperty("TLS 1.0").GetBoolean());
        Assert.False(root.GetProperty("protocols").GetProperty("TLS 1.1").GetBoolean());
        Assert.True(root.GetProperty("protocols").GetProperty("TLS 1.2").GetBoolean());
        Assert.True(root.GetProperty("protocols").GetProperty("TLS 1.3").GetBoolean());
        Assert.True(root.GetProperty("clientCertRequested").GetBoolean(), "The reference app should ask for an optional client certificate.");

        // On Windows the suites are the machine's (the app cannot set them), so the grade is the machine's too.
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(root.GetProperty("grade").GetString() == "A+", $"The reference app should grade A+:\n{stdout}");
        }
    }
}
