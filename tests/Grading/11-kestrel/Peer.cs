using System.Diagnostics;

namespace TlsLab.Grading;

/// <summary>What a real client program printed and returned.</summary>
public sealed record PeerRun(string Command, int ExitCode, string Output)
{
    /// <summary>For messages: the command and the last lines it printed.</summary>
    public override string ToString() =>
        $"'{Command}' exited {ExitCode}: " +
        string.Join(" | ", Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).TakeLast(4));
}

/// <summary>Runs a real client (openssl, curl) with a deadline; a check skips when the program is not installed.</summary>
public static class Peer
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>, stdin closed at once, stdout and stderr together.</summary>
    public static async Task<PeerRun> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip($"This check runs {program}, which is not installed here (apt-get install -y {program}); the rest of the exercise is graded.");
            throw;
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new PeerRun($"{program} {string.Join(' ', arguments)}", process.ExitCode, await output + await error);
        }
    }
}
