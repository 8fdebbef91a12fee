namespace TlsLab.Tests.Cli;

// Every option of every command, given nonsense, must end in one plain error line that names the
// option and shows what it takes, exit code 2, and no stack trace or CLR type name. The commands run
// in-process; none of these inputs gets as far as starting a lab for long.

/// <summary>Nonsense on the command line gets a sentence, not a stack trace.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("serve --base-port abc", "--base-port takes a port number")]
    [InlineData("serve --base-port 99999999999", "--base-port takes a port number")]
    [InlineData("serve --base-port 65530", "Choose a base port from 1024 to")]
    [InlineData("serve --base-port 0", "Choose a base port from 1024 to")]
    [InlineData("serve --base-port -5", "Choose a base port from 1024 to")]
    [InlineData("serve --base-port 1", "Choose a base port from 1024 to")]
    [InlineData("serve --base-port 1023", "Choose a base port from 1024 to")]
    [InlineData("serve --base-port 70000", "Choose a base port from 1024 to")]
    [InlineData("grad 2", "'grad' is not a command of 'tlslab'. Did you mean 'grade'?\n  tlslab grade 2")]
    [InlineData("serve --scenaro good", "Did you mean '--scenario'?\n  tlslab serve --scenario good")]
    [InlineData("serve --scenario expird", "there is no scenario 'expird'. Did you mean expired?")]
    [InlineData("setup jupiter", "Did you mean 'jupyter'?")]
    [InlineData("probe expird", "Did you mean the scenario expired?")]
    [InlineData("capture expird --out x.pcapng", "Did you mean expired?")]
    [InlineData("serve --handshake-timeout soon", "--handshake-timeout takes a number of seconds")]
    [InlineData("serve --handshake-timeout -1", "--handshake-timeout must be between")]
    [InlineData("serve --keylog /no/such/folder/keys.log", "--keylog '/no/such/folder/keys.log': its folder does not exist")]
    [InlineData("serve --keylog .", "--keylog '.' is a folder; name a file")]
    [InlineData("capture good", "Option '--out' is required")]
    [InlineData("capture --out x.pcapng", "Required argument missing")]
    [InlineData("capture nonsense --out x.pcapng", "'nonsense' is neither a lab scenario nor HOST:PORT. Scenarios: plaintext, good")]
    [InlineData("capture plaintext --out x.pcapng", "'plaintext' speaks plain HTTP: there is nothing to decrypt")]
    [InlineData("capture 127.0.0.1:99999 --out x.pcapng", "'127.0.0.1:99999' is not HOST:PORT with a port from 1 to 65535")]
    [InlineData("capture 127.0.0.1:0 --out x.pcapng", "is not HOST:PORT with a port from 1 to 65535")]
    [InlineData("capture good --out /no/such/folder/x.pcapng", "--out '/no/such/folder/x.pcapng': its folder does not exist")]
    [InlineData("capture good --out .", "--out '.' is a folder; name a file")]
    [InlineData("capture good --out x.pcapng --keylog /no/such/folder/k.log", "--keylog '/no/such/folder/k.log': its folder does not exist")]
    [InlineData("capture good --ca lab-root.pem --out x.pcapng", "--ca goes with a HOST:PORT target")]
    [InlineData("capture 127.0.0.1:8443 --ca /no/such/root.pem --out x.pcapng", "the CA file '/no/such/root.pem' does not exist")]
    [InlineData("capture good --path index.html --out x.pcapng", "--path must start with '/'")]
    [InlineData("serve --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("grade abc", "grade takes an exercise number from 1 to")]
    [InlineData("grade 12 --watch", "there is no exercise 12")]
    [InlineData("grade 2 --watch --project /nonexistent/Exercises.Tests.csproj", "does not exist")]
    [InlineData("grade --watch=maybe", "maybe")]
    [InlineData("bench --grade abc", "--grade takes an exercise number from 1 to")]
    [InlineData("bench --grade 0", "there is no exercise 0")]
    [InlineData("bench --lab --runs many", "--runs takes a whole number")]
    [InlineData("bench --lab --concurrency lots", "--concurrency takes a whole number")]
    [InlineData("bench --lab --duration long", "--duration takes a number of seconds")]
    [InlineData("bench --lab --warmup x", "--warmup takes a number of seconds")]
    [InlineData("", "Required command was not provided")]
    [InlineData("setup --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("setup jupyter extra", "Run 'tlslab setup jupyter --help'")]
    [InlineData("probe", "Required argument missing for command: 'probe'")]
    [InlineData("probe good --timeout soon", "--timeout takes a number of seconds")]
    [InlineData("probe good --timeout 0", "--timeout must be more than 0 and at most 120 seconds")]
    [InlineData("probe good --timeout 1000", "--timeout must be more than 0 and at most 120 seconds")]
    [InlineData("probe example.org", "Did you mean example.org:443?")]
    [InlineData("probe 127.0.0.1:99999", "is neither HOST:PORT")]
    [InlineData("probe 127.0.0.1:0", "is neither HOST:PORT")]
    [InlineData("probe :443", "is neither HOST:PORT")]
    [InlineData("probe good --ca /no/such/root.pem", "--ca '/no/such/root.pem' does not exist")]
    [InlineData("probe good --servername bad!name", "is not a host name")]
    [InlineData("probe good --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("probe good --json maybe", "Unrecognized command or argument 'maybe'")]
    [InlineData("probe good extra", "Unrecognized command or argument 'extra'")]
    [InlineData("probe good --servername", "Required argument missing for option: '--servername'")]
    public async Task Nonsense_is_one_plain_error_with_exit_code_2(string commandLine, string expected)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var (exit, _, stderr) = await CliRun.CompleteAsync(args);

        Assert.True(exit == 2, $"'tlslab {commandLine}' exited {exit}, not 2 (a usage error). It printed:{Environment.NewLine}{stderr}");
        Assert.True(stderr.ReplaceLineEndings("\n").Contains(expected, StringComparison.Ordinal), $"'tlslab {commandLine}' should say \"{expected}...\"; it " +
            $"printed:{Environment.NewLine}{stderr}");
        Assert.False(stderr.Contains("   at ", StringComparison.Ordinal), $"'tlslab {commandLine}' printed a stack trace:{Environment.NewLine}{stderr}");
        Assert.False(stderr.Contains("System.", StringComparison.Ordinal), $"'tlslab {commandLine}' named a CLR type:{Environment.NewLine}{stderr}");
    }
}
