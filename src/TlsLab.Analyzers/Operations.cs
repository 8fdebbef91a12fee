using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TlsLab.Analyzers;

internal static class Operations
{
    public static IEnumerable<IOperation> DescendantsAndSelf(this IOperation operation)
    {
        yield return operation;
        foreach (var child in operation.Descendants())
        {
            yield return child;
        }
    }

    public static IOperation WalkDownConversion(this IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
