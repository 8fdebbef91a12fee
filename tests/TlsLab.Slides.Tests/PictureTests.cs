using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TlsLab.Slides.Tests;

// Test strategy: the deck's pictures are drawn from a real lab run by slides/pictures/draw.cs and committed as SVG. A real run
// differs every time (randoms, keys, signatures, ports), so the script tags every value that varies (class "v") and its --check
// mode redraws the pictures from a fresh run and compares everything else with the committed files. This test runs that check
// (on Linux, where .NET can log the keys the pictures need; elsewhere it skips and says why), then checks that the deck shows
// at least one picture in each of its parts, that every picture it shows exists, and that no committed picture is unused.

/// <summary>The deck's pictures are current, and each part of the deck shows one.</summary>
public sealed partial class PictureTests
{
    private static string Pictures => Repository.File("slides", "pictures");

    [Fact]
    public async Task The_committed_pictures_match_a_fresh_lab_run()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("The pictures are drawn from a decrypted connection, and .NET logs TLS keys only on Linux: check them there.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "-p:BuildProjectReferences=false", "slides/pictures/draw.cs", "--", "--check" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild's environment; a nested build must not inherit it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet run slides/pictures/draw.cs -- --check took more than 4 minutes.");
        }

        var text = (await stdout) + (await stderr);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        if (process.ExitCode == 2)
        {
            Assert.Skip($"The pictures cannot be drawn on this machine: {text.Trim()}");
        }

        Assert.True(process.ExitCode == 0, $"The deck's pictures are stale or could not be drawn (dotnet run slides/pictures/draw.cs -- --check " +
            $"exited with {process.ExitCode}):\n{text}");
    }

    [Fact]
    public void Each_part_of_the_deck_shows_a_picture_and_every_picture_exists()
    {
        var deck = Deck.Load();
        var parts = new List<(string Title, List<string> Pictures)> { ("the opening", []) };
        foreach (var chunk in deck.Text.Split("\n---\n"))
        {
            if (chunk.Contains("_class: divider", StringComparison.Ordinal))
            {
                parts.Add((Regex.Match(chunk, "^# (.+)$", RegexOptions.Multiline).Groups[1].Value, []));
            }

            parts[^1].Pictures.AddRange(PictureReference().Matches(chunk).Select(m => m.Groups[1].Value));
        }

        var shown = parts.SelectMany(p => p.Pictures).ToHashSet(StringComparer.Ordinal);
        Assert.True(parts.All(p => p.Pictures.Count > 0), "Every part of slides/deck.md should show at least one picture from slides/pictures/; " +
            $"these show none: {string.Join(", ", parts.Where(p => p.Pictures.Count == 0).Select(p => p.Title))}.");
        var missing = shown.Where(name => !File.Exists(Path.Combine(Pictures, name))).ToList();
        Assert.True(missing.Count == 0, $"slides/deck.md shows pictures that do not exist: {string.Join(", ", missing)}. Draw them with " +
            "dotnet run slides/pictures/draw.cs.");
        var unused = Directory.GetFiles(Pictures, "*.svg").Select(Path.GetFileName).Where(name => !shown.Contains(name!)).ToList();
        Assert.True(unused.Count == 0, $"slides/pictures/ has pictures the deck does not show: {string.Join(", ", unused)}.");
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(pictures/([a-z0-9-]+\.svg)\)")]
    private static partial Regex PictureReference();
}
