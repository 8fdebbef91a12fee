namespace TlsLab.Cli;

/// <summary>The command's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success (or a clean stop with Ctrl+C).</summary>
    public const int Ok = 0;

    /// <summary>Some graded exercise did not pass.</summary>
    public const int Failed = 1;

    /// <summary>Bad input or an environment problem the user can fix; the message says how.</summary>
    public const int UsageError = 2;

    /// <summary>tlslab probe: nothing answers TLS there (closed port, not TLS, unknown name, timeout).</summary>
    public const int NothingAnswers = 3;
}
