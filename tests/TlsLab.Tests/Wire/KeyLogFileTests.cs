using System.Net;
using TlsLab.Client;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Tests.Wire;

// Test strategy: the key log is a secret, so its handling is checked on the real file .NET writes for this test process
// (TestKeyLog switched it on before any test): owner-only, labelled on its first line, holding the secrets of a real lab
// connection under that connection's client random. .NET takes one key-log file per process, so asking for a second one
// must say so instead of silently writing nothing. On Windows and macOS the answer is the platform's reason, and the rest skips.

/// <summary>The key log is owner-only, labelled, real, and one per process.</summary>
public sealed class KeyLogFileTests(LabFixture fixture)
{
    [Fact]
    public void Only_Linux_is_expected_to_log_keys()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.True(TestKeyLog.Problem is null, $"Key logging should work on Linux; it said: {TestKeyLog.Problem}");
        }
        else
        {
            Assert.Contains("needs .NET on Linux", TestKeyLog.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_key_log_is_owner_only_labelled_and_holds_a_real_connections_secrets()
    {
        Assert.SkipWhen(TestKeyLog.Problem is not null, $"No key log in this process: {TestKeyLog.Problem}");
        var ct = TestContext.Current.CancellationToken;
        await using var tap = await RecordingTap.StartAsync(fixture.Lab["good"].EndPoint, ct);

        var outcome = await TlsClient.ConnectAsync(tap.EndPoint, fixture.Lab.CreateClientOptions("good"), "/", cancellationToken: ct);
        var connection = await tap.WaitForConnectionAsync(1, ct);
        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.True(outcome.Succeeded, outcome.Explanation);
        Assert.True(connection.Transcript.TryGetClientHello(out var hello), "The tap should have recorded the ClientHello.");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TestKeyLog.Path));
        }

        Assert.Equal(SslKeyLogging.Label, File.ReadLines(TestKeyLog.Path).First());
        var log = TestKeyLog.Read();
        string[] labels = ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"];
        foreach (var label in labels)
        {
            Assert.True(log.TryGet(label, hello.Random.Span, out _), $"The key log should hold {label} for this connection's client random.");
        }
    }

    [Fact]
    public async Task A_second_key_log_file_in_one_process_is_refused_with_the_reason()
    {
        Assert.SkipWhen(TestKeyLog.Problem is not null, $"No key log in this process: {TestKeyLog.Problem}");
        var other = Path.Combine(Path.GetTempPath(), $"tlslab-other-{Guid.NewGuid():N}.log");

        var again = await TlsClient.TryEnableKeyLogAsync(TestKeyLog.Path, TestContext.Current.CancellationToken);
        var second = await TlsClient.TryEnableKeyLogAsync(other, TestContext.Current.CancellationToken);
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["plaintext"], KeyLogFile = other }, TestContext.Current.CancellationToken);

        Assert.Null(again);
        Assert.Contains("already writes its TLS key log to", second, StringComparison.Ordinal);
        Assert.Contains("already writes its TLS key log to", lab.KeyLogProblem, StringComparison.Ordinal);
        Assert.False(File.Exists(other), "A refused key log must not be created.");
        Assert.Equal(IPAddress.Loopback, lab.Endpoints.Single().Address);
    }
}
