namespace Mode;

/// <summary>
/// A service's place in the service tree (Mode's beacon, <c>utils.trees.Node</c>). The tree is used
/// for log prefixes (the depth), crash propagation and graphs; start and stop order come from each
/// service's own children instead.
/// </summary>
/// <remarks>Thread-safe: structural changes take one lock shared by every tree.</remarks>
public sealed class Node
{
    private static readonly object s_treeLock = new();

    private Node? _parent;
    private List<Node>? _children;

    /// <summary>Creates a root node for <paramref name="data"/>.</summary>
    public Node(IService data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
    }

    /// <summary>The service this node stands for.</summary>
    public IService Data { get; }

    /// <summary>The parent node, or <see langword="null"/> for a root.</summary>
    public Node? Parent => Volatile.Read(ref _parent);

    /// <summary>The top of this node's tree (the node itself when it has no parent).</summary>
    public Node Root
    {
        get
        {
            var node = this;
            while (node.Parent is { } parent)
            {
                node = parent;
            }

            return node;
        }
    }

    /// <summary>A snapshot of the child nodes, in the order they were attached.</summary>
    public IReadOnlyList<Node> Children
    {
        get
        {
            lock (s_treeLock)
            {
                return _children is null ? [] : _children.ToArray();
            }
        }
    }

    /// <summary>The number of nodes from this one up to the root, both included (a root has depth 1).</summary>
    public int Depth
    {
        get
        {
            var depth = 1;
            for (var node = Parent; node is not null; node = node.Parent)
            {
                depth++;
            }

            return depth;
        }
    }

    /// <summary>The short labels from the root down to this node, joined by <c>/</c>.</summary>
    public string Path => string.Join("/", Walk().Reverse().Select(static n => n.Data.ShortLabel));

    /// <summary>Creates a node for <paramref name="data"/> attached under this one.</summary>
    internal Node New(IService data)
    {
        var child = new Node(data);
        child.Reattach(this);
        return child;
    }

    /// <summary>Moves this node under <paramref name="parent"/> (detaching it from its old parent).</summary>
    /// <exception cref="ArgumentException"><paramref name="parent"/> is this node or one of its descendants.</exception>
    internal void Reattach(Node parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        lock (s_treeLock)
        {
            for (var node = parent; node is not null; node = node._parent)
            {
                if (ReferenceEquals(node, this))
                {
                    throw new ArgumentException(
                        $"Cannot attach '{Data.Label}' under '{parent.Data.Label}': that would make a cycle in the service tree.",
                        nameof(parent));
                }
            }

            if (ReferenceEquals(_parent, parent))
            {
                return;
            }

            _parent?._children?.Remove(this);
            parent._children ??= [];
            parent._children.Add(this);
            Volatile.Write(ref _parent, parent);
        }
    }

    /// <summary>Removes this node from <paramref name="parent"/>, making it a root. No-op if it is not attached there.</summary>
    internal void Detach(Node parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        lock (s_treeLock)
        {
            if (!ReferenceEquals(_parent, parent))
            {
                return;
            }

            parent._children?.Remove(this);
            Volatile.Write(ref _parent, null);
        }
    }

    /// <summary>This node, then each ancestor up to the root.</summary>
    /// <returns>The nodes from this one up to the root.</returns>
    public IEnumerable<Node> Walk()
    {
        for (var node = this; node is not null; node = node.Parent)
        {
            yield return node;
        }
    }

    /// <summary>Every node of the subtree below and including this one, breadth first.</summary>
    public IEnumerable<Node> Traverse()
    {
        var queue = new Queue<Node>();
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        queue.Enqueue(this);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (!seen.Add(node))
            {
                continue;
            }

            yield return node;
            foreach (var child in node.Children)
            {
                queue.Enqueue(child);
            }
        }
    }

    /// <summary>The subtree below this node as a graph of services (each instance is its own vertex).</summary>
    public DependencyGraph AsGraph()
    {
        var graph = new DependencyGraph();
        foreach (var node in Traverse())
        {
            graph.AddVertex(node.Data);
            foreach (var child in node.Children)
            {
                graph.AddEdge(node.Data, child.Data);
            }
        }

        return graph;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Node({Data.Label})";
}
