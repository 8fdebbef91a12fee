using System.Diagnostics;
using TlsLab.Workshop;
using TlsLab.Zoo;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>One grading by <see cref="WatchSession"/>: the outcome, how long it took, and what the attendee's code printed meanwhile.</summary>
/// <param name="Outcome">The grades, the exercises that do not compile and the warnings, as <c>tlslab grade</c> has them.</param>
/// <param name="Elapsed">Compile plus tests.</param>
/// <param name="Printed">What the attendee's code wrote to the console while its tests ran.</param>
/// <param name="Compiling">Of <paramref name="Elapsed"/>, the time spent compiling (every round, when an exercise did not compile).</param>
internal sealed record WatchRound(GradeOutcome Outcome, TimeSpan Elapsed, string Printed, TimeSpan Compiling);

/// <summary>
/// What <c>grade --watch</c> keeps warm between saves: MSBuild's answer about references (asked once), the
/// compiler with every reference loaded, and one running lab. Each <see cref="GradeAsync"/> compiles
/// exercises/ and the graders in memory, loads them into a fresh collectible context, runs the selected
/// exercises' grading tests against the warm lab, and unloads them.
/// </summary>
internal sealed class WatchSession : IAsyncDisposable
{
    // A test that takes longer is stuck (the slowest grading task takes a few seconds): report it and go on.
    private static readonly TimeSpan PerTest = TimeSpan.FromSeconds(60);

    private static readonly SemaphoreSlim ConsoleCapture = new(1, 1);

    private readonly InProcessCompiler _compiler;
    private readonly ProjectInputs _graders;
    // Started by the first grading whose graders compiled: its settings are the graders' own (GradingLab.Options).
    private Lab? _lab;

    private WatchSession(InProcessCompiler compiler, ProjectInputs graders, string exercisesFolder)
    {
        _compiler = compiler;
        _graders = graders;
        ExercisesFolder = exercisesFolder;
    }

    /// <summary>The attendee's exercises/ folder, the one to watch.</summary>
    public string ExercisesFolder { get; }

    /// <summary>
    /// Reads the references of <paramref name="testProject"/> (exercises/Tests) and of exercises/ (from MSBuild, or as
    /// it answered last time), and builds them once first if their outputs are missing. The lab starts with the first grading.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// MSBuild could not read a project, or the kit's own code does not compile; the message says what to do.
    /// </exception>
    public static async Task<WatchSession> StartAsync(string testProject, Action<string> progress, CancellationToken cancellationToken)
    {
        var testFolder = Path.GetDirectoryName(Path.GetFullPath(testProject))!;
        var exercisesFolder = Path.GetFullPath(Path.Combine(testFolder, ".."));
        var repositoryRoot = Path.GetFullPath(Path.Combine(exercisesFolder, ".."));
        var exercisesProject = Path.Combine(exercisesFolder, "Exercises.csproj");

        progress("Reading what exercises/ compiles against...");
        var (exercises, graders) = await ReadBothAsync(exercisesProject, testProject, cancellationToken);
        if (exercises.References.Concat(graders.References).Any(r => !File.Exists(r) && !IsExercisesAssembly(r, exercises))
            || SecurityAnalyzers.KitAssembly(exercises.Analyzers) is { } analyzers && !File.Exists(analyzers))
        {
            // A fresh checkout: TlsLab and the graders' packages are built once, with every exercise's stand-in in place of its
            // files, so that it builds whatever state the attendee's files are in.
            progress("Building the kit once (its outputs are missing; this takes a minute the first time)...");
            await BuildWithStandInsAsync(exercisesFolder, testProject, cancellationToken);
            ProjectInputsCache.Forget(exercisesProject);
            ProjectInputsCache.Forget(testProject);
            (exercises, graders) = await ReadBothAsync(exercisesProject, testProject, cancellationToken);
        }

        var compiler = new InProcessCompiler(exercises, graders, repositoryRoot);
        return new WatchSession(compiler, graders, exercisesFolder);
    }

