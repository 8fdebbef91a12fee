using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

/// <summary>How a value is used: set (assigned, passed, combined into flags) or only looked at (compared, tested, masked off).</summary>
internal static class Usage
{
    /// <summary>
    /// True when <paramref name="value"/> chooses a setting. False when it is compared (<c>==</c>, a pattern,
    /// <c>HasFlag</c>, <c>Equals</c>), masked (<c>flags &amp; X</c>) or removed (<c>~X</c>): reading a setting is no mistake.
    /// </summary>
    public static bool IsSetting(IOperation value)
    {
        var current = value;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation:
                case IParenthesizedOperation:
                    break;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation }:
                    return false;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Or }:
                    break;
                case IBinaryOperation:
                case IPatternOperation:
                case IIsPatternOperation:
                case ISwitchCaseOperation:
                case ICaseClauseOperation:
                    return false;
                case IArgumentOperation { Parent: IInvocationOperation call } when call.TargetMethod.Name is "HasFlag" or "Equals":
                    return false;
                case IInvocationOperation call when call.Instance == current && call.TargetMethod.Name is "Equals" or "HasFlag" or "ToString":
                    return false;
                default:
                    return true;
            }

            current = parent;
        }

        return true;
    }

    /// <summary>True when <paramref name="value"/> stands alone (not one of several flags or'ed together): replacing it is one edit.</summary>
    public static bool StandsAlone(IOperation value)
    {
        var parent = value.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is not IBinaryOperation;
    }

    /// <summary>The property or field a value is assigned to, through flag combinations and conversions; null when it is not assigned.</summary>
    public static ISymbol? AssignedTo(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation or IParenthesizedOperation or IBinaryOperation)
        {
            current = current.Parent;
        }

        return current.Parent is ISimpleAssignmentOperation assignment && assignment.Value == current
            ? assignment.Target switch
            {
                IPropertyReferenceOperation p => p.Property,
                IFieldReferenceOperation f => f.Field,
                _ => null,
            }
            : null;
    }

    public static bool IsType(ITypeSymbol? type, string fullName) =>
        type is not null && type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == fullName;
}
