using TlsLab.Analyzers.CodeFixes;

namespace TlsLab.Analyzers.Tests;

public sealed class ServerTests
{
    [Fact]
    public Task Weak_suites_are_flagged() => Verify<CipherSuiteAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static TlsCipherSuite[] Suites() =>
            [
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                {|TLS011:TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256|},
                {|TLS011:TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256|},
            ];
        }
        """);

    [Fact]
    public Task Modern_suites_and_a_comparison_are_not() => Verify<CipherSuiteAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static TlsCipherSuite[] Suites() => [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256];
            static bool IsCbc(TlsCipherSuite suite) => suite == TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256;
        }
        """);

    [Fact]
    public Task Every_interface_is_flagged() => Verify<BindAddressAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static TcpListener Any() => new(new IPEndPoint({|TLS012:IPAddress.Any|}, 0));
            static TcpListener V6() => new({|TLS012:IPAddress.IPv6Any|}, 0);
            static TcpListener Created() => {|TLS012:TcpListener.Create(0)|};
        }
        """);

    [Fact]
    public Task Kestrels_ListenAnyIP_is_flagged() => Verify<BindAddressAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void Any(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel) => {|TLS012:kestrel.ListenAnyIP(0)|};
            static void Loopback(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel) => kestrel.ListenLocalhost(5001);
        }
        """ + KestrelShape);

    // The analyzer matches Kestrel's type and method by name; the tests compile without ASP.NET Core, so this is its shape.
    private const string KestrelShape = """

        namespace Microsoft.AspNetCore.Server.Kestrel.Core
        {
            public sealed class KestrelServerOptions
            {
                public void ListenAnyIP(int port) { }
                public void ListenLocalhost(int port) { }
            }
        }
        """;

    [Fact]
    public Task Loopback_and_a_comparison_are_not() => Verify<BindAddressAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static TcpListener Loopback() => new(new IPEndPoint(IPAddress.Loopback, 0));
            static bool Everywhere(IPAddress address) => address.Equals(IPAddress.Any) || address == IPAddress.IPv6Any;
        }
        """);

    [Fact]
    public Task Any_is_fixed_to_Loopback() => Verify<BindAddressAnalyzer>.CodeFixAsync<ReplaceNameCodeFix>("""
        static class C
        {
            static TcpListener Any() => new(new IPEndPoint({|TLS012:IPAddress.Any|}, 0));
        }
        """, """
        static class C
        {
            static TcpListener Any() => new(new IPEndPoint(IPAddress.Loopback, 0));
        }
        """);

    [Fact]
    public Task A_key_written_with_default_permissions_is_flagged() => Verify<PrivateKeyFileAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void Pem(ECDsa key, string path) => {|TLS013:File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem())|};

            static void Pfx(X509Certificate2 certificate, string path)
            {
                var bytes = certificate.Export(X509ContentType.Pfx);
                {|TLS013:File.WriteAllBytes(path, bytes)|};
            }
        }
        """);

    [Fact]
    public Task An_owner_only_key_file_and_a_certificate_are_not() => Verify<PrivateKeyFileAnalyzer>.AnalyzerAsync("""
        static class C
        {
            static void Pem(ECDsa key, string path)
            {
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new StreamWriter(path, options);
                file.Write(key.ExportPkcs8PrivateKeyPem());
            }

            static void Mode(ECDsa key, string path)
            {
                File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            static void Certificate(X509Certificate2 certificate, string path) => File.WriteAllText(path, certificate.ExportCertificatePem());
        }
        """);
}
