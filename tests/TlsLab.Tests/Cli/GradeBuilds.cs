namespace TlsLab.Tests.Cli;

/// <summary>
/// Tests that build exercises/ (or a copy of it) through <c>tlslab grade</c>: they all build src/TlsLab
/// as a project reference, so they run one at a time rather than race on its obj/ folder.
/// </summary>
internal static class GradeBuilds
{
    public const string Name = "grading builds";
}
