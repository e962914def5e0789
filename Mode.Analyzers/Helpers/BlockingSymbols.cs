using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Mode.Analyzers.Helpers;

/// <summary>
/// What MODE002 needs from one compilation, resolved once: <see cref="BlockingApiCatalog"/> as
/// symbols, the types its exceptions name, and the users' own <c>mode_blocking_apis</c> entries.
/// </summary>
internal sealed class BlockingSymbols
{
    /// <summary>The <c>.editorconfig</c> key of the users' own blocking APIs.</summary>
    public const string UserApisOption = "mode_blocking_apis";

    private readonly Dictionary<INamedTypeSymbol, Dictionary<string, BlockingApi>> _catalog = new(SymbolEqualityComparer.Default);
    private readonly ImmutableHashSet<ISymbol> _userApis;

    public BlockingSymbols(Compilation compilation, ModeSymbols symbols, string? userApis)
    {
        Compilation = compilation;
        Symbols = symbols;
        Twins = new AsyncTwinFinder(symbols);
        foreach (var entry in BlockingApiCatalog.Entries)
        {
            if (compilation.GetTypeByMetadataName(entry.Type) is not { } type)
            {
                continue;
            }

            if (!_catalog.TryGetValue(type, out var members))
            {
                _catalog[type] = members = new Dictionary<string, BlockingApi>(StringComparer.Ordinal);
            }

            foreach (var member in entry.Members)
            {
                members[member] = entry;
            }
        }

        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
        CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        AsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        InMemoryTypes = Resolve(compilation, BlockingApiCatalog.InMemoryTypes);
        SyncDisposeExemptTypes = Resolve(compilation, BlockingApiCatalog.SyncDisposeExemptTypes);
        _userApis = ParseUserApis(compilation, userApis);
    }

    public Compilation Compilation { get; }

    public ModeSymbols Symbols { get; }

    public AsyncTwinFinder Twins { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskFactoryOfT { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? AsyncDisposable { get; }

    public ImmutableArray<INamedTypeSymbol> InMemoryTypes { get; }

    public ImmutableArray<INamedTypeSymbol> SyncDisposeExemptTypes { get; }

    /// <summary>
    /// The catalog row of <paramref name="member"/> (a method, or a property for its getter), if any:
    /// a row of the declaring type, of the receiver's type or a type between the two
    /// (<c>networkStream.ReadExactly</c> is declared by <c>Stream</c>), or a <c>Derived</c> row of a base.
    /// </summary>
    public BlockingApi? Find(ISymbol member, ITypeSymbol? receiver)
    {
        var declaring = member.ContainingType?.OriginalDefinition;
        var passedDeclaring = false;
        for (var type = receiver?.OriginalDefinition as INamedTypeSymbol ?? declaring; type is not null; type = type.BaseType?.OriginalDefinition)
        {
            if (_catalog.TryGetValue(type, out var members)
                && members.TryGetValue(member.Name, out var entry)
                && (entry.Derived || !passedDeclaring))
            {
                return entry;
            }

            passedDeclaring |= SymbolEqualityComparer.Default.Equals(type, declaring);
        }

        return null;
    }

    /// <summary>Whether <paramref name="member"/> is one of the users' own <c>mode_blocking_apis</c>.</summary>
    public bool IsUserListed(ISymbol member) =>
        !_userApis.IsEmpty && _userApis.Contains(member.OriginalDefinition);

    /// <summary>Whether a synchronous <c>Dispose</c> of a <paramref name="type"/> value should be <c>DisposeAsync</c>.</summary>
    public bool DisposesAsynchronously(ITypeSymbol? type)
    {
        if (type is null || AsyncDisposable is null || DerivesFromAny(type, SyncDisposeExemptTypes))
        {
            return false;
        }

        return SymbolEqualityComparer.Default.Equals(type, AsyncDisposable)
            || type.AllInterfaces.Contains(AsyncDisposable, SymbolEqualityComparer.Default);
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    public static bool DerivesFromAny(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> candidates)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in candidates)
            {
                if (Is(current, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, ImmutableArray<string> names)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// <c>mode_blocking_apis</c>: documentation IDs separated by spaces or commas (commas inside a
    /// parameter list belong to the ID; <c>;</c> and <c>#</c> would start an .editorconfig comment). <c>M:N.T.M(System.String)</c> is one
    /// overload, <c>M:N.T.M</c> every overload, <c>P:N.T.P</c> a property's getter, <c>T:N.T</c>
    /// every method and property getter the type declares. IDs that match nothing are ignored.
    /// </summary>
    private static ImmutableHashSet<ISymbol> ParseUserApis(Compilation compilation, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ImmutableHashSet<ISymbol>.Empty;
        }

        var result = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var id in SplitIds(value!))
        {
            if (id.Length < 3 || id[1] != ':')
            {
                continue;
            }

            if (id[0] == 'T')
            {
                foreach (var type in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation).OfType<INamedTypeSymbol>())
                {
                    foreach (var member in type.GetMembers())
                    {
                        if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol)
                        {
                            result.Add(member.OriginalDefinition);
                        }
                    }
                }

                continue;
            }

            if (id[0] == 'M' && id.IndexOf('(') < 0)
            {
                // Every overload: the type's members of that name.
                var dot = id.LastIndexOf('.');
                if (dot > 2)
                {
                    var name = id.Substring(dot + 1);
                    foreach (var type in DocumentationCommentId.GetSymbolsForDeclarationId("T:" + id.Substring(2, dot - 2), compilation).OfType<INamedTypeSymbol>())
                    {
                        foreach (var member in type.GetMembers(name).OfType<IMethodSymbol>())
                        {
                            result.Add(member.OriginalDefinition);
                        }
                    }
                }

                continue;
            }

            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
            {
                result.Add(symbol.OriginalDefinition);
            }
        }

        return result.ToImmutable();
    }

    private static IEnumerable<string> SplitIds(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ' ';
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (depth <= 0 && (char.IsWhiteSpace(c) || c == ','))
            {
                if (i > start)
                {
                    yield return value.Substring(start, i - start);
                }

                start = i + 1;
            }
        }
    }
}
