using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

// Test strategy: tlslab grade and grade --watch run one engine (Roslyn in-process, the graders run in-process against
// a lab), the plain command for one round, the watcher on every save; dotnet test on exercises/Tests runs the same tests
// for IDE users. An attendee must get the same table from both commands, so each test below grades one pristine copy of
// exercises/ both ways and compares the tables character for character: the stubs (nothing started), the solutions
// (everything passes) and a set of careless answers made from the solutions, one per exercise, one of which does not
// compile. The watch run is the real command (grade --watch in-process), stopped with Ctrl+C once drawn.
[Collection(GradeBuilds.Name)]
public sealed class GradeWatchAgreementTests
{
    // Careless answers an attendee could write, as edits of the solutions: each names what it breaks.
    private static readonly (string File, string From, string To)[] CarelessAnswers =
    [
        // 1: bare LF line ends, as the Python talk had them (a strict server waits for the CRLF that never comes).
        ("01-plain-socket/PlainHttpClient.cs", @"HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", @"HTTP/1.1\nHost: {host}\nConnection: close\n\n"),
        // 2: trusts the machine's roots instead of the lab's root alone: good is refused.
        ("02-validate/ValidatingClient.cs", "TrustMode = X509ChainTrustMode.CustomRootTrust,", "TrustMode = X509ChainTrustMode.System,"),
        // 3: "at least 1.2" that takes TLS 1.3 away.
        ("03-protocol-floor/ProtocolFloor.cs", "options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;",
            "options.EnabledSslProtocols = SslProtocols.Tls12;"),
        // 5: the server sends its leaf without the intermediate.
        ("05-server/ServerCredentials.cs", "intermediates.Add(certificate);", "_ = certificate;"),
        // 6: a CBC suite slips into the modern list.
        ("06-ciphers/ModernCiphers.cs", "TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,",
            "TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,\n        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,"),
        // 7: a mutual-TLS server that resumes sessions: a good client's second connection is turned away.
        ("07-mutual-tls/MutualTls.cs", "AllowTlsResume = false,", "AllowTlsResume = true,"),
        // 8: revocation switched off: revoked is accepted.
        ("08-revocation/RevocationCheck.cs", "RevocationMode = X509RevocationMode.Online,", "RevocationMode = X509RevocationMode.NoCheck,"),
        // 9: a pin match that overrules .NET's verdict: an expired certificate with a pinned key gets in.
        ("09-pinning/PublicKeyPinning.cs", "if (errors != SslPolicyErrors.None || chain is null)", "if (chain is null)"),
        // 10: the root in CustomTrustStore with the machine's trust mode: .NET ignores that store, and good is refused.
        ("10-http-client/SecureHandler.cs", "TrustMode = X509ChainTrustMode.CustomRootTrust,", "TrustMode = X509ChainTrustMode.System,"),
        // 11: UseHsts with its default excluded hosts: https://localhost gets no Strict-Transport-Security.
        ("11-kestrel/KestrelApp.cs", "hsts.ExcludedHosts.Clear();", "_ = hsts.ExcludedHosts;"),
    ];

    [Fact]
    public async Task Both_engines_agree_on_the_shipped_stubs() => await AgreeAsync(GradeExercisesCopy.Create());

