using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mode.Analyzers.Helpers;

/// <summary>Which types in a nesting chain are not declared <c>partial</c>.</summary>
internal static class PartialTypes
{
    /// <summary>Whether every declaration of <paramref name="type"/> carries <c>partial</c>.</summary>
    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return true;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="type"/> and its containing types that are not partial, outermost first.
    /// </summary>
    public static List<INamedTypeSymbol> NonPartialChain(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var result = new List<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartial(current, cancellationToken))
            {
                result.Insert(0, current);
            }
        }

        return result;
    }
}
