using TlsLab.Client;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>Whether a refusal is the one the lab documents, compared by what .NET reports (never by message text, which differs per platform).</summary>
public static class Refusal
{
    /// <summary>True when the handshake failed with the expected problem, exactly the expected policy errors, and at least the expected chain status.</summary>
    internal static bool IsForItsOwnReason(HandshakeOutcome outcome, ExpectedRejection expected)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(expected);
        return !outcome.Succeeded
            && outcome.Problem == expected.Problem
            && outcome.Validation is { } validation
            && validation.PolicyErrors == expected.PolicyErrors
            && validation.ChainStatus.HasFlag(expected.ChainStatus);
    }
}
