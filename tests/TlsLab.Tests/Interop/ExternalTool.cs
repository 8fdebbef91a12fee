using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TlsLab.Tests.Interop;

/// <summary>What one run of an external program did.</summary>
/// <param name="CommandLine">The command, for a human to paste into a terminal.</param>
/// <param name="ExitCode">The exit code (-1 when the program was killed at the deadline).</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
/// <param name="TimedOut">True when it was killed because it ran past its deadline.</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record ToolRun(string CommandLine, int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>stdout and stderr together, for searching.</summary>
    public string Output => StandardOutput + "\n" + StandardError;

    /// <summary>The whole run, written for a failure message.</summary>
    public string Describe() =>
        new StringBuilder()
            .AppendLine($"$ {CommandLine}")
            .AppendLine(TimedOut
                ? $"(killed after {Elapsed.TotalSeconds:0.#} s: it did not finish in time)"
                : $"(exit code {ExitCode} after {Elapsed.TotalMilliseconds:0} ms)")
            .AppendLine("--- stdout ---")
            .AppendLine(Clip(StandardOutput))
            .AppendLine("--- stderr ---")
            .AppendLine(Clip(StandardError))
            .ToString();

    private static string Clip(string text) => text.Length <= 3000 ? text.TrimEnd() : text[..3000] + "\n[... clipped]";
}

/// <summary>
/// Runs the real TLS peers the lessons mention (openssl, curl, python3) against the lab: found on
/// PATH, stdin fed then closed, output captured, and killed with its children at a deadline, so
/// a peer that hangs costs one failed test and never a stuck test run.
/// </summary>
public static class ExternalTool
{
    /// <summary>How long a run may take unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    // Proxies would send a tool's loopback traffic somewhere else; the lab is 127.0.0.1 only.
    private static readonly string[] ProxyVariables =
        ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

    private static readonly ConcurrentDictionary<string, string?> Found = new(StringComparer.Ordinal);

    /// <summary>The full path of <paramref name="name"/> on PATH, or null when it is not there.</summary>
    public static string? Find(string name) => Found.GetOrAdd(name, Search);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (no shell involved) and waits for it.</summary>
    /// <param name="program">A full path, e.g. from <see cref="Find"/>.</param>
    /// <param name="arguments">The arguments, one per element; nothing is re-split or quoted.</param>
    /// <param name="standardInput">Written to stdin, which is then closed; null closes stdin at once.</param>
    /// <param name="timeout">Deadline for the whole run; the process tree is killed after it.</param>
    /// <param name="cancellationToken">Cancels (and kills) the run.</param>
    public static async Task<ToolRun> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), // no BOM before "GET"
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in ProxyVariables)
        {
            start.Environment.Remove(variable);
        }

        start.Environment["NO_PROXY"] = "*";
        start.Environment["no_proxy"] = "*";

        var commandLine = string.Join(' ', new[] { Path.GetFileName(program) }.Concat(arguments.Select(Quote)));
        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var timedOut = false;
        try
        {
            await FeedAsync(process, standardInput, deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            Kill(process);
        }

        string output, error;
        try
        {
            // The pipes close when the process (tree) is gone; bound the wait anyway.
            output = await stdout.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            error = await stderr.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill(process);
            output = stdout.IsCompletedSuccessfully ? stdout.Result : string.Empty;
            error = (stderr.IsCompletedSuccessfully ? stderr.Result : string.Empty) + "\n[output pipes did not close; a child process may still hold them]";
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ToolRun(commandLine, timedOut ? -1 : process.ExitCode, output, error, timedOut, clock.Elapsed);
    }

    /// <summary>Splits a command line the lab prints for learners (spaces, double quotes) into arguments.</summary>
    public static IReadOnlyList<string> SplitCommandLine(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in commandLine)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }

    private static async Task FeedAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The program exited (or closed stdin) before reading everything; its output says why.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same: a broken pipe here means the program is already gone.
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    private static string? Search(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var suffixes = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries)
            : [string.Empty];
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var suffix in suffixes)
            {
                string candidate;
                try
                {
                    candidate = Path.Combine(folder.Trim('"'), name + suffix);
                }
                catch (ArgumentException)
                {
                    continue; // a malformed PATH entry
                }

                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string Quote(string argument) =>
        argument.Length == 0 || argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '*' or '\\' or '$')
            ? "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
            : argument;
}
