using Mode.Generators.Helpers;

namespace Mode.Generators.Models;

/// <summary>A vertex of the compile-time service graph: a service type, or a type a <c>[DependsOn]</c> member has.</summary>
/// <param name="Key">What identifies the type: its fully qualified name (<c>global::App.Box&lt;T&gt;</c>; generic
/// definitions, not constructions).</param>
/// <param name="Name">Its name as C# shows it without the namespace (<c>Outer.Box&lt;T&gt;</c>), the vertex's label.</param>
/// <param name="FullName">Its name with the namespace (<c>App.Outer.Box&lt;T&gt;</c>), the label when two vertices share a name.</param>
internal sealed record GraphVertex(string Key, string Name, string FullName);

/// <summary>An edge of the service graph: a <c>[DependsOn]</c> member.</summary>
/// <param name="Member">The member's name: the edge's label.</param>
/// <param name="Target">The member's declared type.</param>
internal sealed record GraphEdge(string Member, GraphVertex Target);

/// <summary>A service class of the graph with its <c>[DependsOn]</c> edges, in declaration order.</summary>
/// <param name="Service">The service class.</param>
/// <param name="Edges">Its dependencies.</param>
internal sealed record GraphService(GraphVertex Service, EquatableArray<GraphEdge> Edges);
