using TlsLab.Analyzers.CodeFixes;

namespace TlsLab.Analyzers.Tests;

public sealed class TrustTests
{
    [Fact]
    public Task Forgiving_verification_flags_are_flagged() => Verify<VerificationFlagsAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void M(X509ChainPolicy policy)
            {
                policy.VerificationFlags = {|TLS004:X509VerificationFlags.AllowUnknownCertificateAuthority|};
                policy.VerificationFlags = {|TLS004:X509VerificationFlags.AllFlags|};
                policy.VerificationFlags = {|TLS004:X509VerificationFlags.IgnoreNotTimeValid|} | {|TLS004:X509VerificationFlags.IgnoreWrongUsage|};
            }
        }
        """);

    [Fact]
    public Task NoFlag_and_reading_the_flags_are_not() => Verify<VerificationFlagsAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static bool M(X509ChainPolicy policy)
            {
                policy.VerificationFlags = X509VerificationFlags.NoFlag;
                return (policy.VerificationFlags & X509VerificationFlags.AllowUnknownCertificateAuthority) != 0;
            }
        }
        """);

    [Fact]
    public Task A_lone_forgiving_flag_is_fixed_to_NoFlag() => Verify<VerificationFlagsAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static void M(X509ChainPolicy policy) => policy.VerificationFlags = {|TLS004:X509VerificationFlags.AllowUnknownCertificateAuthority|};
        }
        """, """
        static class C
        {
            static void M(X509ChainPolicy policy) => policy.VerificationFlags = X509VerificationFlags.NoFlag;
        }
        """);

    [Fact]
    public Task A_custom_root_with_the_machine_roots_is_flagged() => Verify<CustomTrustAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static X509ChainPolicy Explicit(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = {|TLS005:X509ChainTrustMode.System|} };
                policy.CustomTrustStore.Add(root);
                return policy;
            }

            static X509ChainPolicy LeftAtTheDefault(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy();
                {|TLS005:policy.CustomTrustStore.Add(root)|};
                return policy;
            }

            static X509ChainPolicy FromTheMachine(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
                policy.CustomTrustStore.Add(root);
                using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
                store.Open(OpenFlags.ReadOnly);
                {|TLS005:policy.CustomTrustStore.AddRange(store.Certificates)|};
                return policy;
            }
        }
        """);

    [Fact]
    public Task Roots_read_from_the_machine_by_a_helper_are_flagged() => Verify<CustomTrustAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static X509ChainPolicy M(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
                policy.CustomTrustStore.Add(root);
                {|TLS005:policy.CustomTrustStore.AddRange(MachineRoots())|};
                policy.CustomTrustStore.AddRange(LabRoots(root));
                return policy;
            }

            static X509Certificate2Collection MachineRoots()
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadOnly);
                return store.Certificates;
            }

            static X509Certificate2Collection LabRoots(X509Certificate2 root) => [root];
        }
        """);

    [Fact]
    public Task CustomRootTrust_with_one_root_is_not() => Verify<CustomTrustAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static X509ChainPolicy M(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, DisableCertificateDownloads = true };
                policy.CustomTrustStore.Add(root);
                return policy;
            }

            // A policy made elsewhere: its trust mode is not this method's to judge.
            static void Add(X509ChainPolicy given, X509Certificate2 root) => given.CustomTrustStore.Add(root);
        }
        """);

    [Fact]
    public Task System_is_fixed_to_CustomRootTrust() => Verify<CustomTrustAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static X509ChainPolicy M(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = {|TLS005:X509ChainTrustMode.System|} };
                policy.CustomTrustStore.Add(root);
                return policy;
            }
        }
        """, """
        static class C
        {
            static X509ChainPolicy M(X509Certificate2 root)
            {
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
                policy.CustomTrustStore.Add(root);
                return policy;
            }
        }
        """);

    [Fact]
    public Task DangerousAcceptAnyServerCertificateValidator_is_flagged() => Verify<AcceptAnyCertificateAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static HttpClientHandler Wrong() => new() { ServerCertificateCustomValidationCallback = {|TLS008:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|} };
            static HttpClientHandler Right() => new() { CheckCertificateRevocationList = true };
        }
        """);
}
