using TlsLab.Client;
using TlsLab.Zoo;

namespace TlsLab.Tests.Robustness;

/// <summary>
/// The tests that check process-wide things (unobserved task exceptions, managed memory) or lean on
/// the CPU (hundreds of connections, a soak) run alone, so that what they see is their own doing
/// and they do not slow the rest of the suite's deadlines down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabAloneCollection
{
    public const string Name = "Lab under hostile clients and load (alone)";
}

/// <summary>What every hostile-client and load test checks afterwards: the lab is as healthy as before.</summary>
internal static class LabHealth
{
    /// <summary>
    /// Every connection closed and its task gone, no task exception left unobserved, the connection
    /// history within its bound, and a careful client still served.
    /// </summary>
    public static async Task AssertHealthyAsync(Lab lab, UnobservedTaskExceptions unobserved, int historyLimit, string after, CancellationToken ct)
    {
        var settle = TimeSpan.FromSeconds(15);
        var settled = await RawClient.EventuallyAsync(() => lab.OpenConnections == 0 && lab.TrackedTasks == 0, settle, ct);
        Assert.True(settled, $"{after}, the lab still holds {lab.OpenConnections} open connection(s) and tracks {lab.TrackedTasks} connection task(s) " +
            $"{settle.TotalSeconds:0} s later (waited for every one to close).");

        var errors = unobserved.Collect();
        Assert.True(errors.Count == 0, $"{after}, {errors.Count} task exception(s) went unobserved: " +
            $"{string.Join(" | ", errors.Select(e => e.GetBaseException().ToString()))}");

        var history = lab.Connections.Count;
        Assert.True(history <= historyLimit, $"{after}, the lab remembers {history} connections; its history is meant to stop at {historyLimit}.");

        var probe = await TlsClient.ConnectAsync(lab["good"].EndPoint, lab.CreateClientOptions("good"), cancellationToken: ct);
        Assert.True(probe.Succeeded && probe.StatusLine == "HTTP/1.1 200 OK", $"{after}, a careful client was not served: {probe.Explanation}");
    }

    /// <summary>Live managed memory after a full collection, in bytes.</summary>
    public static long LiveBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Writes a line to the test's output (shown with --output detailed, and on failure).</summary>
    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
