using TlsLab.Workshop;

namespace TlsLab.Cli.Setup;

/// <summary>Warns when the installed <c>tlslab</c> tool was packed from other sources than the checkout it runs in.</summary>
internal static class ToolFreshness
{
    /// <summary>What the stale tool says (setup looks for it to prove the tool it installed is the current one).</summary>
    public const string StaleNote = "this tlslab was installed from older sources than this checkout.";

    /// <summary>
    /// One line on <paramref name="error"/> when this is the installed tool and the checkout around the current
    /// folder has changed since <c>tlslab setup</c> packed it; nothing when running from source or outside a checkout.
    /// </summary>
    public static void Check(TextWriter error)
    {
        if (SourceStamp.OfThisTool() is not { } packed || CheckoutRoot() is not { } root)
        {
            return;
        }

        try
        {
            if (SourceStamp.Compute(root) != packed)
            {
                error.WriteLine($"note: {StaleNote} To update it, run from the repository root:  dotnet run --project src/TlsLab.Cli -- setup");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be read right now is no reason to stop the command the attendee asked for.
        }
    }

    // The installed tool lives in the NuGet cache, so only the current folder says which checkout is meant.
    private static string? CheckoutRoot() => RepositoryRoot.TryFind(Directory.GetCurrentDirectory());
}
