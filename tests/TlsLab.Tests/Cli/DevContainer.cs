using System.Text.Json;

namespace TlsLab.Tests.Cli;

/// <summary>The kit's .devcontainer/devcontainer.json, read the way the Dev Containers tooling reads it (comments allowed).</summary>
internal static class DevContainer
{
    public static JsonDocument Load(string root) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".devcontainer", "devcontainer.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    /// <summary>The set-up command, split into words (it is one plain command line: no quoting, no shell operators).</summary>
    public static string[] PostCreateCommand(string root)
    {
        using var file = Load(root);
        var command = file.RootElement.GetProperty("postCreateCommand").GetString() ?? string.Empty;
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
