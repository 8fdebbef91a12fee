using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

// The dev container is checked as a file here (what the Dev Containers tooling would read); its set-up command
// is run for real by SetupCommandTests, which executes exactly the postCreateCommand below.

/// <summary>.devcontainer/devcontainer.json gives a locked-down laptop the whole workshop in a browser-hosted editor.</summary>
public sealed class DevContainerTests
{
    private readonly string _root = RepositoryRoot.Find();

    [Fact]
    public void It_uses_a_dotnet_10_image_and_the_notebook_and_slide_extensions()
    {
        using var file = DevContainer.Load(_root);
        var image = file.RootElement.GetProperty("image").GetString() ?? string.Empty;
        Assert.True(image.StartsWith("mcr.microsoft.com/devcontainers/dotnet:10", StringComparison.Ordinal),
            $"devcontainer.json's image is '{image}'; the kit needs the .NET 10 SDK (mcr.microsoft.com/devcontainers/dotnet:10.0).");

        var extensions = file.RootElement.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        foreach (var wanted in new[] { "ms-dotnettools.dotnet-interactive-vscode", "marp-team.marp-vscode", "ms-dotnettools.csdevkit" })
        {
            Assert.True(extensions.Contains(wanted), $"devcontainer.json does not install {wanted}; it lists: {string.Join(", ", extensions)}.");
        }
    }

    [Fact]
    public void Its_set_up_command_is_the_one_the_README_gives_attendees()
    {
        var command = string.Join(' ', DevContainer.PostCreateCommand(_root));
        var readme = File.ReadAllText(Path.Combine(_root, "README.md"));
        Assert.True(command == "dotnet run --project src/TlsLab.Cli -- setup",
            $"devcontainer.json's postCreateCommand is '{command}'; it should be the attendee's set-up command, " +
            "dotnet run --project src/TlsLab.Cli -- setup.");
        Assert.True(readme.Contains("\n" + command + "\n", StringComparison.Ordinal),
            $"The README does not show the set-up command '{command}' on a line of its own; attendees and the dev container must run the same.");
    }

    [Fact]
    public void The_READMEs_first_commands_start_in_the_checkout()
    {
        // A new terminal opens in the home folder, where `dotnet tlslab` gets only .NET's "dotnet-tlslab does not exist".
        var readme = File.ReadAllText(Path.Combine(_root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("```sh\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "The README has no ```sh block for the attendee's first command.");
        var first = readme[(start + "```sh\n".Length)..].Split('\n')[0];
        Assert.True(first.StartsWith("cd ", StringComparison.Ordinal),
            $"The README's first command block starts with '{first}'; it should first say to cd into the checkout.");
    }
}
