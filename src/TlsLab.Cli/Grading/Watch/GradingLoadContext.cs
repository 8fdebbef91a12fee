using System.Reflection;
using System.Runtime.Loader;

namespace TlsLab.Cli.Grading.Watch;

/// <summary>
/// A collectible home for one save's compiled exercises and graders, unloaded when the next save is
/// graded, so that a day of saves does not pile up assemblies. TlsLab and xunit come from tlslab's own
/// context, so the warm lab (a TlsLab object) and xunit's exceptions mean the same types on both sides.
/// </summary>
internal sealed class GradingLoadContext : AssemblyLoadContext
{
    private readonly string _packagesFolder;
    private readonly Assembly _exercises;

    public GradingLoadContext(CompiledExercises compiled, string packagesFolder)
        : base("tlslab grade --watch", isCollectible: true)
    {
        _packagesFolder = packagesFolder;
        _exercises = LoadFromStream(new MemoryStream(compiled.Exercises));
        Graders = LoadFromStream(new MemoryStream(compiled.Graders));
    }

    /// <summary>The grading tests.</summary>
    public Assembly Graders { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (AssemblyName.ReferenceMatchesDefinition(assemblyName, _exercises.GetName()))
        {
            return _exercises;
        }

        try
        {
            // TlsLab, xunit and the framework: the ones tlslab itself runs on.
            return Default.LoadFromAssemblyName(assemblyName);
        }
        catch (FileNotFoundException)
        {
            // Anything else the graders reference: the runtime copy dotnet build put beside the test project. Read into
            // memory rather than mapped, so that a dotnet test running meanwhile can still overwrite the file (Windows locks it).
            var file = Path.Combine(_packagesFolder, assemblyName.Name + ".dll");
            return File.Exists(file) ? LoadFromStream(new MemoryStream(File.ReadAllBytes(file))) : null;
        }
    }
}
