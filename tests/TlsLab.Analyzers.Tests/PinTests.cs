using TlsLab.Analyzers.CodeFixes;

namespace TlsLab.Analyzers.Tests;

public sealed class PinTests
{
    [Fact]
    public Task Pins_compared_ignoring_case_are_flagged() => Verify<PinAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static bool Equal(string pin, string seen) => string.Equals(pin, seen, {|TLS009:StringComparison.OrdinalIgnoreCase|});
            static HashSet<string> Set(IEnumerable<string> pins) => pins.ToHashSet({|TLS009:StringComparer.OrdinalIgnoreCase|});
            static bool Upper(string expectedPin, string seen) => {|TLS009:seen.ToUpperInvariant()|} == expectedPin;
        }
        """);

    [Fact]
    public Task Ordinal_comparisons_and_other_strings_are_not() => Verify<PinAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static bool Equal(string pin, string seen) => string.Equals(pin, seen, StringComparison.Ordinal);
            static HashSet<string> Set(IEnumerable<string> pins) => pins.ToHashSet(StringComparer.Ordinal);
            static bool Host(string host, string name) => string.Equals(host, name, StringComparison.OrdinalIgnoreCase);
            static bool Mapping(string mapping, string other) => mapping.ToUpperInvariant() == other;
        }
        """);

    [Fact]
    public Task OrdinalIgnoreCase_is_fixed_to_Ordinal() => Verify<PinAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static bool Equal(string pin, string seen) => string.Equals(pin, seen, {|TLS009:StringComparison.OrdinalIgnoreCase|});
        }
        """, """
        static class C
        {
            static bool Equal(string pin, string seen) => string.Equals(pin, seen, StringComparison.Ordinal);
        }
        """);

    [Fact]
    public Task A_pin_of_the_whole_certificate_is_flagged() => Verify<PinAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static string PinOf(X509Certificate2 certificate) => {|TLS010:certificate.Thumbprint|};
            static string HashPin(X509Certificate2 certificate) => Convert.ToBase64String({|TLS010:SHA256.HashData(certificate.RawData)|});
            static byte[] CertHashPin(X509Certificate2 certificate) => {|TLS010:certificate.GetCertHash()|};
            static bool Pinned(ISet<string> pins, X509Certificate2 certificate) => pins.Contains({|TLS010:certificate.Thumbprint|});
        }
        """);

    [Fact]
    public Task A_pin_of_the_public_key_and_a_displayed_thumbprint_are_not() => Verify<PinAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static string PinOf(X509Certificate2 certificate) => Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            static string Describe(X509Certificate2 certificate) => $"{certificate.Subject} {certificate.Thumbprint}";
        }
        """);
}
