namespace TlsLab.Analyzers.Tests;

public sealed class CallbackTests
{
    [Fact]
    public Task Catch_all_callbacks_are_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions Lambda() => new() { RemoteCertificateValidationCallback = (_, _, _, _) => {|TLS006:true|} };

            static bool Method(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                Console.WriteLine(errors);
                return {|TLS006:true|};
            }

            static SslStream OnTheStream(Stream inner) => new(inner, false, (_, certificate, _, _) => {|TLS006:certificate is not null|});
        }
        """);

    [Fact]
    public Task A_callback_that_overrules_the_errors_is_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions M(X509Certificate2 root) => new()
            {
                RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    return {|TLS006:chain is not null && chain.ChainElements[^1].Certificate.Subject == root.Subject|};
                },
            };
        }
        """);

    [Fact]
    public Task Callbacks_that_need_no_errors_are_not_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions Guarded(ISet<string> pins) => new()
            {
                RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                {
                    if (errors != SslPolicyErrors.None || chain is null)
                    {
                        return false;
                    }

                    return chain.ChainElements.Any(e => pins.Contains(e.Certificate.Subject));
                },
            };

            static SslClientAuthenticationOptions Conjunct() => new()
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None && certificate is not null,
            };

            static SslClientAuthenticationOptions Refuses() => new() { RemoteCertificateValidationCallback = (_, _, _, _) => false };

            static bool NotACallback(SslPolicyErrors errors) => true;
        }
        """);

    [Fact]
    public Task A_guard_written_another_way_is_not_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions IsNone() => new()
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors is SslPolicyErrors.None && certificate is not null,
            };

            static SslClientAuthenticationOptions IsZero() => new() { RemoteCertificateValidationCallback = (_, _, _, errors) => errors is 0 };

            static SslClientAuthenticationOptions EqualsZero() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, sslPolicyErrors) => sslPolicyErrors == 0,
            };

            static SslClientAuthenticationOptions ZeroFirst() => new() { RemoteCertificateValidationCallback = (_, _, _, errors) => 0 == errors };

            static SslClientAuthenticationOptions EarlyReturn() => new()
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors != SslPolicyErrors.None) return false;
                    Console.WriteLine(certificate?.Subject);
                    return true;
                },
            };

            static SslClientAuthenticationOptions EarlyReturnIsNot() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                {
                    if (errors is not 0)
                    {
                        return false;
                    }

                    return true;
                },
            };

            static bool Method(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
            {
                if (sslPolicyErrors != 0)
                {
                    return false;
                }

                return certificate is not null;
            }
        }
        """);

    [Fact]
    public Task A_guard_on_a_value_other_than_none_is_still_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions IsChainErrors() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                {
                    if (errors is not SslPolicyErrors.RemoteCertificateChainErrors)
                    {
                        return false;
                    }

                    return {|TLS006:true|};
                },
            };

            static SslClientAuthenticationOptions EqualsFour() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) => {|TLS006:errors == (SslPolicyErrors)4|},
            };
        }
        """);

    [Fact]
    public Task Masking_the_name_mismatch_is_flagged() => Verify<ValidationCallbackAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static SslClientAuthenticationOptions Masked() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                    {|TLS006:(errors & {|TLS007:~SslPolicyErrors.RemoteCertificateNameMismatch|}) == SslPolicyErrors.None|},
            };

            static SslClientAuthenticationOptions Accepted() => new()
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                    {|TLS006:errors == SslPolicyErrors.None || {|TLS007:errors == SslPolicyErrors.RemoteCertificateNameMismatch|}|},
            };
        }
        """);
}
