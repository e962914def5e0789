using Microsoft.CodeAnalysis;

namespace Mode.Analyzers.Helpers;

/// <summary>Which of Mode's member attributes an attribute is.</summary>
internal enum ModeAttributeKind
{
    None,
    Task,
    Timer,
    Crontab,
    DependsOn,
}

/// <summary>
/// The well-known types the analyzers need, resolved once per compilation in
/// <c>RegisterCompilationStartAction</c>. <see cref="TryCreate"/> fails when Mode.Runtime is not
/// referenced, and the analyzers then register nothing.
/// </summary>
internal sealed class ModeSymbols
{
    private ModeSymbols(Compilation compilation, INamedTypeSymbol service, INamedTypeSymbol iService)
    {
        Compilation = compilation;
        Service = service;
        IService = iService;
        TaskAttribute = compilation.GetTypeByMetadataName("Mode.TaskAttribute");
        TimerAttribute = compilation.GetTypeByMetadataName("Mode.TimerAttribute");
        CrontabAttribute = compilation.GetTypeByMetadataName("Mode.CrontabAttribute");
        DependsOnAttribute = compilation.GetTypeByMetadataName("Mode.DependsOnAttribute");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        EventArgs = compilation.GetTypeByMetadataName("System.EventArgs");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol Service { get; }

    public INamedTypeSymbol IService { get; }

    public INamedTypeSymbol? TaskAttribute { get; }

    public INamedTypeSymbol? TimerAttribute { get; }

    public INamedTypeSymbol? CrontabAttribute { get; }

    public INamedTypeSymbol? DependsOnAttribute { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? EventArgs { get; }

    public static bool TryCreate(Compilation compilation, out ModeSymbols symbols)
    {
        var service = compilation.GetTypeByMetadataName("Mode.Service");
        var iService = compilation.GetTypeByMetadataName("Mode.IService");
        if (service is null || iService is null)
        {
            symbols = null!;
            return false;
        }

        symbols = new ModeSymbols(compilation, service, iService);
        return true;
    }

    public ModeAttributeKind GetAttributeKind(AttributeData attribute)
    {
        var type = attribute.AttributeClass;
        if (type is null)
        {
            return ModeAttributeKind.None;
        }

        if (SymbolEqualityComparer.Default.Equals(type, TaskAttribute))
        {
            return ModeAttributeKind.Task;
        }

        if (SymbolEqualityComparer.Default.Equals(type, TimerAttribute))
        {
            return ModeAttributeKind.Timer;
        }

        if (SymbolEqualityComparer.Default.Equals(type, CrontabAttribute))
        {
            return ModeAttributeKind.Crontab;
        }

        return SymbolEqualityComparer.Default.Equals(type, DependsOnAttribute)
            ? ModeAttributeKind.DependsOn
            : ModeAttributeKind.None;
    }

    /// <summary>The first of Mode's member attributes on <paramref name="symbol"/>, if any.</summary>
    public ModeAttributeKind GetModeAttribute(ISymbol symbol, out AttributeData? attribute)
    {
        foreach (var candidate in symbol.GetAttributes())
        {
            var kind = GetAttributeKind(candidate);
            if (kind != ModeAttributeKind.None)
            {
                attribute = candidate;
                return kind;
            }
        }

        attribute = null;
        return ModeAttributeKind.None;
    }

    /// <summary>
    /// Whether one of the type's own members carries <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c>
    /// or <c>[DependsOn]</c>; <paramref name="attributeNames"/> lists the attributes found, sorted.
    /// </summary>
    public bool IsAnnotated(INamedTypeSymbol type, out string attributeNames)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is not (IMethodSymbol or IFieldSymbol or IPropertySymbol))
            {
                continue;
            }

            foreach (var attribute in member.GetAttributes())
            {
                var kind = GetAttributeKind(attribute);
                if (kind != ModeAttributeKind.None)
                {
                    found.Add("[" + kind + "]");
                }
            }
        }

        attributeNames = string.Join(", ", found);
        return found.Count > 0;
    }

    /// <summary>Whether <paramref name="type"/> is <c>Mode.Service</c> or derives from it.</summary>
    public bool IsService(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Service))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a value of <paramref name="type"/> is always an <c>IService</c>.</summary>
    public bool IsIService(ITypeSymbol type)
    {
        if (SymbolEqualityComparer.Default.Equals(type, IService))
        {
            return true;
        }

        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                if (IsIService(constraint))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, IService))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="method"/> runs on a service's asynchronous flow: a <c>[Task]</c>,
    /// <c>[Timer]</c> or <c>[Crontab]</c> method, or an override of an awaitable virtual declared by
    /// <c>Mode.Service</c> or another Mode runtime service class (<c>OnStartAsync</c>, ...).
    /// </summary>
    public bool IsHook(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (GetAttributeKind(attribute) is ModeAttributeKind.Task or ModeAttributeKind.Timer or ModeAttributeKind.Crontab)
            {
                return true;
            }
        }

        if (!method.IsOverride)
        {
            return false;
        }

        var root = method;
        while (root.OverriddenMethod is { } overridden)
        {
            root = overridden;
        }

        return IsTaskLike(root.ReturnType)
            && SymbolEqualityComparer.Default.Equals(root.ContainingAssembly, Service.ContainingAssembly)
            && IsService(root.ContainingType);
    }

    /// <summary>Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, Task)
            || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTask)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
    }
}
