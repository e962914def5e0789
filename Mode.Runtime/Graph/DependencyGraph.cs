using System.Text;
using Mode.Shared;

namespace Mode;

/// <summary>
/// A directed graph of services, "A depends on B" as an edge A → B (Mode's <c>DependencyGraph</c>).
/// Built by <see cref="Node.AsGraph"/>; written as Graphviz DOT or Mermaid.
/// </summary>
/// <remarks>
/// Unlike Mode, each service instance is its own vertex, so two instances of the same class do not
/// collapse into one; leaves appear as vertices too.
/// </remarks>
public sealed class DependencyGraph
{
    private readonly List<IService> _vertices = [];
    private readonly Dictionary<IService, List<IService>> _edges = new(ReferenceEqualityComparer.Instance);

    /// <summary>The services, in insertion order.</summary>
    public IReadOnlyList<IService> Vertices => _vertices;

    /// <summary>Every edge (from, to), grouped by source in insertion order.</summary>
    public IEnumerable<(IService From, IService To)> Edges =>
        _vertices.SelectMany(v => _edges[v].Select(to => (v, to)));

    /// <summary>Adds a vertex; no-op if present.</summary>
    internal void AddVertex(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!_edges.ContainsKey(service))
        {
            _edges.Add(service, []);
            _vertices.Add(service);
        }
    }

    /// <summary>Adds the edge "<paramref name="from"/> depends on <paramref name="to"/>", adding missing vertices.</summary>
    internal void AddEdge(IService from, IService to)
    {
        AddVertex(from);
        AddVertex(to);
        var targets = _edges[from];
        if (!targets.Contains(to))
        {
            targets.Add(to);
        }
    }

    /// <summary>The services <paramref name="service"/> depends on directly.</summary>
    /// <param name="service">A vertex.</param>
    /// <returns>Its direct dependencies, in insertion order (empty for an unknown service).</returns>
    public IReadOnlyList<IService> DependenciesOf(IService service) =>
        _edges.TryGetValue(service, out var targets) ? targets : [];

    /// <summary>Writes the graph in Graphviz DOT, with labels escaped so any label yields a valid file.</summary>
    /// <param name="writer">Where the DOT text goes.</param>
    public void ToDot(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ids = Ids();
        writer.Write("digraph dependencies {\n");
        writer.Write("    graph [fontname=\"HelveticaNeue\", bgcolor=\"mintcream\"];\n");
        writer.Write("    node [shape=\"box\", style=\"filled\", fontname=\"HelveticaNeue\", fillcolor=\"palegreen3\", color=\"palegreen4\"];\n");
        writer.Write("    edge [arrowhead=\"vee\", color=\"darkseagreen4\", arrowsize=\"0.7\"];\n");
        foreach (var vertex in _vertices)
        {
            writer.Write($"    {ids[vertex]} [label=\"{GraphLabels.EscapeDot(vertex.Label)}\"];\n");
        }

        foreach (var (from, to) in Edges)
        {
            writer.Write($"    {ids[from]} -> {ids[to]};\n");
        }

        writer.Write("}\n");
    }

    /// <summary>Writes the graph as a Mermaid flowchart, with labels escaped so any label yields a valid chart.</summary>
    public void ToMermaid(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ids = Ids();
        writer.Write("flowchart TD\n");
        foreach (var vertex in _vertices)
        {
            writer.Write($"    {ids[vertex]}[\"{GraphLabels.EscapeMermaid(vertex.Label)}\"]\n");
        }

        foreach (var (from, to) in Edges)
        {
            writer.Write($"    {ids[from]} --> {ids[to]}\n");
        }
    }

    /// <summary>The DOT text of the graph.</summary>
    /// <returns>The graph in Graphviz DOT.</returns>
    public string ToDot()
    {
        using var writer = new StringWriter();
        ToDot(writer);
        return writer.ToString();
    }

    /// <summary>The Mermaid text of the graph.</summary>
    public string ToMermaid()
    {
        using var writer = new StringWriter();
        ToMermaid(writer);
        return writer.ToString();
    }

    private Dictionary<IService, string> Ids()
    {
        var ids = new Dictionary<IService, string>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < _vertices.Count; i++)
        {
            ids.Add(_vertices[i], "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids;
    }
}
