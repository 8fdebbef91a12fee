namespace TlsLab.Zoo;

/// <summary>A scenario this platform cannot serve, and why in words a learner understands.</summary>
internal sealed record SkippedScenario(string Name, string Reason);
