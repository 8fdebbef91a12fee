using System.Collections;
using System.Globalization;
using System.Net.Security;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace TlsLab.Grading;

/// <summary>
/// Every setting of a <see cref="SslClientAuthenticationOptions"/> (and of its chain policy) as text,
/// so exercises 2 and 3 can tell which settings a method changed. Read by reflection, so a setting
/// added in a later .NET is compared too. Collections compare by content, delegates by identity.
/// </summary>
public sealed class ClientOptionsSnapshot
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    private ClientOptionsSnapshot(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>Reads every public setting of <paramref name="options"/> now.</summary>
    public static ClientOptionsSnapshot Of(SslClientAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Settings(typeof(SslClientAuthenticationOptions)))
        {
            var value = Read(property, options);
            if (value is X509ChainPolicy policy)
            {
                settings[property.Name] = "set";
                foreach (var inner in Settings(typeof(X509ChainPolicy)))
                {
                    // An unset verification time reads as "now", which differs on every read.
                    settings[$"{property.Name}.{inner.Name}"] = inner.Name == nameof(X509ChainPolicy.VerificationTime) && policy.VerificationTimeIgnored
                        ? "(the time of validation)"
                        : Show(Read(inner, policy));
                }
            }
            else
            {
                settings[property.Name] = Show(value);
            }
        }

        return new ClientOptionsSnapshot(settings);
    }

    /// <summary>The settings that differ from <paramref name="before"/>, as "Name: old -> new", except those named in <paramref name="ignore"/>.</summary>
    public IReadOnlyList<string> ChangesSince(ClientOptionsSnapshot before, params string[] ignore)
    {
        ArgumentNullException.ThrowIfNull(before);
        return before._settings.Keys.Union(_settings.Keys).Order(StringComparer.Ordinal)
            .Where(name => !ignore.Contains(name) && !ignore.Any(i => name.StartsWith(i + ".", StringComparison.Ordinal)))
            .Select(name => (name, was: before._settings.GetValueOrDefault(name, "(none)"), now: _settings.GetValueOrDefault(name, "(none)")))
            .Where(c => c.was != c.now)
            .Select(c => $"{c.name}: {Shown(c.was)} -> {Shown(c.now)}" + (Shown(c.was) == Shown(c.now) ? " (another instance)" : string.Empty))
            .ToList();
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal);

    private static object? Read(PropertyInfo property, object target)
    {
        try
        {
            return property.GetValue(target);
        }
        catch (TargetInvocationException e) when (e.InnerException is PlatformNotSupportedException)
        {
            return "(not supported here)";
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        Delegate callback => $"{Name(callback.Method)}{Identity}{(callback.Target is null ? 0 : RuntimeHelpers.GetHashCode(callback.Target))}",
        X509Certificate2 certificate => $"'{certificate.Subject}' {certificate.Thumbprint}",
        X509Certificate certificate => $"'{certificate.Subject}' {certificate.GetCertHashString()}",
        Oid oid => oid.Value ?? "?",
        CipherSuitesPolicy policy => OperatingSystem.IsWindows() ? "set" : string.Join(",", policy.AllowedCipherSuites ?? []),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Show))}]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.GetType().IsValueType
            || value.GetType().IsEnum ? value.ToString() ?? "?" : $"a {value.GetType().Name}{Identity}{RuntimeHelpers.GetHashCode(value)}",
    };

    // What follows this marker tells two objects apart in comparisons; messages leave it out.
    private const char Identity = '\u0001';

    private static string Shown(string setting) => Regex.Replace(setting, "\u0001[0-9]+", string.Empty);

    // A lambda's method is compiler-named, e.g. "<OnlyTls13>b__0_0": name the method it was written in.
    // A local function's, e.g. "<Check>g__TheCallersCallback|3_0": its own name.
    private static string Name(MethodInfo method)
    {
        var name = method.Name;
        if (name.IndexOf("g__", StringComparison.Ordinal) is >= 0 and var local && name.IndexOf('|', local) is var bar and > 0)
        {
            return name[(local + 3)..bar];
        }

        return name.StartsWith('<') && name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end
            ? $"a lambda written in {name[1..end]}"
            : $"{method.DeclaringType?.Name}.{name}";
    }

    /// <summary>Just the names of the settings in <paramref name="changes"/> (from <see cref="ChangesSince"/>), for a summary line.</summary>
    public static string Names(IReadOnlyList<string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return string.Join(", ", changes.Select(c => c.Split(':')[0]));
    }
}
