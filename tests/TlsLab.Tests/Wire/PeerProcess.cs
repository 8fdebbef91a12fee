using System.Diagnostics;
using System.Text;

namespace TlsLab.Tests.Wire;

/// <summary>
/// Runs a real TLS client (openssl, curl, python3) for a test, with stdin closed, output captured for the
/// failure message, and a guaranteed kill afterwards so no test can leave a process behind.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public Task Exited => _process.WaitForExitAsync();

    public string Describe()
    {
        lock (_output)
        {
            var exit = _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";
            return $"{Path.GetFileName(_process.StartInfo.FileName)} {exit}; output: {_output.ToString().Trim()}";
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null when this machine does not have it.</summary>
    public static string? Find(string name) => Interop.ExternalTool.Find(name);

    /// <summary>Finds the first of <paramref name="names"/> on PATH or skips the calling test, saying why.</summary>
    public static string FindOrSkip(params string[] names)
    {
        var path = names.Select(Find).FirstOrDefault(p => p is not null);
        var wanted = string.Join(" or ", names.Select(n => $"'{n}'"));
        Assert.SkipWhen(path is null, $"{wanted} is not on PATH on this machine, so there is no real {names[0]} client to capture a ClientHello from.");
        return path!;
    }

    public static PeerProcess Start(string path, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var tool = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        process.Start();

        // A closed stdin tells openssl s_client there is nothing to send; nothing here ever waits on a terminal.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or refusing to die within 5 s; either way the test itself is over.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 4000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
