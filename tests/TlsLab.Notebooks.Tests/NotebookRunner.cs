using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace TlsLab.Notebooks.Tests;

/// <summary>One executed code cell: its number in the notebook (1-based, markdown included), its code and what it showed.</summary>
internal sealed record CellRun(int Number, string Code, IReadOnlyList<string> Outputs, string? Error, TimeSpan Elapsed);

/// <summary>One notebook run from top to bottom.</summary>
internal sealed record NotebookRun(string Name, IReadOnlyList<CellRun> Cells, TimeSpan Elapsed)
{
    /// <summary>Every output of every cell, as plain text.</summary>
    public string Text => string.Join("\n", Cells.SelectMany(c => c.Outputs));

    public CellRun? FirstFailure => Cells.FirstOrDefault(c => c.Error is not null);
}

/// <summary>
/// Runs a notebook the way "Run All" does: in a C# kernel, in the notebook's folder, one cell after the other,
/// stopping at the first cell that fails.
/// </summary>
internal static partial class NotebookRunner
{
    public static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The grade cell builds and tests exercises/, which on a loaded machine takes minutes; TlslabGrade gives up
    /// by itself after 5 and says why, so the cell waits longer than that and the grader's own message is the one seen.
    /// </summary>
    public static readonly TimeSpan GradeCellTimeout = TimeSpan.FromMinutes(6);

    /// <summary>
    /// A kernel set up like the one VS Code and Jupyter start: a composite kernel with C# (display() and friends) as its
    /// default, and <c>#!import</c>, which the lessons' first cell uses to run notebooks/setup.dib. A bare C# kernel
    /// does not know <c>#!import</c>.
    /// </summary>
    public static CompositeKernel CreateKernel()
    {
        var kernel = new CompositeKernel { { new CSharpKernel().UseKernelHelpers().UseValueSharing(), ["c#", "C#"] } }.UseImportMagicCommand();
        kernel.DefaultKernelName = "csharp";
        return kernel;
    }

    /// <summary>The cell every lesson ends with, which grades its exercise by building exercises/ (tens of seconds).</summary>
    public const string GradeCellMarker = "TlslabGrade.RunAsync(";

    /// <summary>Runs a notebook; the closing grade cell runs only when asked, since it builds and tests the exercises.</summary>
    public static async Task<NotebookRun> RunAsync(Kernel kernel, string name, CancellationToken cancellationToken, bool gradeInPlace = false)
    {
        var path = Lessons.NotebookPath(name);

        // Notebook engines run a notebook in its own folder; the lessons' relative #r depends on it.
        Directory.SetCurrentDirectory(Path.GetDirectoryName(path)!);
        var document = Notebook.Parse(await File.ReadAllTextAsync(path, cancellationToken),
            new KernelInfoCollection { new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["c#", "C#"]) });
        var cells = new List<CellRun>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < document.Elements.Count; i++)
        {
            var element = document.Elements[i];
            if (element.KernelName != "csharp" || (!gradeInPlace && element.Contents.Contains(GradeCellMarker, StringComparison.Ordinal)))
            {
                continue;
            }

            var cell = await RunCellAsync(kernel, i + 1, element.Contents, cancellationToken);
            cells.Add(cell);
            if (cell.Error is not null)
            {
                break;
            }
        }

        return new NotebookRun(name, cells, total.Elapsed);
    }

    /// <summary>Submits code and returns what it produced, for checks the notebook itself does not display.</summary>
    public static async Task<object?> EvaluateAsync(Kernel kernel, string code, CancellationToken cancellationToken)
    {
        var result = await kernel.SendAsync(new SubmitCode(code), cancellationToken);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException($"Evaluating '{code}' failed: {failed.Message}");
        }

        return result.Events.OfType<ReturnValueProduced>().FirstOrDefault()?.Value;
    }

    public static string Describe(NotebookRun run, CellRun cell)
    {
        var lines = cell.Code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var head = string.Join("\n", lines.Take(6).Select(l => "    " + l)) + (lines.Length > 6 ? "\n    ..." : string.Empty);
        return $"notebooks/{run.Name}.ipynb, cell {cell.Number} failed.\nThe cell begins:\n{head}\nThe error:\n{cell.Error}";
    }

    private static async Task<CellRun> RunCellAsync(Kernel kernel, int number, string code, CancellationToken cancellationToken)
    {
        var limit = code.Contains(GradeCellMarker, StringComparison.Ordinal) ? GradeCellTimeout : CellTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var clock = Stopwatch.StartNew();
        KernelCommandResult result;
        try
        {
            result = await kernel.SendAsync(new SubmitCode(code), timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CellRun(number, code, [], $"The cell did not finish within {limit.TotalSeconds:0} s (waited for the kernel to report the cell " +
                "done).", clock.Elapsed);
        }

        var outputs = new List<string>();
        string? error = null;
        foreach (var kernelEvent in result.Events)
        {
            switch (kernelEvent)
            {
                case DisplayEvent display:
                    outputs.Add(PlainText(display.FormattedValues));
                    break;
                case CommandFailed failed:
                    error = failed.Exception?.ToString() ?? failed.Message;
                    break;
            }
        }

        return new CellRun(number, code, outputs, error, clock.Elapsed);
    }

    private static string PlainText(IReadOnlyCollection<FormattedValue> values)
    {
        var plain = values.FirstOrDefault(v => v.MimeType == "text/plain");
        if (plain is not null)
        {
            return plain.Value;
        }

        var html = values.FirstOrDefault(v => v.MimeType == "text/html")?.Value ?? string.Empty;
        return WebUtility.HtmlDecode(Tags().Replace(html, " "));
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
