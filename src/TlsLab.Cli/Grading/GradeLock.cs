namespace TlsLab.Cli.Grading;

/// <summary>
/// One grading at a time per exercises folder, across processes: an exclusively opened lock file in
/// the test project's obj/ folder. A second grading waits (and says so) instead of corrupting the build.
/// </summary>
internal sealed class GradeLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private GradeLock(FileStream file) => _file = file;

    public static async Task<GradeLock> AcquireAsync(string projectDirectory, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(projectDirectory, "obj");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tlslab-grade.lock");
        var told = false;
        while (true)
        {
            try
            {
                return new GradeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told)
                {
                    onLine?.Invoke("Another grading run is building the exercises; waiting for it to finish...");
                    told = true;
                }

                await Task.Delay(250, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
