using TlsLab.Tests.Interop;
using TlsLab.Wire;

namespace TlsLab.Tests.Cli;

// Test strategy: the capture is proven with the real reader attendees use. `tlslab capture good` runs as a child process (a
// fresh process, so .NET's key logging can be switched on before its first TLS connection, as on an attendee's machine), then
// tshark, given nothing but the file, must show the decrypted `GET /` and the status line: the Decryption Secrets Block did its
// job. The key log kept with --keylog must be owner-only and labelled, and --show prints the decrypted records. Skipped, with
// the reason, without tshark or off Linux.

/// <summary>tlslab capture writes a pcapng that tshark decrypts with no set-up.</summary>
public sealed class CaptureCommandTests
{
    [Fact]
    public async Task Tshark_reads_the_decrypted_request_and_answer_from_a_capture_of_good()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), SslKeyLogging.PlatformProblem ?? "Key logging needs Linux.");
        var tshark = ExternalTool.Find("tshark");
        Assert.SkipWhen(tshark is null, "tshark is not installed (Debian: apt-get install tshark); .ci/run installs it.");
        var folder = Directory.CreateTempSubdirectory("tlslab-capture-test-").FullName;
        try
        {
            var capture = Path.Combine(folder, "good.pcapng");
            var keyLog = Path.Combine(folder, "keys.log");

            var (exit, printed) = await ChildRun.RunAsync(folder, TimeSpan.FromMinutes(2),
                ChildRun.Tlslab("capture", "good", "--out", capture, "--keylog", keyLog, "--show"));

            Assert.True(exit == 0, $"tlslab capture good exited {exit}:\n{printed}");
            Assert.Contains("HTTP/1.1 200 OK", printed, StringComparison.Ordinal);
            // The lab's port was a free one; the file says 443 so that Wireshark dissects it, and capture says why.
            Assert.Contains("In the file the server's port is 443, not ", printed, StringComparison.Ordinal);
            Assert.True(printed.Contains("opened with SERVER_HANDSHAKE_TRAFFIC_SECRET", StringComparison.Ordinal)
                && printed.Contains("GET / HTTP/1.1", StringComparison.Ordinal), $"--show should print the decrypted connection:\n{printed}");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyLog));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(capture));
            }

            Assert.Equal(SslKeyLogging.Label, File.ReadLines(keyLog).First());

            var run = await ExternalTool.RunAsync(tshark!, ["-r", capture, "-Y", "http"], cancellationToken: TestContext.Current.CancellationToken);

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.True(run.StandardOutput.Contains("GET / HTTP/1.1", StringComparison.Ordinal),
                "tshark should decrypt the request with the secrets in the file alone:\n" + run.Describe());
            Assert.True(run.StandardOutput.Contains("HTTP/1.1 200 OK", StringComparison.Ordinal),
                "tshark should decrypt the answer's status line:\n" + run.Describe());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_output_file_that_cannot_be_written_is_one_plain_error()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Needs /proc, a folder no one may create files in, which Linux has.");

        var (exit, _, stderr) = await CliRun.CompleteAsync("capture", "good", "--out", "/proc/tlslab-capture.pcapng");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: cannot write '/proc/tlslab-capture.pcapng'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
