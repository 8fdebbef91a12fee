namespace TlsLab.Analyzers.Tests;

/// <summary>
/// The kit teaches the right way, so its reference solutions, lessons, slide demos and deck have no finding; the mistakes it
/// shows on purpose are labelled WRONG WAY where they are written.
/// </summary>
public sealed class KitSourcesTests(ITestOutputHelper output)
{
    public static TheoryData<string> Programs => new(
        Directory.EnumerateFiles(Path.Combine(KitScan.Root, "notebooks"), "*.cs").Order(StringComparer.Ordinal)
            .Concat(Directory.EnumerateFiles(Path.Combine(KitScan.Root, "slides", "demos"), "*.cs").Order(StringComparer.Ordinal))
            .Select(f => Path.GetRelativePath(KitScan.Root, f).Replace('\\', '/')));

    [Fact]
    public async Task The_reference_solutions_have_no_finding()
    {
        var findings = await KitScan.LibraryAsync(Sources("solutions"));
        Assert.True(findings.Count == 0, "A reference solution does what the analyzers warn attendees about:\n" + string.Join("\n", findings));
    }

    [Fact]
    public async Task The_shipped_stubs_have_no_finding()
    {
        var findings = await KitScan.LibraryAsync(Sources("exercises").Where(f =>
            !f.Contains($"{Path.DirectorySeparatorChar}Tests{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal) && !f.EndsWith("try-my-server.cs", StringComparison.Ordinal)));
        Assert.True(findings.Count == 0, "A stub an attendee starts from already has a finding:\n" + string.Join("\n", findings));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task A_lesson_or_demo_has_no_finding_outside_its_labelled_wrong_way(string file)
    {
        var findings = await KitScan.ProgramAsync(Path.Combine(KitScan.Root, file));
        foreach (var labelled in findings.Where(f => f.Labelled))
        {
            output.WriteLine($"labelled wrong way: {labelled}");
        }

        var unlabelled = findings.Where(f => !f.Labelled).ToList();
        Assert.True(unlabelled.Count == 0, $"{file} shows insecure code without a WRONG WAY label " +
            "(on the line, in the 12 lines above or opening its statement) or a " +
            "#pragma warning disable with the reason:\n" +
            string.Join("\n", unlabelled));
    }

    [Fact]
    public async Task The_decks_code_has_no_finding_outside_its_labelled_wrong_way()
    {
        var findings = await KitScan.DeckAsync(Path.Combine(KitScan.Root, "slides", "deck.md"));
        foreach (var labelled in findings.Where(f => f.Labelled))
        {
            output.WriteLine($"labelled wrong way: {labelled}");
        }

        var unlabelled = findings.Where(f => !f.Labelled).ToList();
        Assert.True(unlabelled.Count == 0, "A slide shows insecure code without a WRONG WAY label:\n" + string.Join("\n", unlabelled));
    }

    // The analyzers see the kit's own wrong-way demos: what the lessons show as wrong is what the editor underlines.
    [Theory]
    [InlineData("notebooks/02-client-default-context.cs", "TLS006")]
    [InlineData("notebooks/09-sni-alpn-pinning.cs", "TLS006")]
    [InlineData("slides/demos/probe.cs", "TLS006")]
    public async Task A_labelled_wrong_way_is_flagged(string file, string rule)
    {
        var findings = await KitScan.ProgramAsync(Path.Combine(KitScan.Root, file));
        Assert.True(findings.Any(f => f.Labelled && f.Id == rule), $"{file}'s labelled wrong way has no {rule} finding; it has: " +
            string.Join("; ", findings));
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(KitScan.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
