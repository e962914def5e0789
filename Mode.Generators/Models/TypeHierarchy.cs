using Mode.Generators.Helpers;

namespace Mode.Generators.Models;

/// <summary>
/// Where a service class sits: its namespace and the chain of types to reopen, enough to write a
/// partial declaration of it in a separate file.
/// </summary>
/// <param name="Namespace">The namespace (<c>App.Workers</c>), or <see langword="null"/> for the global namespace.</param>
/// <param name="Types">The containing types, outermost first; the last one is the service class itself.</param>
/// <param name="FullyQualifiedName">The class as an expression type, with <c>global::</c> and type parameters
/// (<c>global::App.Box&lt;T&gt;</c>).</param>
/// <param name="MetadataName">The fully qualified metadata name (<c>App.Outer+Inner`1</c>): the grouping key.</param>
internal sealed record TypeHierarchy(
    string? Namespace,
    EquatableArray<TypeDeclarationInfo> Types,
    string FullyQualifiedName,
    string MetadataName)
{
    /// <summary>The simple name of the service class, used in default task and timer names.</summary>
    public string ClassName => Types[Types.Count - 1].Name.TrimStart('@');

    /// <summary>
    /// The generated file's hint name: the metadata name with <c>+</c> as <c>.</c> and <c>`</c> as
    /// <c>_</c>, then <c>.Mode.g.cs</c> (unique per type, and stable across builds).
    /// </summary>
    public string HintName => MetadataName.Replace('+', '.').Replace('`', '_') + ".Mode.g.cs";
}

/// <summary>One type declaration to reopen as <c>partial</c>.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>,
/// <c>record struct</c> or <c>interface</c>.</param>
/// <param name="IsRefStruct">Whether it is a <c>ref struct</c> (reopened as <c>ref partial struct</c>).</param>
/// <param name="Name">The type's name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="TypeParameters">The type parameter list (<c>&lt;T, U&gt;</c>), or empty.</param>
internal sealed record TypeDeclarationInfo(string Keyword, bool IsRefStruct, string Name, string TypeParameters);
