using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TlsLab.Workshop;

namespace NotebookTwins;

/// <summary>Finds the lesson notebooks and their twins, and checks that notebooks are committed without outputs.</summary>
public static class NotebookFiles
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The repository root: the nearest folder upwards that holds TlsLab.slnx (the kit's one search, <see cref="RepositoryRoot"/>).</summary>
    public static string FindRepositoryRoot(string? start = null) => RepositoryRoot.Find(start ?? Directory.GetCurrentDirectory());

    /// <summary>True when the text is notebook JSON with a list of cells; otherwise <paramref name="why"/> says what is wrong.</summary>
    public static bool IsNotebook(string notebookJson, out string why)
    {
        try
        {
            var ok = JsonNode.Parse(notebookJson)?["cells"] is JsonArray;
            why = ok ? string.Empty : "no \"cells\" list";
            return ok;
        }
        catch (JsonException e)
        {
            why = $"not valid JSON: {e.Message}";
            return false;
        }
    }

    /// <summary>Every lesson notebook (notebooks/NN-name.ipynb), in lesson order.</summary>
    public static IReadOnlyList<string> Notebooks(string root) =>
        Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The twin's path for a notebook: the same name with .cs.</summary>
    public static string TwinPath(string notebookPath) => Path.ChangeExtension(notebookPath, ".cs");

    /// <summary>The cells (1-based) that carry outputs or an execution count; empty when the notebook is clean.</summary>
    public static IReadOnlyList<int> CellsWithOutputs(string notebookJson)
    {
        var cells = JsonNode.Parse(notebookJson)?["cells"]?.AsArray() ?? [];
        var dirty = new List<int>();
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var outputs = cell?["outputs"] as JsonArray;
            var count = cell?["execution_count"];
            if (outputs is { Count: > 0 } || count is JsonValue value && value.GetValueKind() != JsonValueKind.Null)
            {
                dirty.Add(i + 1);
            }
        }

        return dirty;
    }

    /// <summary>Removes every output and execution count; returns the cleaned JSON.</summary>
    public static string StripOutputs(string notebookJson)
    {
        var notebook = JsonNode.Parse(notebookJson) ?? throw new FormatException("The notebook is empty.");
        foreach (var cell in notebook["cells"]?.AsArray() ?? [])
        {
            if (cell?["cell_type"]?.GetValue<string>() == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
        }

        return notebook.ToJsonString(Indented) + "\n";
    }
}