    [Fact]
    public async Task Both_engines_agree_on_the_solutions()
    {
        var copy = GradeExercisesCopy.Create();
        UseSolutions(copy);
        var (plain, watched) = await AgreeAsync(copy);
        Assert.DoesNotContain("not started", plain, StringComparison.Ordinal);
        Assert.Equal(ExerciseCatalog.Count, watched.Split('\n').Count(l => l.Contains("passes", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Both_engines_agree_on_careless_answers_and_a_compile_error()
    {
        var copy = GradeExercisesCopy.Create();
        UseSolutions(copy);
        foreach (var (file, from, to) in CarelessAnswers)
        {
            copy.Edit(file, text =>
            {
                Assert.True(text.Contains(from, StringComparison.Ordinal), $"solutions/{file} no longer contains \"{from}\": update this careless answer.");
                return text.Replace(from, to, StringComparison.Ordinal);
            });
        }

        // 4: a name that does not exist, so exercise 4 does not compile (and its stub stands in for the rest).
        copy.Edit("04-hostname/HostnameCheck.cs", text => text.TrimEnd() +
            "\n\ninternal static class Careless\n{\n    public static int Answer() => answer;\n}\n");

        var (plain, _) = await AgreeAsync(copy);
        CellText.AssertShows(plain, "does not compile: exercises/04-hostname/HostnameCheck.cs(");
        Assert.Contains("error CS0103", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("passes", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_grades_again_after_a_save_and_names_the_file()
    {
        using var copy = GradeExercisesCopy.Create();
        UseSolutions(copy);
        await using var run = CliRun.Start("grade", "2", "--watch", "--project", copy.TestProject);
        var first = await WaitForTablesAsync(run, 1);
        // Every task of exercise 2 passes: N/N, whatever N is this round.
        var passing = System.Text.RegularExpressions.Regex.Match(first, @"\b(\d+)/\1\b");
        Assert.True(passing.Success, $"grade --watch did not show exercise 2 passing every task with its solution:{Environment.NewLine}{first}");

        var (file, from, to) = CarelessAnswers[1];
        copy.Edit(file, text => text.Replace(from, to, StringComparison.Ordinal));
        var second = await WaitForTablesAsync(run, 2);
        Assert.Contains("after you saved exercises/02-validate/ValidatingClient.cs", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(passing.Value, second, StringComparison.Ordinal);
        Assert.Contains("first failure, in full:", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await run.StopAsync());
    }

    private static void UseSolutions(GradeExercisesCopy copy)
    {
        var solutions = Path.Combine(GradeExercisesCopy.ExercisesFolder(), "..", "solutions");
        foreach (var entry in ExerciseCatalog.All)
        {
            foreach (var stub in entry.Stubs)
            {
                File.Copy(Path.Combine(solutions, entry.Folder, stub), Path.Combine(copy.Exercises, entry.Folder, stub), overwrite: true);
            }
        }
    }

    // Grades the copy both ways and asserts the tables are the same; returns both outputs.
    private static async Task<(string Plain, string Watched)> AgreeAsync(GradeExercisesCopy copy)
    {
        using (copy)
        {
            // A cold build of the copy, two rounds of it when an exercise does not compile, on a busy two-core machine.
            await using var plainRun = CliRun.Start("grade", "--project", copy.TestProject);
            var plainExit = await plainRun.Exit.WaitAsync(TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);
            var plain = (Exit: plainExit, plainRun.Stdout, plainRun.Stderr);
            await using var watch = CliRun.Start("grade", "--watch", "--project", copy.TestProject);
            var watched = await WaitForTablesAsync(watch, 1);
            var stopped = await watch.StopAsync();

            var plainTable = Table(plain.Stdout, 1);
            Assert.True(plainTable.Length > 0, $"tlslab grade printed no table. stdout: {plain.Stdout} stderr: {plain.Stderr}");
            Assert.True(plainTable == watched, "tlslab grade and tlslab grade --watch disagree on the same files." +
                $"{Environment.NewLine}grade:{Environment.NewLine}{plainTable}{Environment.NewLine}grade --watch:{Environment.NewLine}{watched}" +
                $"{Environment.NewLine}watch's whole output:{Environment.NewLine}{watch.Stdout}{watch.Stderr}");
            Assert.Equal(0, stopped);
            return (plain.Stdout, watched);
        }
    }

    // The n-th table tlslab printed (box-drawing lines from ╭ to ╰), once it is complete.
    private static async Task<string> WaitForTablesAsync(CliRun run, int n)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (run.Exit.IsCompleted)
            {
                throw new InvalidOperationException($"grade --watch ended (exit {run.Exit.Result}) before drawing table {n}. stdout: {run.Stdout} " +
                    $"stderr: {run.Stderr}");
            }

            if (Table(run.Stdout, n) is { Length: > 0 } table && run.Stdout.Split("Watching exercises/").Length > n)
            {
                return table;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"grade --watch drew no table {n} within 5 minutes. stdout: {run.Stdout} stderr: {run.Stderr}");
    }

    private static string Table(string output, int n)
    {
        var lines = output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var tables = new List<string>();
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith('╭'))
            {
                current = [line];
            }
            else if (current.Count > 0)
            {
                current.Add(line);
                if (line.StartsWith('╰'))
                {
                    tables.Add(string.Join('\n', current));
                    current = [];
                }
            }
        }

        return tables.Count >= n ? tables[n - 1] : string.Empty;
    }
}
