namespace TlsLab.Pki;

/// <summary>Writes files that only the current user may read, as private keys require.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>, readable and writable by the owner only.</summary>
    public static void WriteAllText(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so there is never a moment when the key is world-readable.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only when the file is new; tighten an existing file too.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // On Windows, files under the user's profile inherit an ACL that admits only that user,
        // SYSTEM and administrators, which is the platform's equivalent of 0600.
    }
}
