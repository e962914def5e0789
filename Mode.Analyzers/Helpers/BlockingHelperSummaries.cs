using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mode.Analyzers.Helpers;

/// <summary>
/// Whether a synchronous method of the compilation (a helper a hook calls) blocks, directly or
/// through further helpers, at any depth. One instance per compilation; each method is summarised
/// once, on demand, so the cost is linear in the methods reached from hooks.
/// </summary>
/// <remarks>
/// <para>A helper blocks when its body (lambdas and local functions aside) has a blocking call (see
/// <see cref="BlockingCallFinder"/>) or calls a helper that blocks. Calls between helpers form a
/// graph with cycles (recursion); it is walked with Tarjan's algorithm (iterative, so a deep chain
/// cannot overflow the stack), and a strongly connected component is summarised as a whole, which
/// makes a result independent of where the walk started. Walks run one at a time (hooks analysed
/// in parallel wait only for summaries not computed yet); reads take no lock.</para>
/// <para>Each blocking helper keeps the next helper on its way to the blocking call
/// (<see cref="Summary.Via"/>), so the message can name the chain. The pointers never form a cycle:
/// inside a component they are set in rounds, each pointing at a method resolved in an earlier round.</para>
/// </remarks>
internal sealed class BlockingHelperSummaries(BlockingSymbols known)
{
    private static readonly Summary NotBlocking = new(null, null);

    private readonly ConcurrentDictionary<IMethodSymbol, Summary> _done = new(SymbolEqualityComparer.Default);
    private readonly object _computeLock = new();

    /// <summary>A helper's summary.</summary>
    /// <param name="Api">The blocking call at the end of the chain (<c>File.ReadAllText</c>); null when the helper does not block.</param>
    /// <param name="Via">The next helper on the way to <paramref name="Api"/>; null when the helper makes the call itself.</param>
    public sealed record Summary(string? Api, IMethodSymbol? Via)
    {
        public bool Blocks => Api is not null;
    }

    public Summary Get(IMethodSymbol helper, CancellationToken cancellationToken)
    {
        if (_done.TryGetValue(helper, out var summary))
        {
            return summary;
        }

        // One computation at a time: a component's members are published one by one, and a second
        // walk seeing half of them could point a Via back into the first walk's chain (a cycle).
        lock (_computeLock)
        {
            if (!_done.ContainsKey(helper))
            {
                Compute(helper, cancellationToken);
            }
        }

        return _done[helper];
    }

    /// <summary><c>it calls 'Store.ReadCore', which calls 'File.ReadAllText'</c> for a blocking helper.</summary>
    public string DescribeChain(IMethodSymbol helper)
    {
        var parts = new List<string>();
        var summary = _done[helper];
        while (summary.Via is { } via)
        {
            parts.Add(SymbolNames.Member(via));
            summary = _done[via];
        }

        parts.Add(summary.Api!);
        return "it calls '" + string.Join("', which calls '", parts) + "'";
    }

    private sealed class Node(string? direct, List<IMethodSymbol> callees)
    {
        public string? Direct { get; } = direct;

        public List<IMethodSymbol> Callees { get; } = callees;

        public int Index { get; set; }

        public int LowLink { get; set; }

        public bool OnStack { get; set; }

        public int NextCallee { get; set; }
    }

    private void Compute(IMethodSymbol root, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<IMethodSymbol, Node>(SymbolEqualityComparer.Default);
        var component = new Stack<IMethodSymbol>();
        var path = new Stack<IMethodSymbol>();
        var index = 0;

        void Push(IMethodSymbol method)
        {
            var node = Facts(method, cancellationToken);
            node.Index = node.LowLink = index++;
            node.OnStack = true;
            nodes[method] = node;
            component.Push(method);
            path.Push(method);
        }

        Push(root);
        while (path.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var method = path.Peek();
            var node = nodes[method];
            if (node.NextCallee < node.Callees.Count)
            {
                var callee = node.Callees[node.NextCallee++];
                if (_done.ContainsKey(callee))
                {
                    continue;
                }

                if (!nodes.TryGetValue(callee, out var calleeNode))
                {
                    Push(callee);
                }
                else if (calleeNode.OnStack)
                {
                    node.LowLink = Math.Min(node.LowLink, calleeNode.Index);
                }

                continue;
            }

            path.Pop();
            if (path.Count > 0)
            {
                var parent = nodes[path.Peek()];
                parent.LowLink = Math.Min(parent.LowLink, node.LowLink);
            }

            if (node.LowLink == node.Index)
            {
                var members = new List<IMethodSymbol>();
                IMethodSymbol member;
                do
                {
                    member = component.Pop();
                    nodes[member].OnStack = false;
                    members.Add(member);
                }
                while (!SymbolEqualityComparer.Default.Equals(member, method));

                Resolve(members, nodes);
            }
        }
    }

    private void Resolve(List<IMethodSymbol> members, Dictionary<IMethodSymbol, Node> nodes)
    {
        var inComponent = new HashSet<IMethodSymbol>(members, SymbolEqualityComparer.Default);
        var resolved = new Dictionary<IMethodSymbol, Summary>(SymbolEqualityComparer.Default);
        foreach (var member in members)
        {
            var node = nodes[member];
            if (node.Direct is not null)
            {
                resolved[member] = new Summary(node.Direct, null);
                continue;
            }

            foreach (var callee in node.Callees)
            {
                if (!inComponent.Contains(callee) && _done.TryGetValue(callee, out var summary) && summary.Blocks)
                {
                    resolved[member] = new Summary(summary.Api, callee);
                    break;
                }
            }
        }

        // Inside the component, in rounds: a member points at a callee resolved in an earlier round.
        while (members.Count > 1)
        {
            var earlier = new Dictionary<IMethodSymbol, Summary>(resolved, SymbolEqualityComparer.Default);
            foreach (var member in members)
            {
                if (resolved.ContainsKey(member))
                {
                    continue;
                }

                foreach (var callee in nodes[member].Callees)
                {
                    if (inComponent.Contains(callee) && earlier.TryGetValue(callee, out var summary))
                    {
                        resolved[member] = new Summary(summary.Api, callee);
                        break;
                    }
                }
            }

            if (resolved.Count == earlier.Count)
            {
                break;
            }
        }

        foreach (var member in members)
        {
            _done.TryAdd(member, resolved.TryGetValue(member, out var summary) ? summary : NotBlocking);
        }
    }

    /// <summary>The first blocking call in <paramref name="method"/>'s body, or else the helpers it calls, in source order.</summary>
    private Node Facts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var callees = new List<(IMethodSymbol Method, Microsoft.CodeAnalysis.IOperation Call)>();
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not MethodDeclarationSyntax { Body: not null } and not MethodDeclarationSyntax { ExpressionBody: not null })
            {
                continue;
            }

            var syntax = reference.GetSyntax(cancellationToken);
            // Only helpers reached from a hook get here, so the analyzer does not ask the driver for
            // the operation trees of every method in the compilation (most are never called from a
            // hook). Inside the compiler, the compilation's semantic models are the driver's cached ones.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            var model = known.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(syntax, cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var finding in new BlockingCallFinder(known, body, method.ContainingType, callees).Find(cancellationToken))
            {
                return new Node(finding.What, []);
            }
        }

        var distinct = new List<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var (callee, _) in callees)
        {
            if (seen.Add(callee))
            {
                distinct.Add(callee);
            }
        }

        return new Node(null, distinct);
    }
}
