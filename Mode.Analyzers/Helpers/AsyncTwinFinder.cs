using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace Mode.Analyzers.Helpers;

/// <summary>
/// Finds the awaitable twin of a synchronous method: a method named <c>NameAsync</c> on the same
/// type or a base type, static or instance alike, with the same type-parameter count, returning
/// Task/ValueTask (generic or not), whose parameters are the synchronous method's parameters
/// (same types and ref kinds, in order) optionally followed by one <c>CancellationToken</c>.
/// A twin taking the token is preferred. Obsolete twins don't count. One instance per compilation;
/// lookups are cached and thread-safe.
/// </summary>
internal sealed class AsyncTwinFinder(ModeSymbols symbols)
{
    private readonly ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> _cache = new(SymbolEqualityComparer.Default);

    public IMethodSymbol? Find(IMethodSymbol method) => _cache.GetOrAdd(method, FindCore);

    private IMethodSymbol? FindCore(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary
            || method.IsExtensionMethod
            || method.Name.EndsWith("Async", StringComparison.Ordinal)
            || symbols.IsTaskLike(method.ReturnType)
            || method.Parameters.Any(p => p.IsParams))
        {
            return null;
        }

        var name = method.Name + "Async";
        IMethodSymbol? best = null;
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is not IMethodSymbol candidate || !IsTwin(method, ref candidate, out var takesToken))
                {
                    continue;
                }

                if (takesToken)
                {
                    return candidate;
                }

                best ??= candidate;
            }
        }

        return best;
    }

    private bool IsTwin(IMethodSymbol method, ref IMethodSymbol candidate, out bool takesToken)
    {
        takesToken = false;
        if (candidate.MethodKind != MethodKind.Ordinary
            || candidate.IsStatic != method.IsStatic
            || candidate.Arity != method.Arity
            || !symbols.IsTaskLike(candidate.ReturnType)
            || candidate.GetAttributes().Any(a => a.AttributeClass?.Name == "ObsoleteAttribute"))
        {
            return false;
        }

        if (candidate.Arity > 0)
        {
            candidate = candidate.Construct([.. method.TypeArguments]);
        }

        var count = method.Parameters.Length;
        var parameters = candidate.Parameters;
        if (parameters.Length != count && parameters.Length != count + 1)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (parameters[i].RefKind != method.Parameters[i].RefKind
                || !SymbolEqualityComparer.Default.Equals(parameters[i].Type, method.Parameters[i].Type))
            {
                return false;
            }
        }

        if (parameters.Length == count + 1)
        {
            if (!SymbolEqualityComparer.Default.Equals(parameters[count].Type, symbols.CancellationToken))
            {
                return false;
            }

            takesToken = true;
        }

        return true;
    }
}
