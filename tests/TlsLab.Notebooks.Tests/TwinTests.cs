using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NotebookTwins;

namespace TlsLab.Notebooks.Tests;

/// <summary>The notebooks' shape, their committed state, and their file-based twins.</summary>
public sealed class TwinTests
{
    public static TheoryData<string> Notebooks => Lessons.All;

    [Fact]
    public void There_is_one_notebook_per_lesson()
    {
        Assert.Equal(
            ["00-welcome", "01-sockets", "02-client-default-context", "03-protocols", "04-hostname-checks", "05-server", "06-ciphers",
                "07-mutual-tls", "08-revocation", "09-sni-alpn-pinning", "10-every-byte", "11-how-a-scanner-works", "12-httpclient", "13-kestrel"],
            Lessons.AllNames);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_twin_is_generated_from_the_current_notebook(string name)
    {
        var expected = TwinGenerator.Generate(Lessons.NotebookPath(name));
        var twin = Lessons.TwinPath(name);
        Assert.True(File.Exists(twin), $"notebooks/{name}.cs is missing. Generate it with: {TwinGenerator.RegenerateCommand}");
        Assert.True(expected == File.ReadAllText(twin).Replace("\r\n", "\n", StringComparison.Ordinal),
            $"notebooks/{name}.cs is stale: the notebook changed after its twin was generated. Regenerate with: {TwinGenerator.RegenerateCommand}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_notebook_is_committed_without_outputs(string name)
    {
        var dirty = NotebookFiles.CellsWithOutputs(File.ReadAllText(Lessons.NotebookPath(name)));
        Assert.True(dirty.Count == 0,
            $"notebooks/{name}.ipynb carries outputs or execution counts in cells {string.Join(", ", dirty)}. Clear them with: " +
                $"{TwinGenerator.RegenerateCommand} -- --strip-outputs");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_notebook_has_the_lesson_shape(string name)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Lessons.NotebookPath(name)))!;
        Assert.Equal(".net-csharp", notebook["metadata"]?["kernelspec"]?["name"]?.GetValue<string>());
        Assert.Equal("csharp", notebook["metadata"]?["language_info"]?["name"]?.GetValue<string>());
        var cells = notebook["cells"]!.AsArray();
        string Source(JsonNode? cell) => string.Concat(cell!["source"]!.AsArray().Select(l => l!.GetValue<string>()));
        var opening = Source(cells[0]);
        // The lesson closes with its recap; only the "grade your exercise from here" cells may follow it.
        var closing = cells.Select(Source).Reverse().Take(3).FirstOrDefault(c => c.Contains("Recap", StringComparison.Ordinal)) ?? Source(cells[^1]);
        Assert.True(cells[0]!["cell_type"]!.GetValue<string>() == "markdown" && opening.Contains("What you will learn", StringComparison.Ordinal),
            $"notebooks/{name}.ipynb should open with a markdown cell saying what you will learn.");
        Assert.True(opening.Contains("Python to .NET", StringComparison.Ordinal), $"notebooks/{name}.ipynb should open with a 'Python to .NET' box.");
        Assert.True(closing.Contains("Recap", StringComparison.Ordinal) && closing.Contains("exercises/", StringComparison.Ordinal),
            $"notebooks/{name}.ipynb should close with a recap and the matching exercise.");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_lesson_with_an_exercise_ends_by_grading_it_in_place(string name)
    {
        if (TlsLab.Workshop.ExerciseCatalog.All.FirstOrDefault(e => e.Lesson == name) is not { } exercise)
        {
            return; // a lesson without an exercise of its own (00, 10, 11)
        }

        var notebook = JsonNode.Parse(File.ReadAllText(Lessons.NotebookPath(name)))!;
        var last = string.Concat(notebook["cells"]!.AsArray()[^1]!["source"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.True(last.Contains($"TlslabGrade.RunAsync({exercise.Number})", StringComparison.Ordinal),
            $"notebooks/{name}.ipynb teaches exercise {exercise.Number} ({exercise.Folder}) but does not end with the cell that grades it in " +
            $"place (TlslabGrade.RunAsync({exercise.Number})), after a 'Grade your exercise from here' cell, as lessons 01-06 do.");
    }

    /// <summary>A lesson reads as prose with code between: a cell longer than this is two steps, with a sentence between them.</summary>
    private const int LongestCodeCell = 25;

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_notebook_keeps_its_code_cells_short(string name)
    {
        var cells = JsonNode.Parse(File.ReadAllText(Lessons.NotebookPath(name)))!["cells"]!.AsArray();
        var tooLong = cells
            .Select((cell, i) => (Number: i + 1, Cell: cell!))
            .Where(c => c.Cell["cell_type"]!.GetValue<string>() == "code")
            .Select(c => (c.Number, Lines: string.Concat(c.Cell["source"]!.AsArray().Select(l => l!.GetValue<string>())).TrimEnd().Split('\n').Length))
            .Where(c => c.Lines > LongestCodeCell)
            .ToList();
        Assert.True(tooLong.Count == 0,
            $"notebooks/{name}.ipynb has code cells over {LongestCodeCell} lines: "
            + string.Join(", ", tooLong.Select(c => $"cell {c.Number} ({c.Lines} lines)"))
            + ". Split each at a natural step, with a sentence of markdown between.");
    }

    [Fact]
    public void Every_lesson_loads_the_shared_set_up_in_its_first_code_cell()
    {
        foreach (var name in Lessons.AllNames)
        {
            var cells = JsonNode.Parse(File.ReadAllText(Lessons.NotebookPath(name)))!["cells"]!.AsArray();
            var first = cells.First(c => c!["cell_type"]!.GetValue<string>() == "code")!;
            var code = string.Concat(first["source"]!.AsArray().Select(l => l!.GetValue<string>())).Trim();
            Assert.True(code == "#!import setup.dib",
                $"notebooks/{name}.ipynb should start with one set-up cell, '#!import setup.dib'; its first code cell is:\n{code}");
        }
    }

    [Fact]
    public void The_twin_inlines_the_csharp_cells_of_an_imported_dib_file()
    {
        const string dib = "#!meta\n\n{}\n\n"
            + "#!csharp\n\n// notebook-only: builds it\nConsole.WriteLine(1);\n\n"
            + "#!csharp\n\n#r \"../src/X/bin/Debug/net10.0/X.dll\"\nusing X;\n\n"
            + "#!markdown\n\nnot code\n\n"
            + "#!csharp\n\nvar shared = 1;\n";
        const string notebook = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["#!import setup.dib"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["display(shared);"]}
            ]}
            """;

        var twin = TwinGenerator.Generate(notebook, "99-test.ipynb", file => file == "setup.dib" ? dib : throw new FileNotFoundException(file));

        Assert.StartsWith("#:project ../src/X\n", twin, StringComparison.Ordinal);
        Assert.Contains("\nusing X;\n", twin, StringComparison.Ordinal);
        Assert.Contains("// (notebook-only cell left out of the twin: builds it)", twin, StringComparison.Ordinal);
        Assert.Contains("var shared = 1;\n", twin, StringComparison.Ordinal);
        Assert.DoesNotContain("Console.WriteLine(1);", twin, StringComparison.Ordinal);
        Assert.DoesNotContain("not code", twin, StringComparison.Ordinal);
        Assert.DoesNotContain("#!", twin, StringComparison.Ordinal);
    }
}

/// <summary>Each twin runs with <c>dotnet run notebooks/NN-name.cs</c>, exits 0 and prints what the notebook teaches.</summary>
public sealed class TwinRunTests
{
    public static TheoryData<string> Notebooks => Lessons.All;

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_twin_runs_with_dotnet_run(string name)
    {
        var runs = await TwinRuns.AllAsync.WaitAsync(TestContext.Current.CancellationToken);
        var (exitCode, output, elapsed) = runs[name];
        TestContext.Current.TestOutputHelper?.WriteLine($"twin {name}: {elapsed.TotalSeconds:0.0} s (dotnet run: build and run)");

        Assert.True(exitCode == 0, $"'dotnet run notebooks/{name}.cs' exited with {exitCode}. Its output ends:\n{TwinRuns.Tail(output, 60)}");
        var missing = Lessons.ExpectedOutputs(name).Where(expected => !output.Contains(expected, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            $"'dotnet run notebooks/{name}.cs' ran, but its output no longer shows: " +
                $"{string.Join("; ", missing.Select(m => $"'{m}'"))}.\n{TwinRuns.Tail(output, 80)}");
    }
}

/// <summary>A twin's output reads as the lesson on its own: its steps' headings in order, and lines that fit the width it was given.</summary>
public sealed class TwinOutputTests
{
    public static TheoryData<string> Notebooks => Lessons.All;

    // The twins run with their output redirected, where the kit renders at 120 columns (in a terminal, at the terminal's width).
    private const int RedirectedWidth = 120;

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_twin_prints_the_lessons_headings_and_fits_its_width(string name)
    {
        var runs = await TwinRuns.AllAsync.WaitAsync(TestContext.Current.CancellationToken);
        var (exitCode, output, _) = runs[name];
        Assert.True(exitCode == 0, $"'dotnet run notebooks/{name}.cs' exited with {exitCode}. Its output ends:\n{TwinRuns.Tail(output, 60)}");

        var notebook = JsonNode.Parse(File.ReadAllText(Lessons.NotebookPath(name)))!;
        var headings = notebook["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "markdown")
            .Select(c => string.Concat(c!["source"]!.AsArray().Select(l => l!.GetValue<string>())).TrimStart())
            .Where(text => text.StartsWith('#'))
            .Select(text => TwinGenerator.KeySentences(text).Split('\n')[0].TrimStart('#', ' '))
            .ToList();
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var position = 0;
        foreach (var heading in headings)
        {
            var at = Array.IndexOf(lines, heading, position);
            Assert.True(at >= 0, $"'dotnet run notebooks/{name}.cs' should print the step '{heading}' as a heading (after the ones before it), so " +
                $"its output reads as the lesson. It printed:\n{TwinRuns.Tail(output, 80)}");
            position = at + 1;
        }

        // Prose and tables: a line of one unbroken token (a hex dump, a rule of box characters) is data that no wrapping can help.
        var wide = lines.Where(l => l.Length > RedirectedWidth && l.Trim().Contains(' ', StringComparison.Ordinal)).ToList();
        Assert.True(wide.Count == 0, $"'dotnet run notebooks/{name}.cs' printed {wide.Count} line(s) wider than {RedirectedWidth} columns:\n" +
            string.Join("\n", wide.Take(10)));
    }
}

/// <summary>
/// Runs every twin once per test run, a few at a time. TlsLab itself is already built (this project references it),
/// so the twins skip building it again: concurrent builds of one project would trip over each other's files.
/// </summary>
internal static class TwinRuns
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, (int ExitCode, string Output, TimeSpan Elapsed)>>> Runs =
        new(RunAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<IReadOnlyDictionary<string, (int ExitCode, string Output, TimeSpan Elapsed)>> AllAsync => Runs.Value;

    public static string Tail(string text, int lines) =>
        string.Join("\n", text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').TakeLast(lines));

    private static async Task<IReadOnlyDictionary<string, (int ExitCode, string Output, TimeSpan Elapsed)>> RunAllAsync()
    {
        using var slots = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
        var runs = Lessons.Names.Select(async name =>
        {
            await slots.WaitAsync();
            try
            {
                var clock = Stopwatch.StartNew();
                var (exitCode, output) = await DotnetAsync(["run", "-p:BuildProjectReferences=false", $"notebooks/{name}.cs"], TimeSpan.FromMinutes(4));
                return (name, result: (exitCode, output, clock.Elapsed));
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(runs);
        return results.ToDictionary(r => r.name, r => r.result);
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Lessons.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
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
        var output = new StringBuilder();
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"(stopped after {timeout.TotalMinutes:0} min)\n{output}");
        }

        process.WaitForExit();
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
