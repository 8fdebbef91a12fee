using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace TlsLab.Cli.Setup;

/// <summary>
/// A fingerprint of the sources the <c>tlslab</c> tool is built from. <c>tlslab setup</c> bakes it into the
/// tool it packs; the installed tool compares it with the checkout it runs in, so an attendee who pulled new
/// sources hears that their <c>dotnet tlslab</c> is older than their checkout instead of chasing fixed bugs.
/// </summary>
internal static class SourceStamp
{
    /// <summary>The assembly metadata key the stamp travels under.</summary>
    public const string MetadataKey = "TlsLabSourceStamp";

    private static readonly string[] Folders = [Path.Combine("src", "TlsLab"), Path.Combine("src", "TlsLab.Cli")];
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props"];
    private static readonly string[] Extensions = [".cs", ".csproj", ".txt", ".json"];

    /// <summary>The stamp of the sources under <paramref name="root"/>, a checkout of the kit.</summary>
    public static string Compute(string root)
    {
        var files = Folders
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && !IsBuildOutput(root, file))
            .Concat(RootFiles.Select(name => Path.Combine(root, name)).Where(File.Exists))
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\0"));
            // Line endings depend on how the checkout was made, not on what the code says.
            var text = File.ReadAllText(Path.Combine(root, relative)).Replace("\r\n", "\n", StringComparison.Ordinal);
            hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>The stamp this running <c>tlslab</c> was packed with; null when it runs from source (dotnet run).</summary>
    public static string? OfThisTool() =>
        typeof(SourceStamp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataKey)?.Value is { Length: > 0 } stamp ? stamp : null;

    private static bool IsBuildOutput(string root, string file)
    {
        var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Contains("bin", StringComparer.Ordinal) || parts.Contains("obj", StringComparer.Ordinal);
    }
}
