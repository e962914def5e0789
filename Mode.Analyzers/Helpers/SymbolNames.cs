using Microsoft.CodeAnalysis;

namespace Mode.Analyzers.Helpers;

/// <summary>How the diagnostics name symbols.</summary>
internal static class SymbolNames
{
    /// <summary><c>Outer.Inner&lt;T&gt;</c>: containing types and type parameters, no namespace.</summary>
    public static readonly SymbolDisplayFormat ShortType = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary><c>Ns.Outer.Inner&lt;T&gt;</c>: the name used to order and print dependency cycles.</summary>
    public static readonly SymbolDisplayFormat QualifiedType = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary><c>Type.Member</c> with the short type name.</summary>
    public static string Member(ISymbol member) =>
        member.ContainingType is null
            ? member.Name
            : member.ContainingType.ToDisplayString(ShortType) + "." + member.Name;
}
