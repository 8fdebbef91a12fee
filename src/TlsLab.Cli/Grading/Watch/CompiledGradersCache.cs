using System.Security.Cryptography;
using System.Text;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// The graders as last compiled, kept under exercises/Tests/obj/ between runs of <c>tlslab grade</c>, under a name
/// that is the hash of everything they were compiled from: their sources, their references, and the public surface
/// of the exercises they call (which a change inside a method body leaves alone).
/// </summary>
internal sealed class CompiledGradersCache(string folder, IEnumerable<string> inputs)
{
    private readonly byte[] _inputs = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', inputs)));

    /// <summary>The graders compiled against <paramref name="surface"/> by an earlier run, or null.</summary>
    public byte[]? Find(byte[] surface)
    {
        try
        {
            var path = PathFor(surface);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="graders"/> for the next run (and only them: older ones are of no use).</summary>
    public void Keep(byte[] surface, byte[] graders)
    {
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var old in Directory.EnumerateFiles(folder, "*.dll"))
            {
                File.Delete(old);
            }

            // Written aside and moved, so that a grading started meanwhile never reads half an assembly.
            var path = PathFor(surface);
            var partial = path + ".partial";
            File.WriteAllBytes(partial, graders);
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a cache: the next run compiles them again.
        }
    }

    private string PathFor(byte[] surface) =>
        Path.Combine(folder, Convert.ToHexString(SHA256.HashData([.. _inputs, .. surface]))[..32] + ".dll");
}
