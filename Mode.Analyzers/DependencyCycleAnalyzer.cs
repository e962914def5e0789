using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE001: a cycle in the type-level dependency graph of the services.
/// </summary>
/// <remarks>
/// <para>The graph has an edge from a service type to the declared type of each of its
/// <c>[DependsOn]</c> members, inherited members included, and to each concrete service type its
/// code adds as a child: <c>new X()</c> in its <c>OnInitDependencies()</c> override and
/// <c>AddDependency(new X())</c> anywhere in it (a base service's code counts for derived ones). A constructed generic type is its own
/// node, so <c>[DependsOn] Wrapper&lt;App&gt;</c> reaches <c>App</c> through
/// <c>Wrapper&lt;T&gt;</c>'s <c>[DependsOn] T</c> member, even when <c>Wrapper&lt;T&gt;</c> comes
/// from a referenced assembly.
/// Source types are collected concurrently by a symbol action; at compilation end the graph is
/// completed with the types of referenced assemblies reached from it (their visible members), and
/// Tarjan's algorithm (iterative) finds the strongly connected components in linear time.</para>
/// <para>Each component that contains a cycle is reported once: the chain is the shortest cycle
/// through the component's ordinally smallest type name, reported at that type's <c>[DependsOn]</c>
/// attribute that starts the chain. Other types of the same component are listed in the message.</para>
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DependencyCycleAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DependencyCycle);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ModeSymbols.TryCreate(start.Compilation, out var symbols) || symbols.DependsOnAttribute is null)
            {
                return;
            }

            var collected = new ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Edge>>(SymbolEqualityComparer.Default);
            var services = new ConcurrentBag<INamedTypeSymbol>();
            var codeEdges = new ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<Edge>>(SymbolEqualityComparer.Default);
            var treesThatMayAddChildren = new ConcurrentDictionary<SyntaxTree, bool>();
            start.RegisterSymbolAction(
                c =>
                {
                    var type = (INamedTypeSymbol)c.Symbol;
                    if (type.TypeKind != TypeKind.Class || !symbols.IsService(type))
                    {
                        return;
                    }

                    services.Add(type);
                    var edges = CollectEdges(type, symbols, c.CancellationToken);
                    if (!edges.IsEmpty)
                    {
                        collected[type] = edges;
                    }

                    if (type.DeclaringSyntaxReferences.Any(r => treesThatMayAddChildren.GetOrAdd(r.SyntaxTree, MayAddChildren)))
                    {
                        CollectCodeEdges(type, c.Compilation, symbols, codeEdges, c.CancellationToken);
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(c =>
            {
                AddCodeEdges(collected, services, codeEdges);
                ReportCycles(c, collected, symbols);
            });
        });
    }

    /// <summary>
    /// The children a service's code adds: <c>new X()</c> in its <c>OnInitDependencies()</c>, and
    /// <c>AddDependency(new X())</c> (on itself) in any of its methods.
    /// </summary>
    /// <remarks>
    /// Only the methods that a cheap syntax check picks are bound, through the compilation's
    /// semantic model: an operation-block action would make the driver bind every member of every
    /// service for this rule, and a symbol-start action costs the driver more than the rule itself
    /// (measured: MODE001 on 1,000 services went from about 0.5 to 2 s). Inside the compiler the
    /// semantic models are the driver's cached ones.
    /// </remarks>
    private static void CollectCodeEdges(
        INamedTypeSymbol type,
        Compilation compilation,
        ModeSymbols symbols,
        ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<Edge>> codeEdges,
        CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            var inInitDependencies = method is { Name: "OnInitDependencies", IsOverride: true };
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                if (!inInitDependencies && !CallsOwnAddDependency(syntax))
                {
                    continue;
                }

#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
                var model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
                if (model.GetOperation(syntax, cancellationToken) is not { } body)
                {
                    continue;
                }

                foreach (var operation in body.DescendantsAndSelf())
                {
                    if (operation is IObjectCreationOperation { Type: INamedTypeSymbol { TypeKind: TypeKind.Class } target } creation
                        && symbols.IsIService(target)
                        && (inInitDependencies || IsAddDependencyArgument(creation, symbols)))
                    {
                        codeEdges.GetOrAdd(type, _ => []).Add(new Edge(target, creation.Syntax.GetLocation()));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether the file's text has <c>OnInitDependencies</c> or <c>AddDependency(new</c>: a text
    /// search, once per file, before any syntax is walked (the generated wiring calls
    /// <c>wiring.AddDependency("name", ...)</c>, which does not match).
    /// </summary>
    private static bool MayAddChildren(SyntaxTree tree)
    {
        var text = tree.GetText().ToString();
        if (text.IndexOf("OnInitDependencies", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        for (var at = text.IndexOf("AddDependency(", StringComparison.Ordinal); at >= 0; at = text.IndexOf("AddDependency(", at + 1, StringComparison.Ordinal))
        {
            var next = at + "AddDependency(".Length;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (string.CompareOrdinal(text, next, "new", 0, 3) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An unqualified (or <c>this.</c>/<c>base.</c>) <c>AddDependency</c> in <paramref name="syntax"/>.</summary>
    private static bool CallsOwnAddDependency(SyntaxNode syntax)
    {
        foreach (var token in syntax.DescendantTokens())
        {
            if (token.ValueText == "AddDependency"
                && token.Parent is IdentifierNameSyntax name
                && (name.Parent is not MemberAccessExpressionSyntax access
                    || access.Expression is ThisExpressionSyntax or BaseExpressionSyntax))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAddDependencyArgument(IOperation creation, ModeSymbols symbols)
    {
        var parent = creation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddDependency", Instance: null or IInstanceReferenceOperation } invocation }
            && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingAssembly, symbols.Service.ContainingAssembly);
    }

    /// <summary>A service's code edges, and those of its source base services (which it inherits).</summary>
    private static void AddCodeEdges(
        ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Edge>> collected,
        ConcurrentBag<INamedTypeSymbol> services,
        ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<Edge>> codeEdges)
    {
        if (codeEdges.IsEmpty)
        {
            return;
        }

        foreach (var service in services)
        {
            var edges = collected.TryGetValue(service, out var existing) ? existing : ImmutableArray<Edge>.Empty;
            var added = false;
            for (var type = service; type is not null; type = type.BaseType)
            {
                if (codeEdges.TryGetValue(type.OriginalDefinition, out var bag))
                {
                    // Sorted by position: the bag's order is not deterministic.
                    edges = edges.AddRange(bag.OrderBy(e => e.Location!.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(e => e.Location!.SourceSpan.Start));
                    added = true;
                }
            }

            if (added)
            {
                collected[service] = edges;
            }
        }
    }

    private static ImmutableArray<Edge> CollectEdges(INamedTypeSymbol type, ModeSymbols symbols, CancellationToken cancellationToken)
    {
        ImmutableArray<Edge>.Builder? edges = null;
        for (var current = type; current is not null && !SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.Service); current = current.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol { IsIndexer: false, GetMethod: not null }))
                {
                    continue;
                }

                var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
                if (memberType is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface } target || !symbols.IsIService(target))
                {
                    continue;
                }

                foreach (var attribute in member.GetAttributes())
                {
                    if (symbols.GetAttributeKind(attribute) != ModeAttributeKind.DependsOn)
                    {
                        continue;
                    }

                    var location = attribute.ApplicationSyntaxReference is { } reference
                        ? Location.Create(reference.SyntaxTree, reference.Span)
                        : null;
                    (edges ??= ImmutableArray.CreateBuilder<Edge>()).Add(new Edge(target, location));
                    break;
                }
            }
        }

        return edges?.ToImmutable() ?? ImmutableArray<Edge>.Empty;
    }

    private static void ReportCycles(
        CompilationAnalysisContext context,
        ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Edge>> collected,
        ModeSymbols symbols)
    {
        if (collected.IsEmpty)
        {
            return;
        }

        var graph = Graph.Build(collected, symbols, context.CancellationToken);
        foreach (var component in graph.StronglyConnectedComponents(context.CancellationToken))
        {
            var cycle = graph.ShortestCycleThroughSmallest(component);
            if (cycle is null)
            {
                continue;
            }

            var location = graph.LocationOf(cycle);
            if (location is null)
            {
                continue; // the whole cycle lives in referenced assemblies: not ours to report
            }

            var chain = string.Join(" -> ", cycle.Select(n => graph.Names[n]).Append(graph.Names[cycle[0]]));
            var others = component.Where(n => !cycle.Contains(n)).Select(n => graph.Names[n]).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (others.Count > 0)
            {
                chain += " (also in the cycle: " + string.Join(", ", others) + ")";
            }

            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DependencyCycle, location, chain));
        }
    }

    // Guards against generic recursion (Node<T> depending on Node<List<T>> ...), which would make
    // the graph of constructed types infinite.
    private const int MaxGenericDepth = 4;
    private const int MaxExpandedNodes = 1_000_000;

    private readonly record struct Edge(INamedTypeSymbol Target, Location? Location);

    private static int GenericDepth(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { IsGenericType: true } named)
        {
            return 0;
        }

        var depth = 0;
        foreach (var argument in named.TypeArguments)
        {
            depth = Math.Max(depth, GenericDepth(argument));
        }

        return depth + 1;
    }

    /// <summary>The dependency graph with integer node ids, edges sorted by target name.</summary>
    private sealed class Graph
    {
        private readonly List<INamedTypeSymbol> _types = [];
        private readonly List<List<(int Target, Location? Location)>> _edges = [];
        private readonly Dictionary<INamedTypeSymbol, int> _ids = new(SymbolEqualityComparer.Default);

        public List<string> Names { get; } = [];

        public static Graph Build(
            ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Edge>> collected,
            ModeSymbols symbols,
            CancellationToken cancellationToken)
        {
            var graph = new Graph();

            // Deterministic node order: by name (the concurrent dictionary's order is not).
            foreach (var type in collected.Keys.OrderBy(t => t.ToDisplayString(SymbolNames.QualifiedType), StringComparer.Ordinal))
            {
                graph.IdOf(type);
            }

            for (var node = 0; node < graph._types.Count; node++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var type = graph._types[node];
                if (!collected.TryGetValue(type, out var edges))
                {
                    // Reached from the source graph: a type of a referenced assembly, or a
                    // constructed generic type (Wrapper<App>, whose members' types are substituted).
                    // A source type definition that is not collected has no [DependsOn] member.
                    var isSourceDefinition = type.IsDefinition && type.Locations.Any(l => l.IsInSource);
                    edges = isSourceDefinition || GenericDepth(type) > MaxGenericDepth || graph._types.Count > MaxExpandedNodes
                        ? ImmutableArray<Edge>.Empty
                        : CollectEdges(type, symbols, cancellationToken);
                }

                var targets = new Dictionary<int, Location?>();
                foreach (var edge in edges)
                {
                    var target = graph.IdOf(edge.Target);
                    if (!targets.TryGetValue(target, out var existing) || IsEarlier(edge.Location, existing))
                    {
                        targets[target] = edge.Location;
                    }
                }

                var list = graph._edges[node];
                list.AddRange(targets.Select(t => (t.Key, t.Value)));
                list.Sort((a, b) => string.CompareOrdinal(graph.Names[a.Target], graph.Names[b.Target]));
            }

            return graph;
        }

        /// <summary>Tarjan's algorithm, iterative so that long chains cannot overflow the stack.</summary>
        public List<List<int>> StronglyConnectedComponents(CancellationToken cancellationToken)
        {
            var count = _types.Count;
            var index = new int[count];
            var low = new int[count];
            var onStack = new bool[count];
            for (var i = 0; i < count; i++)
            {
                index[i] = -1;
            }

            var components = new List<List<int>>();
            var stack = new Stack<int>();
            var work = new Stack<(int Node, int NextEdge)>();
            var next = 0;
            for (var root = 0; root < count; root++)
            {
                if (index[root] >= 0)
                {
                    continue;
                }

                work.Push((root, 0));
                while (work.Count > 0)
                {
                    var (node, edge) = work.Pop();
                    if (edge == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        index[node] = low[node] = next++;
                        stack.Push(node);
                        onStack[node] = true;
                    }

                    var edges = _edges[node];
                    var descended = false;
                    while (edge < edges.Count)
                    {
                        var target = edges[edge].Target;
                        edge++;
                        if (index[target] < 0)
                        {
                            work.Push((node, edge));
                            work.Push((target, 0));
                            descended = true;
                            break;
                        }

                        if (onStack[target])
                        {
                            low[node] = Math.Min(low[node], index[target]);
                        }
                    }

                    if (descended)
                    {
                        continue;
                    }

                    if (low[node] == index[node])
                    {
                        var component = new List<int>();
                        int member;
                        do
                        {
                            member = stack.Pop();
                            onStack[member] = false;
                            component.Add(member);
                        }
                        while (member != node);
                        components.Add(component);
                    }

                    if (work.Count > 0)
                    {
                        var parent = work.Peek().Node;
                        low[parent] = Math.Min(low[parent], low[node]);
                    }
                }
            }

            return components;
        }

        /// <summary>
        /// The shortest cycle (breadth-first, neighbours in name order) through the component's
        /// smallest name, as the list of nodes starting there; null when the component has no cycle
        /// (a single node without a self-edge).
        /// </summary>
        public List<int>? ShortestCycleThroughSmallest(List<int> component)
        {
            var start = component.OrderBy(n => Names[n], StringComparer.Ordinal).First();
            if (component.Count == 1)
            {
                return _edges[start].Any(e => e.Target == start) ? [start] : null;
            }

            var members = new HashSet<int>(component);
            var parent = new Dictionary<int, int> { [start] = -1 };
            var queue = new Queue<int>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                foreach (var (target, _) in _edges[node])
                {
                    if (target == start)
                    {
                        var path = new List<int>();
                        for (var at = node; at != -1; at = parent[at])
                        {
                            path.Add(at);
                        }

                        path.Reverse();
                        return path;
                    }

                    if (members.Contains(target) && !parent.ContainsKey(target))
                    {
                        parent[target] = node;
                        queue.Enqueue(target);
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// The [DependsOn] attribute that starts the chain; if that one is in a referenced assembly,
        /// the first type of the chain declared in source, else the next edge declared in source.
        /// </summary>
        public Location? LocationOf(List<int> cycle)
        {
            var first = EdgeLocation(cycle[0], cycle.Count > 1 ? cycle[1] : cycle[0]);
            if (first is not null)
            {
                return first;
            }

            var declared = _types[cycle[0]].Locations.FirstOrDefault(l => l.IsInSource);
            if (declared is not null)
            {
                return declared;
            }

            for (var i = 1; i < cycle.Count; i++)
            {
                var location = EdgeLocation(cycle[i], cycle[(i + 1) % cycle.Count]);
                if (location is not null)
                {
                    return location;
                }
            }

            return null;
        }

        private Location? EdgeLocation(int from, int to)
        {
            foreach (var (target, location) in _edges[from])
            {
                if (target == to)
                {
                    return location is { IsInSource: true } ? location : null;
                }
            }

            return null;
        }

        private int IdOf(INamedTypeSymbol type)
        {
            if (_ids.TryGetValue(type, out var id))
            {
                return id;
            }

            id = _types.Count;
            _ids.Add(type, id);
            _types.Add(type);
            _edges.Add([]);
            Names.Add(type.ToDisplayString(SymbolNames.QualifiedType));
            return id;
        }

        private static bool IsEarlier(Location? candidate, Location? existing)
        {
            if (candidate is null || !candidate.IsInSource)
            {
                return false;
            }

            if (existing is null || !existing.IsInSource)
            {
                return true;
            }

            var byPath = string.CompareOrdinal(candidate.SourceTree!.FilePath, existing.SourceTree!.FilePath);
            return byPath != 0 ? byPath < 0 : candidate.SourceSpan.Start < existing.SourceSpan.Start;
        }
    }
}