    /// <summary>Compiles and grades the exercises <paramref name="selected"/> as their files are now.</summary>
    public async Task<WatchRound> GradeAsync(IReadOnlyList<int> selected, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var printed = new StringWriter();
        var compiling = TimeSpan.Zero;
        var outcome = await GradingRounds.RunAsync(selected, async (toGrade, excluded) =>
        {
            var compileClock = Stopwatch.StartNew();
            var compiled = _compiler.Compile(excluded);
            compiling += compileClock.Elapsed;
            if (compiled.Assemblies is not { } assemblies)
            {
                return new GradingAttempt(null, compiled.Diagnostics);
            }

            var context = new GradingLoadContext(assemblies, _graders.OutputFolder);
            try
            {
                _lab ??= await Lab.StartAsync((LabOptions)FixtureType(context).GetProperty("Options")!.GetValue(null)!, cancellationToken);
                var fixture = FixtureType(context).GetMethod("Borrowing")!.Invoke(null, [_lab])!;
                var runner = new InProcessTestRunner(fixture, PerTest);
                var results = await WithConsoleCapturedAsync(printed, () => runner.RunAsync(context.Graders, toGrade, cancellationToken));
                return new GradingAttempt(results, compiled.Diagnostics);
            }
            finally
            {
                context.Unload();
            }
        });
        // The in-process compile ran the security analyzers: their findings are among the warnings.
        return new WatchRound(SecurityGate.Apply(outcome), clock.Elapsed, printed.ToString(), compiling);
    }

    public ValueTask DisposeAsync() => _lab?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<(ProjectInputs Exercises, ProjectInputs Graders)> ReadBothAsync(string exercisesProject, string testProject,
        CancellationToken cancellationToken)
    {
        var exercises = ProjectInputsCache.ReadAsync(exercisesProject, cancellationToken);
        var graders = ProjectInputsCache.ReadAsync(testProject, cancellationToken);
        return (await exercises, await graders);
    }

    // dotnet build of exercises/Tests with every exercise's files replaced by their stand-ins, written under obj/ for the build.
    private static async Task BuildWithStandInsAsync(string exercisesFolder, string testProject, CancellationToken cancellationToken)
    {
        var standIns = Path.Combine(exercisesFolder, "obj", "tlslab-stand-ins");
        if (Directory.Exists(standIns))
        {
            Directory.Delete(standIns, recursive: true);
        }

        foreach (var folder in ExerciseCatalog.Folders)
        {
            var source = Path.Combine(exercisesFolder, folder);
            foreach (var file in Directory.Exists(source) ? Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories) : [])
            {
                var target = Path.Combine(standIns, Path.GetRelativePath(exercisesFolder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(await File.ReadAllTextAsync(file, cancellationToken),
                    cancellationToken: cancellationToken);
                await File.WriteAllTextAsync(target, StandIn.Of(tree).ToString(), cancellationToken);
            }
        }

        var start = DotnetCommand.StartInfo(Path.GetDirectoryName(testProject)!, "build", testProject, "-nologo", "-v:q");
        start.Environment["TlsLabStandIns"] = standIns;
        var (exit, stdout, stderr) = await Setup.ChildProcess.RunAsync(start, TimeSpan.FromMinutes(10), cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet build {ExerciseCatalog.TestProject.Replace('\\', '/')} failed (exit code {exit}); run it " +
                $"to see why. {string.Join(' ', (stdout + stderr).Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Take(2))}"
                .Trim());
        }
    }

    private static bool IsExercisesAssembly(string reference, ProjectInputs exercises) =>
        Path.GetFileNameWithoutExtension(reference).Equals(exercises.AssemblyName, StringComparison.OrdinalIgnoreCase);

    private static Type FixtureType(GradingLoadContext context) =>
        context.Graders.GetType("TlsLab.Grading.GradingLab")
        ?? throw new InvalidOperationException("The grading tests have no TlsLab.Grading.GradingLab fixture; is this a checkout of the kit?");

    // The attendee's Console.WriteLine must not scribble over the table: it is kept and shown below it.
    private static async Task<T> WithConsoleCapturedAsync<T>(StringWriter into, Func<Task<T>> run)
    {
        await ConsoleCapture.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        var writer = TextWriter.Synchronized(into);
        Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            return await run();
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            ConsoleCapture.Release();
        }
    }
}
