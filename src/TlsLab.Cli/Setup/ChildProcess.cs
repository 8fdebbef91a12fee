using System.ComponentModel;
using System.Diagnostics;

namespace TlsLab.Cli.Setup;

/// <summary>Runs a set-up step's program to the end, with a deadline, and keeps what it printed for the error message.</summary>
internal static class ChildProcess
{
    /// <summary>A start description for <paramref name="program"/> in <paramref name="folder"/> with output captured.</summary>
    public static ProcessStartInfo StartInfo(string program, string folder, params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Exit code and what was printed; exit -1 (and a sentence) when the program is missing or too slow.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var command = $"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}";
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            return (-1, string.Empty, $"{Path.GetFileName(start.FileName)} is not installed (or not on PATH).");
        }

        if (process is null)
        {
            return (-1, string.Empty, $"{command} could not be started.");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, string.Empty, $"{command} did not finish within {timeout.TotalMinutes:0} minutes and was stopped.");
            }

            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
