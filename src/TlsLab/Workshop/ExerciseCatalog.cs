namespace TlsLab.Workshop;

// The one list of the exercises. TlsLab compiles it (tlslab grade and the kit's tests reach it through
// InternalsVisibleTo); the graders' projects (exercises/Tests, tests/TlsLab.Grading.Solutions.Tests)
// compile this same file as their own internal copy, so they see TlsLab's public surface only.
// It must therefore stand alone: no other TlsLab type, nothing beyond the BCL.

/// <summary>One exercise: where it lives, what it is called, how many tasks grade it.</summary>
/// <param name="Number">1 to <see cref="ExerciseCatalog.Count"/>; the graders' trait <c>exercise=N</c> and class <c>ExerciseNN...Tests</c>.</param>
/// <param name="Folder">Its folder under exercises/ and solutions/, e.g. <c>02-validate</c>.</param>
/// <param name="Title">Its name, as the heading of its README says after "Exercise N: ".</param>
/// <param name="Lesson">The notebook that teaches what it needs, e.g. <c>02-client-default-context</c>.</param>
/// <param name="Tasks">
/// Its grading tasks: the test methods of its grader class, one per item of the README's
/// "What the tests check" (a theory counts once, whatever its rows).
/// </param>
/// <param name="Stubs">The files the attendee edits, in the folder; each declares the type of the same name.</param>
internal sealed record ExerciseEntry(int Number, string Folder, string Title, string Lesson, int Tasks, IReadOnlyList<string> Stubs)
{
    /// <summary>The task description, relative to the repository root.</summary>
    public string Readme => $"exercises/{Folder}/README.md";

    /// <summary>The hints, relative to the repository root.</summary>
    public string Hints => $"exercises/{Folder}/HINTS.md";

    /// <summary>The lesson notebook, relative to the repository root.</summary>
    public string Notebook => $"notebooks/{Lesson}.ipynb";

    /// <summary>The reference answer's folder, relative to the repository root.</summary>
    public string Solution => $"solutions/{Folder}";
}

/// <summary>The exercises, by number, for <c>tlslab grade</c>, the graders' messages and the kit's tests.</summary>
internal static class ExerciseCatalog
{
    /// <summary>Every exercise, in order: exercise N is <c>All[N - 1]</c>.</summary>
    public static IReadOnlyList<ExerciseEntry> All { get; } =
    [
        new(1, "01-plain-socket", "a plain socket", "01-sockets", 5, ["PlainHttpClient.cs"]),
        new(2, "02-validate", "a client that validates properly", "02-client-default-context", 14, ["ValidatingClient.cs"]),
        new(3, "03-protocol-floor", "a protocol floor", "03-protocols", 7, ["ProtocolFloor.cs"]),
        new(4, "04-hostname", "connect to an address, check a name", "04-hostname-checks", 13, ["HostnameCheck.cs", "HostnameCheckResult.cs"]),
        new(5, "05-server", "a TLS server", "05-server", 16, ["ServerCredentials.cs", "TlsServer.cs"]),
        new(6, "06-ciphers", "cipher suites", "06-ciphers", 6, ["ModernCiphers.cs"]),
        new(7, "07-mutual-tls", "mutual TLS", "07-mutual-tls", 11, ["MutualTls.cs"]),
        new(8, "08-revocation", "a client that checks revocation", "08-revocation", 9, ["RevocationCheck.cs"]),
        new(9, "09-pinning", "public-key pinning", "09-sni-alpn-pinning", 11, ["PublicKeyPinning.cs"]),
        new(10, "10-http-client", "the handler behind HttpClient", "12-httpclient", 10, ["SecureHandler.cs"]),
        new(11, "11-kestrel", "Kestrel's TLS", "13-kestrel", 8, ["KestrelApp.cs"]),
    ];

    /// <summary>The number of exercises.</summary>
    public static int Count => All.Count;

    /// <summary>The exercise folders, in order.</summary>
    public static IReadOnlyList<string> Folders { get; } = [.. All.Select(e => e.Folder)];

    /// <summary>Where the attendee's grading test project lives, relative to the repository root.</summary>
    public static string TestProject { get; } = Path.Combine("exercises", "Tests", "Exercises.Tests.csproj");

    /// <summary>Exercise <paramref name="number"/> (1-based).</summary>
    public static ExerciseEntry Get(int number) =>
        number >= 1 && number <= All.Count
            ? All[number - 1]
            : throw new ArgumentOutOfRangeException(nameof(number), number, $"There are exercises 1 to {All.Count}: {string.Join(", ", Folders)}.");

    /// <summary>The folder of exercise <paramref name="number"/>, e.g. <c>02-validate</c>.</summary>
    public static string Folder(int number) => Get(number).Folder;

    /// <summary>The exercise whose stub declares the type <paramref name="typeName"/>, or null.</summary>
    public static ExerciseEntry? OfStubType(string typeName) =>
        All.FirstOrDefault(e => e.Stubs.Contains(typeName + ".cs", StringComparer.Ordinal));
}
