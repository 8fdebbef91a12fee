using NotebookTwins;
using TlsLab.Workshop;

// dotnet run --project tools/NotebookTwins                    regenerate every twin
// dotnet run --project tools/NotebookTwins -- --check         fail if a twin is stale or a notebook has outputs
// dotnet run --project tools/NotebookTwins -- --strip-outputs remove outputs from every notebook, then regenerate
var check = args.Contains("--check");
var strip = args.Contains("--strip-outputs");
if (args.Any(a => a is not ("--check" or "--strip-outputs")))
{
    Console.Error.WriteLine("usage: dotnet run --project tools/NotebookTwins [-- --check | --strip-outputs]");
    return 2;
}

// The tool's own build lives in the checkout, so it finds the notebooks even when run from another folder.
if (RepositoryRoot.TryFind(Directory.GetCurrentDirectory(), AppContext.BaseDirectory) is not { } root)
{
    Console.Error.WriteLine("error: " + RepositoryRoot.NotFound(Directory.GetCurrentDirectory(), AppContext.BaseDirectory));
    return 2;
}

var problems = 0;
foreach (var notebook in NotebookFiles.Notebooks(root))
{
    var name = Path.GetRelativePath(root, notebook).Replace('\\', '/');
    var json = File.ReadAllText(notebook);
    if (!NotebookFiles.IsNotebook(json, out var why))
    {
        Console.Error.WriteLine($"error: {name} is not a notebook the generator can read ({why}); restore it with git checkout {name}.");
        problems++;
        continue;
    }

    if (strip && NotebookFiles.CellsWithOutputs(json).Count > 0)
    {
        File.WriteAllText(notebook, NotebookFiles.StripOutputs(json));
        Console.WriteLine($"stripped outputs: {name}");
    }

    var twinPath = NotebookFiles.TwinPath(notebook);
    var twin = TwinGenerator.Generate(notebook);
    var current = File.Exists(twinPath) ? File.ReadAllText(twinPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
    if (check)
    {
        if (current != twin)
        {
            Console.Error.WriteLine($"stale twin: {Path.ChangeExtension(name, ".cs")} (regenerate with: {TwinGenerator.RegenerateCommand})");
            problems++;
        }

        if (NotebookFiles.CellsWithOutputs(json) is { Count: > 0 } dirty)
        {
            Console.Error.WriteLine($"outputs committed: {name}, cells {string.Join(", ", dirty)} (clear them with: {TwinGenerator.RegenerateCommand} " +
                "-- --strip-outputs)");
            problems++;
        }
    }
    else if (current != twin)
    {
        File.WriteAllText(twinPath, twin);
        Console.WriteLine($"wrote {Path.ChangeExtension(name, ".cs")}");
    }
    else
    {
        Console.WriteLine($"up to date: {Path.ChangeExtension(name, ".cs")}");
    }
}

return problems == 0 ? 0 : 1;
