namespace Mode.Generators.Models;

/// <summary>A <c>[DependsOn]</c> field or property.</summary>
/// <param name="Name">The member's name, registered as the dependency's name.</param>
/// <param name="Identifier">The member's name as an identifier (<c>@</c>-escaped when it is a keyword).</param>
/// <param name="Target">The member's declared type, for the service graph (not used by the wiring).</param>
internal sealed record DependencyModel(string Name, string Identifier, GraphVertex Target)
    : MemberModel(MemberKind.Dependency, Name);
