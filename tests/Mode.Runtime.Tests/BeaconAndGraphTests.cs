using Mode.Runtime.Tests.Support;

namespace Mode.Runtime.Tests;

public class BeaconTests
{
    private static (RecordingService Root, RecordingService Middle, RecordingService Leaf) Chain()
    {
        var recorder = new Recorder();
        var root = new RecordingService("Root", recorder);
        var middle = root.AddDependency(new RecordingService("Middle", recorder));
        var leaf = middle.AddDependency(new RecordingService("Leaf", recorder));
        return (root, middle, leaf);
    }

    [Fact]
    public void Beacon_ParentRootDepthAndPath_FollowTheTree()
    {
        var (root, middle, leaf) = Chain();

        Assert.Same(middle.Beacon, leaf.Beacon.Parent);
        Assert.Same(root.Beacon, leaf.Beacon.Root);
        Assert.Equal(1, root.Beacon.Depth);
        Assert.Equal(3, leaf.Beacon.Depth);
        Assert.Equal("Root/Middle/Leaf", leaf.Beacon.Path);
        Assert.Same(leaf, leaf.Beacon.Data);
    }

    [Fact]
    public void Walk_YieldsTheNodeThenItsAncestors()
    {
        var (root, middle, leaf) = Chain();

        Assert.Equal([leaf.Beacon, middle.Beacon, root.Beacon], leaf.Beacon.Walk());
    }

    [Fact]
    public void Traverse_IsBreadthFirst()
    {
        var recorder = new Recorder();
        var root = new RecordingService("R", recorder);
        var a = root.AddDependency(new RecordingService("A", recorder));
        var b = root.AddDependency(new RecordingService("B", recorder));
        var a1 = a.AddDependency(new RecordingService("A1", recorder));

        Assert.Equal(["R", "A", "B", "A1"], root.Beacon.Traverse().Select(n => n.Data.Label));
    }

    [Fact]
    public void Reattach_MovesTheNodeToTheNewParent()
    {
        var (root, middle, leaf) = Chain();

        leaf.Beacon.Reattach(root.Beacon);

        Assert.Same(root.Beacon, leaf.Beacon.Parent);
        Assert.DoesNotContain(leaf.Beacon, middle.Beacon.Children);
        Assert.Contains(leaf.Beacon, root.Beacon.Children);
        Assert.Equal(2, leaf.Beacon.Depth);
    }

    [Fact]
    public void Reattach_UnderADescendant_ThrowsAndLeavesTheTreeAsItWas()
    {
        var (root, middle, leaf) = Chain();

        var error = Assert.Throws<ArgumentException>(() => root.Beacon.Reattach(leaf.Beacon));

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Null(root.Beacon.Parent);
        Assert.Throws<ArgumentException>(() => middle.Beacon.Reattach(middle.Beacon));
    }

    [Fact]
    public void Detach_MakesTheNodeARoot()
    {
        var (_, middle, leaf) = Chain();

        leaf.Beacon.Detach(middle.Beacon);

        Assert.Null(leaf.Beacon.Parent);
        Assert.Same(leaf.Beacon, leaf.Beacon.Root);
        Assert.Empty(middle.Beacon.Children);
    }

    [Fact]
    public void New_CreatesAnAttachedChildNode()
    {
        var root = new RecordingService("R", new Recorder());
        var other = new RecordingService("O", new Recorder());

        var node = root.Beacon.New(other);

        Assert.Same(root.Beacon, node.Parent);
        Assert.Same(other, node.Data);
    }
}

public class GraphTests
{
    [Fact]
    public void ToDot_TreeWithTwoInstancesOfOneClass_KeepsBothAsVertices()
    {
        var recorder = new Recorder();
        var app = new RecordingService("App", recorder);
        var web = app.AddDependency(new RecordingService("Web", recorder));
        web.AddDependency(new RecordingService("Cache", recorder));
        app.AddDependency(new RecordingService("Cache", recorder));

        var dot = app.Beacon.AsGraph().ToDot();

        Assert.Equal(
            """
            digraph dependencies {
                graph [fontname="HelveticaNeue", bgcolor="mintcream"];
                node [shape="box", style="filled", fontname="HelveticaNeue", fillcolor="palegreen3", color="palegreen4"];
                edge [arrowhead="vee", color="darkseagreen4", arrowsize="0.7"];
                n0 [label="App"];
                n1 [label="Web"];
                n2 [label="Cache"];
                n3 [label="Cache"];
                n0 -> n1;
                n0 -> n2;
                n1 -> n3;
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            dot);
    }

    [Fact]
    public void ToMermaid_Tree_WritesAFlowchart()
    {
        var recorder = new Recorder();
        var app = new RecordingService("App", recorder);
        app.AddDependency(new RecordingService("Web", recorder));

        var mermaid = app.Beacon.AsGraph().ToMermaid();

        Assert.Equal("flowchart TD\n    n0[\"App\"]\n    n1[\"Web\"]\n    n0 --> n1\n", mermaid);
    }

    [Theory]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("[brackets] {braces}", "[brackets] {braces}")]
    public void ToDot_LabelNeedingEscapes_StaysValid(string label, string escaped)
    {
        var service = new RecordingService(label, new Recorder());

        var dot = service.Beacon.AsGraph().ToDot();

        Assert.Contains($"n0 [label=\"{escaped}\"];", dot, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("say \"hi\"", "say #quot;hi#quot;")]
    [InlineData("[brackets] (parens)", "[brackets] (parens)")]
    [InlineData("a <b> #1", "a #lt;b#gt; #35;1")]
    public void ToMermaid_LabelNeedingEscapes_StaysValid(string label, string escaped)
    {
        var service = new RecordingService(label, new Recorder());

        var mermaid = service.Beacon.AsGraph().ToMermaid();

        Assert.Contains($"n0[\"{escaped}\"]", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void DependencyGraph_AddEdgeTwice_KeepsOneEdge()
    {
        var a = new RecordingService("A", new Recorder());
        var b = new RecordingService("B", new Recorder());
        var graph = new DependencyGraph();

        graph.AddEdge(a, b);
        graph.AddEdge(a, b);

        Assert.Single(graph.Edges);
        Assert.Equal([b], graph.DependenciesOf(a));
        Assert.Equal([a, b], graph.Vertices);
    }
}
