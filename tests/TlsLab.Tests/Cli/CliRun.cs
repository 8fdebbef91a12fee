using System.Text;
using TlsLab.Cli;

namespace TlsLab.Tests.Cli;

/// <summary>Runs the tlslab command in-process with captured stdout and stderr.</summary>
internal sealed class CliRun : IAsyncDisposable
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly CancellationTokenSource _stop = new();

    private CliRun(string[] args)
    {
        Output = TextWriter.Synchronized(new StringWriter(_out));
        Error = TextWriter.Synchronized(new StringWriter(_err));
        Exit = Task.Run(() => TlsLabCli.RunAsync(args, Output, Error, _stop.Token));
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public Task<int> Exit { get; }

    public string Stdout { get { lock (Output) { return _out.ToString(); } } }

    public string Stderr { get { lock (Error) { return _err.ToString(); } } }

    public static CliRun Start(params string[] args) => new(args);

    // Generous: some commands generate keys (bench --startup makes RSA keys for three lab sizes), which on a
    // loaded machine takes tens of seconds. A command that hangs still fails, and says so.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Runs a command that is expected to end by itself.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> CompleteAsync(params string[] args)
    {
        await using var run = Start(args);
        try
        {
            var exit = await run.Exit.WaitAsync(Patience);
            return (exit, run.Stdout, run.Stderr);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"tlslab {string.Join(' ', args)} did not end within {Patience.TotalSeconds:0} s (waited for it to exit by " +
                $"itself). stdout so far: {run.Stdout} stderr so far: {run.Stderr}");
        }
    }

    /// <summary>Waits until stdout holds a complete JSON document (serve --json prints one, then keeps serving).</summary>
    public async Task<string> WaitForJsonAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Exit.IsCompleted)
            {
                throw new InvalidOperationException($"tlslab ended with exit code {Exit.Result} before printing its manifest. stderr: {Stderr}");
            }

            var text = Stdout;
            if (text.TrimEnd().EndsWith('}') && text.TrimStart().StartsWith('{'))
            {
                return text;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"tlslab printed no manifest within {timeout.TotalSeconds} s. stdout so far: {Stdout} stderr: {Stderr}");
    }

    /// <summary>Ctrl+C, then the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            return await Exit.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"tlslab did not stop within {Patience.TotalSeconds:0} s of Ctrl+C (waited for it to exit). stderr: {Stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            // Clean-up only: a failure here must not hide the test's own failure (a timeout, say), which is
            // usually why the command is still running.
            await _stop.CancelAsync();
            await Task.WhenAny(Exit, Task.Delay(Patience));
        }

        _stop.Dispose();
    }
}
