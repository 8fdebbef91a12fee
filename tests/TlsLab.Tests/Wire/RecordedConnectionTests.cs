using TlsLab.Formatting;
using TlsLab.Wire;
using TlsLab.Workshop;

namespace TlsLab.Tests.Wire;

// Test strategy: RecordedConnection is what lesson 10 uses where the platform cannot log keys, so it is tested on the very file the
// lesson reads (notebooks/assets/lab-good-tls13.txt, which must stay identical to the decryption tests' fixture): it loads, opens
// with its own secrets to the request that was sent, writes an owner-only labelled key log and a pcapng with those secrets, and
// pairs a live transcript with only its own lines of a key log. A file that is not a recording gives one clear exception.

/// <summary>The lesson's recorded connection loads, decrypts and writes its key log and capture.</summary>
public sealed class RecordedConnectionTests
{
    private static string LessonAsset => Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory), "notebooks", "assets", "lab-good-tls13.txt");

    [Fact]
    public void The_lessons_recording_is_the_decryption_tests_fixture()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Wire", "Fixtures", "lab-good-tls13.txt");
        Assert.True(File.ReadAllText(fixture) == File.ReadAllText(LessonAsset),
            "notebooks/assets/lab-good-tls13.txt should be a copy of tests/TlsLab.Tests/Wire/Fixtures/lab-good-tls13.txt: copy it again.");
    }

    [Fact]
    public void The_recording_loads_and_opens_with_its_own_secrets_to_the_request()
    {
        var connection = RecordedConnection.Load(LessonAsset);
        var folder = Directory.CreateTempSubdirectory("tlslab-recorded-");
        try
        {
            var keys = connection.WriteKeyLog(Path.Combine(folder.FullName, "keys.log"));
            var text = TlsViews.Decrypted(connection.Transcript, keys).ToText();

            Assert.Equal(5, connection.KeyLogLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.StartsWith("# TLS key log", File.ReadAllText(keys), StringComparison.Ordinal);
            Assert.True(text.Contains("GET / HTTP/1.1", StringComparison.Ordinal) && text.Contains("0 still sealed", StringComparison.Ordinal),
                $"The lesson's recording should open completely with its own key log, to the request; the view was:\n{text}");
            var capture = Path.Combine(folder.FullName, "good.pcapng");
            Assert.True(connection.WritePcapNg(capture) > 5, "The capture should hold the connection's packets.");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(capture));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_live_transcript_takes_only_its_own_lines_of_a_key_log()
    {
        var recorded = RecordedConnection.Load(LessonAsset);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# comment\nCLIENT_RANDOM " + new string('a', 64) + " " + new string('b', 96) + "\n" + recorded.KeyLogLines);

            var paired = RecordedConnection.FromKeyLog(recorded.Transcript, file);

            Assert.Equal(recorded.KeyLogLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(),
                paired.KeyLogLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
            Assert.Empty(RecordedConnection.FromKeyLog(recorded.Transcript, file + ".missing").KeyLogLines);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_recording_gives_one_clear_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "[client] chunk 1\nthis is not hex\n");

            var error = Assert.Throws<InvalidDataException>(() => RecordedConnection.Load(file));

            Assert.Contains("is not hex bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
