using TlsLab.Analyzers.CodeFixes;

namespace TlsLab.Analyzers.Tests;

public sealed class RevocationTests
{
    [Fact]
    public Task NoCheck_and_Offline_on_a_client_are_flagged() => Verify<RevocationAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void M(X509ChainPolicy policy, SslClientAuthenticationOptions options)
            {
                policy.RevocationMode = {|TLS001:X509RevocationMode.NoCheck|};
                policy.RevocationMode = {|TLS001:X509RevocationMode.Offline|};
                options.CertificateRevocationCheckMode = {|TLS001:X509RevocationMode.Offline|};
            }
        }
        """);

    [Fact]
    public Task Online_a_comparison_and_Offline_on_a_server_are_not() => Verify<RevocationAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static bool M(X509ChainPolicy policy, SslServerAuthenticationOptions server)
            {
                policy.RevocationMode = X509RevocationMode.Online;
                policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
                server.CertificateRevocationCheckMode = X509RevocationMode.Offline;
                return policy.RevocationMode == X509RevocationMode.NoCheck
                    || policy.VerificationFlags.HasFlag(X509VerificationFlags.IgnoreEndRevocationUnknown);
            }
        }
        """);

    [Fact]
    public Task Soft_fail_flags_and_the_leaf_only_are_flagged() => Verify<RevocationAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void M(X509ChainPolicy policy)
            {
                policy.VerificationFlags = {|TLS002:X509VerificationFlags.IgnoreEndRevocationUnknown|}
                    | {|TLS002:X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown|};
                policy.VerificationFlags = {|TLS002:X509VerificationFlags.IgnoreRootRevocationUnknown|};
                policy.RevocationFlag = {|TLS003:X509RevocationFlag.EndCertificateOnly|};
            }
        }
        """);

    [Fact]
    public Task Removing_a_soft_fail_flag_is_not_flagged() => Verify<RevocationAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void M(X509ChainPolicy policy) => policy.VerificationFlags &= ~X509VerificationFlags.IgnoreEndRevocationUnknown;
        }
        """);

    [Fact]
    public Task NoCheck_is_fixed_to_Online() => Verify<RevocationAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static X509ChainPolicy M() => new() { RevocationMode = {|TLS001:X509RevocationMode.NoCheck|} };
        }
        """, """
        static class C
        {
            static X509ChainPolicy M() => new() { RevocationMode = X509RevocationMode.Online };
        }
        """);

    [Fact]
    public Task A_lone_soft_fail_flag_is_fixed_to_NoFlag() => Verify<RevocationAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static X509ChainPolicy M() => new() { VerificationFlags = {|TLS002:X509VerificationFlags.IgnoreEndRevocationUnknown|} };
        }
        """, """
        static class C
        {
            static X509ChainPolicy M() => new() { VerificationFlags = X509VerificationFlags.NoFlag };
        }
        """);

    [Fact]
    public Task EndCertificateOnly_is_fixed_to_ExcludeRoot() => Verify<RevocationAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static X509ChainPolicy M() => new() { RevocationFlag = {|TLS003:X509RevocationFlag.EndCertificateOnly|} };
        }
        """, """
        static class C
        {
            static X509ChainPolicy M() => new() { RevocationFlag = X509RevocationFlag.ExcludeRoot };
        }
        """);
}
