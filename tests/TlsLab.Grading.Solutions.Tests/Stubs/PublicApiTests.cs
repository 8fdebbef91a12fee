extern alias stubs;
using System.Reflection;

namespace TlsLab.Grading.Stubs;

/// <summary>
/// exercises/ and solutions/ expose the same public API, member for member. That is what lets the
/// attendee's test project (Grading/ compiled against exercises/) build, and what lets the kit
/// prove the solutions pass the very tests the attendee runs.
/// </summary>
public sealed class PublicApiTests
{
    // exercises/ (referenced under the alias 'stubs'): only its declarations are read, never run, so an attendee's answers change nothing here.
    private static Assembly StubsAssembly => typeof(stubs::TlsLab.Exercises.PlainHttpClient).Assembly;

    [Fact]
    public void Exercises_and_solutions_have_the_same_public_API()
    {
        var stubs = Surface(StubsAssembly);
        var solutions = Surface(typeof(Exercises.PlainHttpClient).Assembly);

        var onlyInStubs = stubs.Except(solutions).ToList();
        var onlyInSolutions = solutions.Except(stubs).ToList();
        Assert.True(onlyInStubs.Count == 0 && onlyInSolutions.Count == 0,
            "The public APIs differ." + Environment.NewLine +
            "Only in exercises/: " + string.Join(Environment.NewLine + "  ", onlyInStubs.Prepend(string.Empty)) + Environment.NewLine +
            "Only in solutions/: " + string.Join(Environment.NewLine + "  ", onlyInSolutions.Prepend(string.Empty)));
        Assert.NotEmpty(stubs);
    }

    [Fact]
    public void Both_assemblies_declare_their_types_in_TlsLab_Exercises()
    {
        Assert.All(StubsAssembly.GetExportedTypes(), t => Assert.Equal("TlsLab.Exercises", t.Namespace));
        Assert.All(typeof(Exercises.PlainHttpClient).Assembly.GetExportedTypes(), t => Assert.Equal("TlsLab.Exercises", t.Namespace));
    }

    // One line per public type and member: its kind, name, signature, parameter names and defaults,
    // and platform attributes (they are part of the contract: CA1416 enforces them on callers).
    private static SortedSet<string> Surface(Assembly assembly)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes())
        {
            var kind = type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract
                && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : "class";
            var interfaces = string.Join(", ", type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {Name(type)} : {Name(type.BaseType)} [{interfaces}]");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                lines.Add($"{Name(type)}::{Describe(member)}{Platforms(member)}");
            }
        }

        return lines;
    }

    private static string Describe(MemberInfo member) => member switch
    {
        MethodBase method => $"{(method.IsStatic ? "static " : string.Empty)}{(method is MethodInfo m ? Name(m.ReturnType) : "ctor")} " +
            $"{method.Name}({string.Join(", ", method.GetParameters().Select(Parameter))})",
        PropertyInfo property => $"property {Name(property.PropertyType)} {property.Name} " +
            $"{{{(property.CanRead ? " get;" : string.Empty)}{(property.SetMethod?.IsPublic == true ? " set;" : string.Empty)} }}",
        FieldInfo field => $"{(field.IsStatic ? "static " : string.Empty)}field {Name(field.FieldType)} {field.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType)} {e.Name}",
        Type nested => $"nested {nested.FullName}",
        _ => $"{member.MemberType} {member.Name}",
    };

    // Type names without assembly names: the two assemblies differ in name, not in API.
    private static string Name(Type? type)
    {
        if (type is null)
        {
            return "void";
        }

        if (type.IsByRef || type.IsArray || type.IsPointer)
        {
            return Name(type.GetElementType()) + (type.IsByRef ? "&" : type.IsArray ? "[]" : "*");
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var definition = type.GetGenericTypeDefinition();
        var baseName = (definition.FullName ?? definition.Name).Split('`')[0];
        return $"{baseName}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }

    private static string Parameter(ParameterInfo p) =>
        $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? $" = {p.DefaultValue ?? "null"}" : string.Empty)}";

    private static string Platforms(MemberInfo member)
    {
        var attributes = member.GetCustomAttributes<System.Runtime.Versioning.OSPlatformAttribute>()
            .Select(a => $"{a.GetType().Name}({a.PlatformName})")
            .Order(StringComparer.Ordinal)
            .ToList();
        return attributes.Count == 0 ? string.Empty : $" [{string.Join(", ", attributes)}]";
    }
}
