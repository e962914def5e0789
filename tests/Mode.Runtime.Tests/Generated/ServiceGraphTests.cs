using System.Text.RegularExpressions;
using Mode.Shared;
using Mode.TestKit;

namespace Mode.Runtime.Tests.Generated;

/// <summary>A small tree wired only through <c>[DependsOn]</c>, with one type used twice.</summary>
public partial class GraphShop : Service
{
    [DependsOn] private readonly GraphCheckout _checkout = new();
    [DependsOn] private readonly GraphStore _store = new();
}

/// <summary>The shop's checkout: a store of its own and the payments.</summary>
public partial class GraphCheckout : Service
{
    [DependsOn] private readonly GraphStore _store = new();
    [DependsOn] private readonly GraphPayments _payments = new();
}

/// <summary>A leaf used by two services.</summary>
public sealed class GraphStore : Service;

/// <summary>A leaf.</summary>
public sealed class GraphPayments : Service;

/// <summary>A generic service, for the label escaping.</summary>
/// <typeparam name="T">Anything.</typeparam>
public partial class GraphBox<T> : Service
{
    [DependsOn] private readonly GraphStore _store = new();
}

/// <summary>
/// The compile-time graph the generator writes (<c>ModeServiceGraph</c>, in this project's root
/// namespace) against the runtime's graph of the same tree once it runs (<see cref="Node.AsGraph"/>).
/// </summary>
public sealed partial class ServiceGraphTests
{
    [Fact]
    public async Task Mermaid_CompileTimeGraph_HasTheRunningTreesVerticesAndEdges()
    {
        var shop = new GraphShop();
        await shop.StartAsync().Within();
        string running;
        try
        {
            running = shop.Beacon.AsGraph().ToMermaid();
        }
        finally
        {
            await shop.StopAsync().Within();
        }

        // The compile-time graph holds every service of this project: take the part reachable from
        // the shop. The runtime has a vertex per instance (two stores), the compiler one per type:
        // compare labels, as sets.
        var compiled = Parse(ModeServiceGraph.Mermaid).Reachable("GraphShop");
        var runtime = Parse(running);

        Assert.Equal(runtime.Labels.Order(StringComparer.Ordinal), compiled.Labels.Order(StringComparer.Ordinal));
        Assert.Equal(runtime.LabelEdges.Order(), compiled.LabelEdges.Order());
        // Edge labels are the members: grouped by source in vertex (name) order, then declaration order.
        Assert.Equal(
            ["_store", "_payments", "_checkout", "_store"],
            compiled.Edges.Select(static e => e.Member));
    }

    [Theory]
    [InlineData("Box<T>", "Box#lt;T#gt;", "Box<T>")]
    [InlineData("say \"hi\" #1", "say #quot;hi#quot; #35;1", "say \\\"hi\\\" #1")]
    [InlineData("a\\b\nc\r", "a\\b<br/>c", "a\\\\b\\nc")]
    public void Escape_RuntimeGraph_SameTableAsTheGenerators(string label, string mermaid, string dot)
    {
        // GraphLabels is one file compiled into the runtime and the generator; Mode.Generators.Tests'
        // ServiceGraphTests checks the generator's copy on these same rows.
        Assert.Equal(mermaid, GraphLabels.EscapeMermaid(label));
        Assert.Equal(dot, GraphLabels.EscapeDot(label));
    }

    [Fact]
    public void Labels_GenericService_EscapedAsTheRuntimeEscapesThem()
    {
        Assert.Contains("[\"" + GraphLabels.EscapeMermaid("GraphBox<T>") + "\"]", ModeServiceGraph.Mermaid, StringComparison.Ordinal);
        Assert.Contains("[label=\"" + GraphLabels.EscapeDot("GraphBox<T>") + "\"]", ModeServiceGraph.Dot, StringComparison.Ordinal);
    }

    private static MermaidGraph Parse(string mermaid)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var edges = new List<(string From, string To, string? Member)>();
        foreach (var line in mermaid.Split('\n'))
        {
            if (VertexLine().Match(line) is { Success: true } vertex)
            {
                labels.Add(vertex.Groups[1].Value, vertex.Groups[2].Value);
            }
            else if (EdgeLine().Match(line) is { Success: true } edge)
            {
                edges.Add((edge.Groups[1].Value, edge.Groups[3].Value, edge.Groups[2].Success ? edge.Groups[2].Value : null));
            }
        }

        return new MermaidGraph(labels, edges);
    }

    [GeneratedRegex("^\\s+(n\\d+)\\[\"(.*)\"\\]$")]
    private static partial Regex VertexLine();

    [GeneratedRegex("^\\s+(n\\d+) -->(?:\\|\"(.*)\"\\|)? (n\\d+)$")]
    private static partial Regex EdgeLine();

    private sealed record MermaidGraph(Dictionary<string, string> Ids, List<(string From, string To, string? Member)> Edges)
    {
        public IEnumerable<string> Labels => Ids.Values.Distinct(StringComparer.Ordinal);

        public IEnumerable<(string, string)> LabelEdges => Edges.Select(e => (Ids[e.From], Ids[e.To])).Distinct();

        /// <summary>The subgraph reachable from the vertex labelled <paramref name="root"/>.</summary>
        public MermaidGraph Reachable(string root)
        {
            var start = Assert.Single(Ids, v => v.Value == root).Key;
            var seen = new HashSet<string>(StringComparer.Ordinal) { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var id))
            {
                foreach (var edge in Edges.Where(e => e.From == id && seen.Add(e.To)))
                {
                    queue.Enqueue(edge.To);
                }
            }

            return new MermaidGraph(
                Ids.Where(v => seen.Contains(v.Key)).ToDictionary(StringComparer.Ordinal),
                [.. Edges.Where(e => seen.Contains(e.From))]);
        }
    }
}
